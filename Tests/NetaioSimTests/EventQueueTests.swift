import Testing
@testable import NetaioSim

/// The event queue pops in (time, sequence) order whatever the push order, including
/// many events at one instant (they keep the order they were scheduled in).
@Suite struct EventQueueTests {
    @Test func popsInTimeThenScheduleOrder() {
        var rng = SplitMix64(seed: 42)
        var queue = EventQueue<Int>()
        var expected: [(time: Int64, seq: Int)] = []
        for i in 0..<5000 {
            let t = Int64(rng.next() % 300)  // many ties
            queue.push(i, at: SimTime(nanoseconds: t))
            expected.append((t, i))
            if i % 7 == 0, let e = queue.pop() {
                // Interleaved pops take the smallest (time, sequence) so far.
                let best = expected.enumerated().min { ($0.element.time, $0.element.seq) < ($1.element.time, $1.element.seq) }!
                #expect(e.payload == best.element.seq && e.time.nanoseconds == best.element.time)
                expected.remove(at: best.offset)
            }
        }
        expected.sort { ($0.time, $0.seq) < ($1.time, $1.seq) }
        var popped: [Int] = []
        while let e = queue.pop() { popped.append(e.payload) }
        #expect(popped == expected.map(\.seq))
        #expect(queue.isEmpty)
    }

    /// The calendar lane against a plain sorted model over times that span many buckets,
    /// jump past the ring (overflow), land behind a bucket already reached by a peek, and
    /// mix with the timer lane; pops interleave with pushes made at the popped time.
    @Test(arguments: [UInt64(1), 7, 2026])
    func matchesASortedModelAcrossBucketsAndLanes(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var queue = EventQueue<Int>()
        var model: [(time: Int64, seq: Int)] = []
        var now: Int64 = 0
        var next = 0
        // The model stays sorted by (time, sequence); a push goes after every equal time.
        func push(_ t: Int64, lane: EventQueue<Int>.Lane) {
            queue.push(next, at: SimTime(nanoseconds: t), lane: lane)
            var lo = 0, hi = model.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if model[mid].time <= t { lo = mid + 1 } else { hi = mid }
            }
            model.insert((t, next), at: lo)
            next += 1
        }
        for step in 0..<12_000 {
            let r = rng.next() % 100
            let span: Int64
            switch r {
            case 0..<60: span = Int64(rng.next() % 30_000_000)  // packets: up to 30 ms
            case 60..<70: span = 0  // same instant
            case 70..<80: span = Int64(rng.next() % 200)  // within the current bucket
            case 80..<88: span = Int64(rng.next() % 5_000_000_000)  // beyond the ring
            case 88..<95: span = [1_000_000, 2_000_000, 50_000_000][Int(rng.next() % 3)]  // ties ahead
            default: span = Int64(rng.next() % 60_000_000_000)
            }
            push(now + span, lane: r >= 95 ? .later : .soon)
            if step % 3 == 0 {
                // Peek (which may move the lane to a far bucket), then schedule before it.
                if let t = queue.nextTime()?.nanoseconds, t > now + 1 {
                    push(now + Int64(rng.next() % UInt64(t - now)), lane: .soon)
                }
                let e = queue.pop()!
                let expected = model.removeFirst()
                #expect(e.payload == expected.seq && e.time.nanoseconds == expected.time)
                if e.payload != expected.seq { return }
                now = expected.time
            }
        }
        var popped: [Int] = []
        while let e = queue.pop() { popped.append(e.payload) }
        let firstDifference = zip(popped, model).enumerated().first { $0.element.0 != $0.element.1.seq }?.offset
        #expect(firstDifference == nil && popped.count == model.count)
        #expect(queue.isEmpty && queue.count == 0)
    }

    /// Keys sharing an instant in a bucket ahead of the clock (a multicast's copies with
    /// equal delays) come out in the order they were scheduled, small buckets and large.
    @Test(arguments: [10, 200])
    func equalTimesAheadKeepScheduleOrder(perInstant: Int) {
        var queue = EventQueue<Int>()
        let instants: [Int64] = [5_000_000, 3_000_000, 5_000_000 + 7, 3_000_000]
        var expected: [(Int64, Int)] = []
        for i in 0..<(perInstant * instants.count) {
            let t = instants[i % instants.count]
            queue.push(i, at: SimTime(nanoseconds: t))
            expected.append((t, i))
        }
        expected.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var popped: [Int] = []
        while let e = queue.pop() { popped.append(e.payload) }
        #expect(popped == expected.map(\.1))
    }
}
