/// The permanent handlers last found by (type, uri), kept inline in the engine: most
/// frames are of a kind just seen (advertisements, their answers, the same request), and
/// with a thousand simulated engines taking turns, a memo in its own array would cost a
/// cache miss of its own on every frame. Two entries, replaced in turn; valid until the
/// handler table changes (`clear`).
struct HandlerMemo {
    struct Entry {
        /// First, so that `prefetchFrameState` finds the object at the entry's start.
        let handler: NodeEngine.HandlerEntry
        let type: MessageType
        /// The uri as received: usually the very array the decoder shares between frames,
        /// so the comparison is an identity test.
        let uri: [UInt8]
        /// Found under (type, uri) rather than (type) alone.
        let byURI: Bool
    }

    // Internal for `NodeEngine.prefetchFrameState`.
    var first: Entry?
    var second: Entry?
    private var replaceFirstNext = true

    /// `mutating` only so that the engine calls it in place: a call on a copy of the memo
    /// would retain everything in it first.
    mutating func entry(for type: MessageType, uri: [UInt8]) -> Entry? {
        if first?.type == type, bytesEqual(first?.uri, uri) { return first }
        if second?.type == type, bytesEqual(second?.uri, uri) { return second }
        return nil
    }

    mutating func remember(_ entry: Entry) {
        if replaceFirstNext { first = entry } else { second = entry }
        replaceFirstNext.toggle()
    }

    mutating func clear() {
        first = nil
        second = nil
        replaceFirstNext = true
    }
}
