/// A calendar queue of event keys for the packet lane: most packets are scheduled a few
/// milliseconds ahead, so keys go into a ring of time buckets (2^14 ns ≈ 16 µs wide,
/// 4096 of them ≈ 67 ms) and a bucket is sorted once, when the clock reaches it. Popping
/// then reads the sorted bucket front to back: with tens of thousands of packets in
/// flight, a heap's sift walks cold memory on every pop, a sorted bucket does not. A
/// bitmap of non-empty buckets lets the ring skip quiet stretches a word at a time.
///
/// The order is exactly (time, sequence), as one heap would give:
/// - keys for the bucket being drained (or earlier: a push never precedes the clock, but
///   peeking may have moved the bucket past the clock) go into `late`, a small heap, and
///   a pop takes the smaller of its head and the bucket's;
/// - keys beyond the ring's span wait in `overflow` and move into the ring as it turns;
/// - every key in bucket b+k (k ≥ 1) is later than every key in bucket b and in `late`.
struct CalendarLane {
    static let widthShift: Int64 = 14
    static let bucketCount: Int64 = 4096

    private var buckets = [[EventKey]](repeating: [], count: Int(CalendarLane.bucketCount))
    /// Bit i set when ring bucket i holds keys (other than the current bucket's).
    private var occupied = [UInt64](repeating: 0, count: Int(CalendarLane.bucketCount) / 64)
    /// The bucket number (time >> widthShift) being drained; its ring bucket is sorted.
    private var current: Int64 = 0
    /// Next unread key of the current bucket.
    private var cursor = 0
    /// Keys in ring buckets other than the current one.
    private var waiting = 0
    private var late = KeyHeap()
    private var overflow = KeyHeap()
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    mutating func push(_ key: EventKey) {
        count += 1
        let bucket = key.time >> Self.widthShift
        if bucket <= current {
            late.push(key)
        } else if bucket < current + Self.bucketCount {
            append(key, toBucket: bucket)
        } else {
            overflow.push(key)
        }
    }

    /// The smallest key if it comes before `limit` (the other lane's head; nil: no limit),
    /// else nil. Finding it may move to (and sort) the bucket that holds it, but never to
    /// a bucket after `limit`'s: the clock will not pass `limit` before that is popped,
    /// and keys scheduled meanwhile for earlier buckets must still land in the ring (keys
    /// behind the current bucket go to `late`, a heap).
    mutating func first(before limit: EventKey?) -> EventKey? {
        guard count > 0, settle(notPast: limit) else { return nil }
        let slot = ring(current)
        var head = late.first
        if cursor < buckets[slot].count, head.map({ EventKey.before(buckets[slot][cursor], $0) }) ?? true {
            head = buckets[slot][cursor]
        }
        guard let head, limit.map({ EventKey.before(head, $0) }) ?? true else { return nil }
        return head
    }

    /// Removes and returns the smallest key, which `first(before:)` just returned.
    mutating func popFirst() -> EventKey {
        count -= 1
        let slot = ring(current)
        if cursor < buckets[slot].count {
            let head = buckets[slot][cursor]
            if let l = late.first, EventKey.before(l, head) { return late.popFirst() }
            cursor += 1
            return head
        }
        return late.popFirst()
    }

    /// The `offset`-th key after the next one of the current bucket, if it has one: a
    /// guess at what comes soon (a key in `late` or the timer lane may come first), for
    /// prefetching only.
    @inline(__always)
    func upcoming(_ offset: Int) -> EventKey? {
        let slot = ring(current)
        return buckets[slot].withUnsafeBufferPointer { keys in
            cursor + offset < keys.count ? keys[cursor + offset] : nil
        }
    }

    /// Turns the ring until the current bucket or `late` has a key, unless the next
    /// non-empty bucket lies after `limit`'s. Returns whether a key is at hand.
    private mutating func settle(notPast limit: EventKey?) -> Bool {
        guard cursor == buckets[ring(current)].count && late.isEmpty else { return true }
        // Only far-future keys left: jump to the first of them.
        let next = waiting == 0 ? overflow.first!.time >> Self.widthShift : current + nextOccupiedDistance()
        if let limit, next > limit.time >> Self.widthShift { return false }
        moveCurrent(to: next)
        return true
    }

    /// The clock reached `time` through the other lane. An idle ring (nothing left in the
    /// current bucket or `late`; every other key is due at or after `time`) follows it, so
    /// that packets sent now land in the ring instead of the overflow heap.
    mutating func clockAdvanced(to time: Int64) {
        let bucket = time >> Self.widthShift
        guard bucket > current, cursor == buckets[ring(current)].count, late.isEmpty else { return }
        moveCurrent(to: bucket)
    }

    /// Makes `bucket` (not before any key left in the ring) the current one and sorts it.
    private mutating func moveCurrent(to bucket: Int64) {
        // Buckets keep a small capacity for the next turn; a burst's large one is freed
        // (4,096 buckets each holding their peak would cost megabytes).
        let done = ring(current)
        if buckets[done].capacity > 32 { buckets[done] = [] } else { buckets[done].removeAll(keepingCapacity: true) }
        cursor = 0
        current = bucket
        admitOverflow()
        let slot = ring(current)
        occupied[slot >> 6] &= ~(1 << UInt64(slot & 63))
        waiting -= buckets[slot].count
        Self.sort(&buckets[slot])
    }

    /// How many buckets ahead of the current one the next non-empty one is (`waiting` > 0).
    private func nextOccupiedDistance() -> Int64 {
        let start = ring(current) + 1
        var word = (start >> 6) & (occupied.count - 1)
        var bits = occupied[word] & (start & 63 == 0 ? ~0 : ~((1 << UInt64(start & 63)) - 1))
        var scanned = 0
        while bits == 0 {
            word = (word + 1) & (occupied.count - 1)
            bits = occupied[word]
            scanned += 1
            // The ring wrapped to the start word: keys before `start` in it are ahead too.
            if scanned > occupied.count { break }
        }
        let target = word << 6 | bits.trailingZeroBitCount
        return Int64((target - ring(current) + Int(Self.bucketCount)) & (Int(Self.bucketCount) - 1))
    }

    /// Moves overflow keys that the ring now spans into their buckets.
    private mutating func admitOverflow() {
        while let top = overflow.first, top.time >> Self.widthShift < current + Self.bucketCount {
            _ = overflow.popFirst()
            // A key for the bucket about to become current is sorted with it.
            append(top, toBucket: max(top.time >> Self.widthShift, current))
        }
    }

    private mutating func append(_ key: EventKey, toBucket bucket: Int64) {
        let slot = ring(bucket)
        buckets[slot].append(key)
        occupied[slot >> 6] |= 1 << UInt64(slot & 63)
        waiting += 1
    }

    /// Sorts a bucket by (time, sequence). Buckets are small (tens of keys in the busiest
    /// stretches of a 1,000-node run) and filled in sequence order, so an insertion sort
    /// on time does it with few moves (the standard sort costs ~10× more at this size);
    /// large ones go to the standard sort.
    private static func sort(_ keys: inout [EventKey]) {
        guard keys.count > 1 else { return }
        guard keys.count <= 128 else { return keys.sort(by: EventKey.before) }
        keys.withUnsafeMutableBufferPointer { k in
            for i in 1..<k.count {
                let item = k[i]
                var j = i
                // Strictly later times move up; equal times keep sequence order.
                while j > 0 && k[j - 1].time > item.time {
                    k[j] = k[j - 1]
                    j -= 1
                }
                k[j] = item
            }
        }
    }

    @inline(__always)
    private func ring(_ bucket: Int64) -> Int { Int(bucket & (Self.bucketCount - 1)) }
}
