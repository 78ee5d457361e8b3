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
}
