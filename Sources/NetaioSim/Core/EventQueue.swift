/// A binary min-heap of scheduled events ordered by (time, sequence): events at the same
/// instant run in the order they were scheduled, which makes the run a pure function of
/// the seed and scenario.
struct EventQueue<Payload> {
    struct Entry {
        var time: SimTime
        var sequence: UInt64
        var payload: Payload
    }

    private var heap: [Entry] = []
    private var nextSequence: UInt64 = 0

    var count: Int { heap.count }
    var isEmpty: Bool { heap.isEmpty }
    var nextTime: SimTime? { heap.first?.time }

    mutating func push(_ payload: Payload, at time: SimTime) {
        heap.append(Entry(time: time, sequence: nextSequence, payload: payload))
        nextSequence += 1
        siftUp(heap.count - 1)
    }

    mutating func pop() -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        if !heap.isEmpty { siftDown(0) }
        return top
    }

    @inline(__always)
    private func before(_ i: Int, _ j: Int) -> Bool {
        let ti = heap[i].time, tj = heap[j].time
        return ti < tj || (ti == tj && heap[i].sequence < heap[j].sequence)
    }

    private mutating func siftUp(_ index: Int) {
        var i = index
        while i > 0 {
            let parent = (i - 1) / 2
            guard before(i, parent) else { return }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var i = index
        let n = heap.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < n && before(l, m) { m = l }
            if r < n && before(r, m) { m = r }
            if m == i { return }
            heap.swapAt(i, m)
            i = m
        }
    }
}
