/// netaio's `Peer` record: where a remote node was seen, its id and its opaque data (by
/// convention a packify dict such as `{"pubkey": ..., "vkey": ...}`), and when it was last
/// heard from. Unlike Python's (Q27) it is hashable.
public struct Peer: Hashable, Sendable {
    public var addrs: AddressSet
    public var id: [UInt8]?
    public var data: [UInt8]?
    /// Unix seconds (whole), as netaio's `int(time())`.
    public var lastRx: Int

    public init(addrs: AddressSet = [], id: [UInt8]? = nil, data: [UInt8]? = nil, lastRx: Int = 0) {
        self.addrs = addrs
        self.id = id
        self.data = data
        self.lastRx = lastRx
    }

    /// netaio's `Peer.timed_out`: more than `timeout` whole seconds since `lastRx`.
    public func timedOut(now: Double, timeout: Int = 60) -> Bool {
        guard let seconds = wholeSeconds(now) else { return true }  // a broken clock: expire
        return seconds - lastRx > timeout
    }
}
