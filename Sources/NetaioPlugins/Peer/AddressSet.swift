/// A peer's addresses: a set (no duplicates) that remembers insertion order, so anything
/// that iterates it — and therefore a simulated run — is deterministic. Python uses a
/// plain `set`, whose order is an accident of hashing.
public struct AddressSet: Hashable, Sendable, Sequence, ExpressibleByArrayLiteral, CustomStringConvertible {
    public private(set) var elements: [Address] = []

    public init() {}
    public init(_ addresses: some Sequence<Address>) {
        for a in addresses { insert(a) }
    }
    public init(arrayLiteral addresses: Address...) { self.init(addresses) }

    public var count: Int { elements.count }
    public var isEmpty: Bool { elements.isEmpty }
    public func contains(_ address: Address) -> Bool { elements.contains(address) }
    public func makeIterator() -> IndexingIterator<[Address]> { elements.makeIterator() }

    /// Adds the address at the end unless present. Returns whether it was added.
    @discardableResult
    public mutating func insert(_ address: Address) -> Bool {
        if contains(address) { return false }
        elements.append(address)
        return true
    }

    @discardableResult
    public mutating func remove(_ address: Address) -> Address? {
        guard let i = elements.firstIndex(of: address) else { return nil }
        return elements.remove(at: i)
    }

    /// Set equality: the order does not matter.
    public static func == (a: AddressSet, b: AddressSet) -> Bool {
        a.count == b.count && a.elements.allSatisfy(b.contains)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(elements.sorted())
    }

    public var description: String { "{" + elements.map(\.description).joined(separator: ", ") + "}" }
}
