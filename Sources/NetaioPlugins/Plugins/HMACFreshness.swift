/// Opt-in protection against stale and replayed HMAC-authenticated messages, which
/// netaio lacks entirely (Q8: a captured frame verifies forever).
///
/// After the MAC verifies, a message is admitted only if its `ts` (whole Unix seconds) is
/// within `[now - maxAge, now + maxFutureSkew]` of the injected clock and, when the replay
/// cache is on, its MAC has not been admitted before. The MAC is the cache key because it
/// is a function of (secret, nonce, ts, body): an exact replay repeats it, including a
/// replay with a changed header type or iv (which the MAC does not cover, Q2).
///
/// The cache holds at most `replayCacheSize` MACs. When it must forget one (the full
/// cache, or an entry older than `maxAge`), it forgets the oldest timestamp and from then on
/// rejects every ts at or below it, so a forgotten MAC can never be replayed; honest
/// traffic is unaffected while the cache covers `maxAge` worth of messages.
///
/// Copies of a plugin share one cache (like one Python plugin object). Note netaio's own
/// senders reuse nonce and ts when the same message object is sent twice (Q4): with the
/// cache on, such a resend is rejected as a replay.
public struct HMACFreshness: Sendable {
    public let maxAge: Double
    public let maxFutureSkew: Double
    public let replayCacheSize: Int
    private let cache: ReplayCache?

    /// - Parameters:
    ///   - maxAge: seconds a ts may be behind the receiver's clock.
    ///   - maxFutureSkew: seconds a ts may be ahead of it (clock skew between nodes).
    ///   - replayCacheSize: MACs remembered; 0 turns the replay cache off.
    public init(maxAge: Double = 60, maxFutureSkew: Double = 5, replayCacheSize: Int = 4096) {
        self.maxAge = maxAge.isNaN ? 0 : max(0, maxAge)
        self.maxFutureSkew = maxFutureSkew.isNaN ? 0 : max(0, maxFutureSkew)
        self.replayCacheSize = max(0, replayCacheSize)
        cache = replayCacheSize > 0 ? ReplayCache(capacity: replayCacheSize) : nil
    }

    /// Whether a message whose MAC verified may be accepted; records it if so.
    func admit(timestamp: [UInt8], mac: [UInt8], now: Double) -> Bool {
        // Python's check accepts ts bytes of any length; here they must be a number.
        let significant = timestamp.drop(while: { $0 == 0 })
        guard timestamp.count > 0, significant.count <= 7, now.isFinite else { return false }
        let ts = significant.reduce(Int64(0)) { $0 << 8 | Int64($1) }
        let t = Double(ts)
        guard t >= (now - maxAge).rounded(.down), t <= now + maxFutureSkew else { return false }
        guard let cache else { return true }
        return cache.insert(mac: mac, timestamp: ts, expiredBefore: Self.clamped((now - maxAge).rounded(.down)))
    }

    /// A Double as Int64 without trapping (NaN counts as "long ago").
    private static func clamped(_ d: Double) -> Int64 {
        guard !d.isNaN else { return Int64.min }
        return Int64(Swift.min(9e18, Swift.max(-9e18, d)))
    }
}

/// The MACs admitted recently, bounded in size; see `HMACFreshness`.
final class ReplayCache: Sendable {
    private struct State {
        var seen: Set<[UInt8]> = []
        var byAge = TimestampHeap()
        /// Every ts at or below this is refused: some MAC with such a ts was forgotten.
        var floor = Int64.min
    }

    private let capacity: Int
    private let state = Locked(State())

    init(capacity: Int) { self.capacity = capacity }

    /// Adds the MAC unless already present or below the floor. Returns whether it was new.
    func insert(mac: [UInt8], timestamp: Int64, expiredBefore: Int64) -> Bool {
        state.withLock { s in
            while let oldest = s.byAge.min, oldest.timestamp < expiredBefore { forget(&s) }
            guard timestamp > s.floor, !s.seen.contains(mac) else { return false }
            while s.seen.count >= capacity { forget(&s) }
            // A full cache may just have raised the floor past this message.
            guard timestamp > s.floor else { return false }
            s.seen.insert(mac)
            s.byAge.push((timestamp, mac))
            return true
        }
    }

    var count: Int { state.withLock { $0.seen.count } }

    private func forget(_ s: inout State) {
        guard let oldest = s.byAge.popMin() else { return }
        s.seen.remove(oldest.mac)
        s.floor = max(s.floor, oldest.timestamp)
    }
}

/// A binary min-heap of (timestamp, MAC), oldest first.
struct TimestampHeap {
    private var items: [(timestamp: Int64, mac: [UInt8])] = []

    var min: (timestamp: Int64, mac: [UInt8])? { items.first }

    mutating func push(_ item: (timestamp: Int64, mac: [UInt8])) {
        items.append(item)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[i].timestamp < items[parent].timestamp else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func popMin() -> (timestamp: Int64, mac: [UInt8])? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let out = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < items.count, items[l].timestamp < items[smallest].timestamp { smallest = l }
            if r < items.count, items[r].timestamp < items[smallest].timestamp { smallest = r }
            if smallest == i { break }
            items.swapAt(i, smallest)
            i = smallest
        }
        return out
    }
}
