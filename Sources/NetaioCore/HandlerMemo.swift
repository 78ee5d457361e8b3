/// The permanent handlers last found by (type, uri), kept inline in the engine: most
/// frames are of a kind just seen (advertisements, their answers, the same request), and
/// with a thousand simulated engines taking turns, a memo in its own array would cost a
/// cache miss of its own on every frame. Two entries, replaced in turn; valid until the
/// handler table changes (`clear`).
struct HandlerMemo {
    struct Entry {
        let type: MessageType
        /// The uri as received: usually the very array the decoder shares between frames,
        /// so the comparison is an identity test.
        let uri: [UInt8]
        let handler: NodeEngine.HandlerEntry
        /// Found under (type, uri) rather than (type) alone.
        let byURI: Bool
    }

    private var first: Entry?
    private var second: Entry?
    private var replaceFirstNext = true

    func entry(for type: MessageType, uri: [UInt8]) -> Entry? {
        if let e = first, e.type == type, e.uri == uri { return e }
        if let e = second, e.type == type, e.uri == uri { return e }
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
