import CPrefetch

/// A growable array in raw memory owned by the value, for per-slot state that every
/// received frame reads and writes: no array header to load, no uniqueness check before
/// a write (each of those is a cache miss when a thousand simulated engines take turns).
/// Indices are checked against `count`, which lives with the owner.
struct SlotArray<Element>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>?
    private(set) var count = 0
    private var capacity = 0

    init() {}

    deinit {
        if let base {
            base.deinitialize(count: count)
            base.deallocate()
        }
    }

    subscript(index: Int) -> Element {
        // A borrow, not a copy: reading one field of an element must not retain the
        // references in the others.
        _read {
            precondition(index >= 0 && index < count, "SlotArray index out of range")
            yield base![index]
        }
        _modify {
            precondition(index >= 0 && index < count, "SlotArray index out of range")
            yield &base![index]
        }
    }

    var indices: Range<Int> { 0..<count }

    /// Starts loading element `index`'s line (a hint; out of range: nothing).
    @inline(__always)
    func prefetch(_ index: Int) {
        guard index >= 0 && index < count, let base else { return }
        netaio_prefetch(base + index)
    }

    mutating func append(_ element: consuming Element) {
        if count == capacity {
            let larger = max(4, capacity * 2)
            let fresh = UnsafeMutablePointer<Element>.allocate(capacity: larger)
            if let base {
                fresh.moveInitialize(from: base, count: count)
                base.deallocate()
            }
            base = fresh
            capacity = larger
        }
        (base! + count).initialize(to: element)
        count += 1
    }
}
