import CPrefetch

/// Starting the loads a received frame will need, all at once.
///
/// When a thousand simulated engines take turns, a frame finds its engine's state out of
/// cache, and the receive path reaches it one object at a time: the sender's slots, the
/// handler entry, the reply's bytes, the outbox, the clock. Each first touch is usually a
/// retain — an atomic instruction that waits for its line and for every load before it —
/// so the misses add up instead of overlapping. A driver that knows which datagram comes
/// next (the simulator's lookahead) calls `prefetchState(forDatagramFrom:)` an event
/// ahead, so these objects load while other work runs. Only pointer values are read (no
/// retain, no object touched); nothing changes but timing.
extension NodeEngine {
    @inline(__always)
    func prefetchFrameState() {
        prefetchReferent(of: &handlerMemo.first)
        prefetchReferent(of: &handlerMemo.second)
        prefetchReferent(of: &discoveredReplyBytes)
        prefetchReferent(of: &outbox)
        prefetchReferent(of: &spareOutbox)
        prefetchReferent(of: &time)
    }
}

extension NodeEngine {
    /// A driver's hint that a datagram from `source` is about to arrive: starts loading
    /// the peer-book slot its lookup will read first and the objects `prefetchFrameState`
    /// names. The simulator calls it one event ahead, once the engine object itself is in
    /// cache; nothing changes but timing.
    @inline(__always)
    public func prefetchState(forDatagramFrom source: Address) {
        peerBook.prefetchSlot(at: source)
        prefetchFrameState()
    }

    /// The next step of the same hint, for a datagram one event closer: the sender's
    /// per-peer state, found through the index slot `prefetchState` loaded.
    @inline(__always)
    public func prefetchPeerState(forDatagramFrom source: Address) {
        peerBook.prefetchHotState(at: source)
    }
}

/// The engine's clock inside a struct: passing the existential itself to a generic would
/// open it (the concrete clock may be a value with no pointer in it), while the struct's
/// first word is the existential's first, the object of a class clock.
struct TimeSource {
    var clock: any UnixClock
}

/// Prefetches the heap object a field points at, taking the field's first word as its
/// address: an array, a class reference, an optional of either, or a struct whose first
/// stored property is one of those (a nil optional or a non-pointer word is a harmless
/// wasted hint). Not for an existential itself (see `TimeSource`).
@inline(__always)
func prefetchReferent<T>(of field: inout T) {
    guard MemoryLayout<T>.size >= MemoryLayout<UnsafeRawPointer>.size else { return }
    withUnsafeBytes(of: &field) { netaio_prefetch($0.load(as: UnsafeRawPointer?.self)) }
}
