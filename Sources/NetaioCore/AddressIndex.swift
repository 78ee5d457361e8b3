import CPrefetch
import NetaioPlugins

/// Address → index map for the peer book (every received frame looks its sender up there)
/// and the simulator's bound addresses (every datagram is routed through it).
///
/// Open addressing (linear probing) over slots that hold the keys themselves, in memory
/// this value owns: a lookup reads the slots' address from its owner, then, for a hit,
/// usually one cache line — no array header, no separate entries array, and no SipHash
/// pass (an address carries a precomputed host fingerprint). With a thousand simulated
/// nodes every lookup starts cold, so the lines it touches are what it costs.
///
/// Entries iterate in insertion order (`elements`), as the engine's output must not
/// depend on hashing. Removal shifts the following probe run back (no tombstones).
/// Noncopyable: the slots are raw memory owned by this value.
package struct AddressIndex: ~Copyable {
    private struct Slot {
        var key: Address
        /// -1: the slot is empty (its key is `Slot.empty`'s).
        var value: Int32
        /// Insertion number, for `elements`.
        var order: UInt32

        static let empty = Slot(key: Address(host: "", port: 0), value: -1, order: 0)
        var isEmpty: Bool { value < 0 }
    }

    // Slots are tested and compared in place (`slots[i].value`, `slots[i].key.hostHash`):
    // copying one out would retain its host string.
    private var slots: UnsafeMutablePointer<Slot>?
    private var capacity = 0  // 0 or a power of two
    package private(set) var count = 0
    private var nextOrder: UInt32 = 0

    package init() {}

    deinit {
        if let slots {
            slots.deinitialize(count: capacity)
            slots.deallocate()
        }
    }

    package subscript(address: Address) -> Int? {
        get { position(of: address).map { Int(slots![$0].value) } }
        set {
            if let newValue { insert(address, newValue) } else { remove(address) }
        }
    }

    /// Starts loading the slot where a lookup of `address` begins (a hint: nothing is
    /// read but the table's own address and size).
    @inline(__always)
    package func prefetch(_ address: Address) {
        guard let slots else { return }
        netaio_prefetch(slots + Self.home(address, mask: capacity - 1))
    }

    /// Live entries in insertion order (an updated value keeps its entry's place).
    package var elements: [(key: Address, value: Int)] {
        guard let slots else { return [] }
        var live: [Slot] = []
        live.reserveCapacity(count)
        for i in 0..<capacity where !slots[i].isEmpty { live.append(slots[i]) }
        live.sort { $0.order < $1.order }
        return live.map { ($0.key, Int($0.value)) }
    }

    @discardableResult
    package mutating func removeValue(forKey address: Address) -> Int? { remove(address) }

    // MARK: - Table

    private static func home(_ address: Address, mask: Int) -> Int {
        // Fibonacci hashing of the fingerprint mixed with the port: top bits → position.
        let mixed = (address.hostHash ^ (UInt64(address.port) &* 0x9E37_79B9_7F4A_7C15)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> 32) & mask
    }

    private func position(of address: Address) -> Int? {
        guard let slots else { return nil }
        let mask = capacity - 1
        var i = Self.home(address, mask: mask)
        while !slots[i].isEmpty {
            if slots[i].key.hostHash == address.hostHash, slots[i].key.port == address.port, slots[i].key == address { return i }
            i = (i + 1) & mask
        }
        return nil
    }

    private mutating func insert(_ address: Address, _ value: Int) {
        precondition(value >= 0 && value <= Int(Int32.max), "AddressIndex values are small indices")
        if let p = position(of: address) {
            slots![p].value = Int32(value)
            return
        }
        // At most 4/5 full: a probe run then stays within a line or two.
        if (count + 1) * 5 > capacity * 4 { grow() }
        if nextOrder == .max { renumber() }
        place(Slot(key: address, value: Int32(value), order: nextOrder))
        nextOrder += 1
        count += 1
    }

    @discardableResult
    private mutating func remove(_ address: Address) -> Int? {
        guard let p = position(of: address), let slots else { return nil }
        let value = Int(slots[p].value)
        slots[p] = .empty
        count -= 1
        // Backward shift: move later entries of the run into the hole when their home
        // position does not lie cyclically in (hole, their position].
        let mask = capacity - 1
        var hole = p
        var j = p
        while true {
            j = (j + 1) & mask
            if slots[j].isEmpty { break }
            let h = Self.home(slots[j].key, mask: mask)
            let stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j)
            if stays { continue }
            slots[hole] = slots[j]
            slots[j] = .empty
            hole = j
        }
        return value
    }

    /// Puts a key known to be absent at the end of its probe run.
    private func place(_ slot: Slot) {
        let mask = capacity - 1
        var i = Self.home(slot.key, mask: mask)
        while !slots![i].isEmpty { i = (i + 1) & mask }
        slots![i] = slot
    }

    private mutating func grow() {
        let oldSlots = slots
        let oldCapacity = capacity
        capacity = max(8, capacity * 2)
        let fresh = UnsafeMutablePointer<Slot>.allocate(capacity: capacity)
        fresh.initialize(repeating: .empty, count: capacity)
        slots = fresh
        guard let oldSlots else { return }
        for i in 0..<oldCapacity where !oldSlots[i].isEmpty { place(oldSlots[i]) }
        oldSlots.deinitialize(count: oldCapacity)
        oldSlots.deallocate()
    }

    /// Lets a test reach the end of the insertion numbers without four billion inserts.
    package mutating func setNextInsertionNumberForTesting(_ n: UInt32) { nextOrder = n }

    /// Insertion numbers ran out (after four billion inserts): number the live entries
    /// 0..<count again, keeping their order.
    private mutating func renumber() {
        guard let slots else { return }
        var positions = (0..<capacity).filter { !slots[$0].isEmpty }
        positions.sort { slots[$0].order < slots[$1].order }
        for (n, p) in positions.enumerated() { slots[p].order = UInt32(n) }
        nextOrder = UInt32(positions.count)
    }
}
