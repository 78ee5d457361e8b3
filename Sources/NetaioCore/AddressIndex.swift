import NetaioPlugins

/// Address → index map for the peer book (every received frame looks its sender up there)
/// and the simulator's bound addresses (every datagram is routed through it).
///
/// Open addressing (linear probing) on the address's precomputed host fingerprint, so a
/// lookup is a multiply, a few probes and one comparison — no SipHash pass as in a
/// standard dictionary. Entries iterate in insertion order (`elements`), as the engine's
/// output must not depend on hashing; a removed entry leaves a hole that is compacted
/// away once holes are half of the entries.
package struct AddressIndex {
    /// Key and value side by side: a lookup touches one entry, not two arrays.
    private struct Entry {
        var key: Address?
        var value: Int
    }
    private var entries: [Entry] = []
    /// Entry index per table position; `empty` or `deleted` otherwise. Power-of-two size.
    private var table: [Int32] = []
    package private(set) var count = 0
    private var used = 0  // table positions that are not `empty` (live + deleted)

    private static let empty: Int32 = -1
    private static let deleted: Int32 = -2

    package init() {}

    package subscript(address: Address) -> Int? {
        get { position(of: address).map { entries[Int(table[$0])].value } }
        set {
            if let newValue { insert(address, newValue) } else { remove(address) }
        }
    }

    /// Live entries in insertion order (an updated value keeps its entry's place).
    package var elements: [(key: Address, value: Int)] {
        var out: [(key: Address, value: Int)] = []
        out.reserveCapacity(count)
        for entry in entries { if let key = entry.key { out.append((key, entry.value)) } }
        return out
    }

    @discardableResult
    package mutating func removeValue(forKey address: Address) -> Int? { remove(address) }

    // MARK: - Table

    private func home(_ address: Address, mask: Int) -> Int {
        // Fibonacci hashing of the fingerprint mixed with the port: top bits → position.
        let mixed = (address.hostHash ^ (UInt64(address.port) &* 0x9E37_79B9_7F4A_7C15)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> 32) & mask
    }

    private func position(of address: Address) -> Int? {
        guard !table.isEmpty else { return nil }
        let mask = table.count - 1
        var i = home(address, mask: mask)
        while true {
            let entry = table[i]
            if entry == Self.empty { return nil }
            if entry >= 0, entries[Int(entry)].key == address { return i }
            i = (i + 1) & mask
        }
    }

    private mutating func insert(_ address: Address, _ value: Int) {
        if let p = position(of: address) {
            entries[Int(table[p])].value = value
            return
        }
        if (used + 1) * 4 > table.count * 3 { rebuild(capacityFor: count + 1) }
        entries.append(Entry(key: address, value: value))
        place(Int32(entries.count - 1), for: address)
        count += 1
    }

    @discardableResult
    private mutating func remove(_ address: Address) -> Int? {
        guard let p = position(of: address) else { return nil }
        let entry = Int(table[p])
        let value = entries[entry].value
        table[p] = Self.deleted
        entries[entry].key = nil
        count -= 1
        // Compact once holes are half the entries (keeps iteration and memory bounded).
        if entries.count >= 16 && count * 2 < entries.count { rebuild(capacityFor: count) }
        return value
    }

    private mutating func place(_ entry: Int32, for address: Address) {
        let mask = table.count - 1
        var i = home(address, mask: mask)
        while table[i] >= 0 { i = (i + 1) & mask }
        if table[i] == Self.empty { used += 1 }
        table[i] = entry
    }

    /// Drops holes from the entries and re-places them all in a table sized for `n`.
    private mutating func rebuild(capacityFor n: Int) {
        entries.removeAll { $0.key == nil }
        var size = 8
        while size * 3 < max(n, 1) * 4 * 2 { size <<= 1 }  // at most ~3/8 full after a rebuild
        table = [Int32](repeating: Self.empty, count: size)
        used = 0
        for (i, entry) in entries.enumerated() { place(Int32(i), for: entry.key!) }
    }
}
