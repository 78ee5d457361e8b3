import CPrefetch

/// The scheduled events, popped in (time, sequence) order: events at the same instant run
/// in the order they were scheduled, which makes the run a pure function of the seed and
/// scenario.
///
/// Two lanes of plain keys: `.soon` for packets and calls (many, milliseconds ahead) in a
/// calendar queue (`CalendarLane`), `.later` for timers (one or two per node, seconds
/// away) in a 4-ary min-heap. A pop takes the smaller head, so the order is exactly that
/// of one queue (keys are unique). Payloads sit in a slot array, so ordering keys never
/// copies (or retains) them.
struct EventQueue<Payload> {
    enum Lane {
        case soon
        case later
    }

    struct Entry {
        var time: SimTime
        var sequence: UInt64
        var payload: Payload
    }

    private var soon = CalendarLane()
    private var later = KeyHeap()
    private var payloads: [Payload?] = []
    /// Beside each payload slot: the caller's hint of what the event will touch (the
    /// simulator's datagram target and source; -1 for none), read by `lookAhead`
    /// without touching the payload.
    private var hints: [Int64] = []
    private var freeSlots: [Int] = []
    private var nextSequence: UInt64 = 0

    var count: Int { soon.count + later.count }
    var isEmpty: Bool { soon.isEmpty && later.isEmpty }
    /// When the next event is due (finding it may sort a bucket, hence `mutating`).
    mutating func nextTime() -> SimTime? { nextKey().map { SimTime(nanoseconds: $0.time) } }

    private mutating func nextKey() -> EventKey? {
        let timer = later.first
        return soon.first(before: timer) ?? timer
    }

    mutating func push(_ payload: consuming Payload, at time: SimTime, lane: Lane = .soon, hint: Int64 = -1) {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            payloads[slot] = payload
            hints[slot] = hint
        } else {
            slot = payloads.count
            payloads.append(payload)
            hints.append(hint)
        }
        let key = EventKey(time: time.nanoseconds, sequence: nextSequence, slot: slot)
        nextSequence += 1
        switch lane {
        case .soon: soon.push(key)
        case .later: later.push(key)
        }
    }

    mutating func pop() -> Entry? { pop(notAfter: SimTime(nanoseconds: .max)) }

    /// The next event if it is due at or before `limit` (the run loop's one lookup per
    /// event), else nil with nothing removed.
    mutating func pop(notAfter limit: SimTime) -> Entry? {
        let timer = later.first
        let top: EventKey
        if let packet = soon.first(before: timer) {
            guard packet.time <= limit.nanoseconds else { return nil }
            top = soon.popFirst()
        } else if let timer {
            guard timer.time <= limit.nanoseconds else { return nil }
            top = later.popFirst()
            soon.clockAdvanced(to: top.time)
        } else {
            return nil
        }
        let payload = payloads[top.slot].take()!
        freeSlots.append(top.slot)
        return Entry(time: SimTime(nanoseconds: top.time), sequence: top.sequence, payload: payload)
    }
}

// MARK: - Looking ahead

extension EventQueue {
    /// For the next `depth` events as they probably come (the next keys of the packet
    /// lane's current bucket; a timer or a late packet may come first): starts loading
    /// their payload slots and hands `body` each one's push-time hint, nearest first.
    /// Nothing is copied; a wrong guess costs wasted prefetches. `mutating` only so that
    /// the simulator calls it in place.
    @inline(__always)
    mutating func lookAhead(_ depth: Int, _ body: (_ distance: Int, _ hint: Int64) -> Void) {
        for distance in 0..<depth {
            guard let key = soon.upcoming(distance) else { return }
            payloads.withUnsafeBufferPointer { netaio_prefetch($0.baseAddress! + key.slot) }
            body(distance, hints.withUnsafeBufferPointer { $0[key.slot] })
        }
    }
}

struct EventKey {
    var time: Int64
    var sequence: UInt64
    var slot: Int

    @inline(__always)
    static func before(_ a: EventKey, _ b: EventKey) -> Bool {
        a.time < b.time || (a.time == b.time && a.sequence < b.sequence)
    }
}

/// A 4-ary min-heap of event keys (four children per node: half the depth of a binary heap).
struct KeyHeap {
    private var heap: [EventKey] = []

    var count: Int { heap.count }
    var isEmpty: Bool { heap.isEmpty }
    var first: EventKey? { heap.first }

    mutating func push(_ key: EventKey) {
        heap.append(key)
        siftUp(heap.count - 1)
    }

    /// Removes and returns the smallest key; the heap must not be empty.
    mutating func popFirst() -> EventKey {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
        return top
    }

    private mutating func siftUp(_ index: Int) {
        var i = index
        let item = heap[i]
        while i > 0 {
            let parent = (i - 1) / 4
            guard EventKey.before(item, heap[parent]) else { break }
            heap[i] = heap[parent]
            i = parent
        }
        heap[i] = item
    }

    private mutating func siftDown(_ index: Int) {
        var i = index
        let n = heap.count
        let item = heap[i]
        while true {
            let first = 4 * i + 1
            if first >= n { break }
            var child = first
            var c = first + 1
            let end = min(first + 4, n)
            while c < end {
                if EventKey.before(heap[c], heap[child]) { child = c }
                c += 1
            }
            guard EventKey.before(heap[child], item) else { break }
            heap[i] = heap[child]
            i = child
        }
        heap[i] = item
    }
}
