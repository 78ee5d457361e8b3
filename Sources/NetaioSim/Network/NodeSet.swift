/// A set of node indices with O(1) membership (one flag per node), in index order when listed.
public struct NodeSet: Sendable, Equatable {
    private var flags: [Bool]

    public init(count: Int, members: [Int]) {
        flags = Array(repeating: false, count: count)
        for m in members where m >= 0 && m < count { flags[m] = true }
    }

    public static func all(_ count: Int) -> NodeSet { NodeSet(count: count, members: Array(0..<count)) }

    @inline(__always)
    public func contains(_ node: Int) -> Bool { node >= 0 && node < flags.count && flags[node] }

    public var members: [Int] { flags.indices.filter { flags[$0] } }
}

/// Faults for traffic from one set of nodes to another, over the defaults.
public struct LinkOverride: Sendable {
    public var from: NodeSet
    public var to: NodeSet
    public var faults: LinkFaults

    public init(from: NodeSet, to: NodeSet, faults: LinkFaults) {
        self.from = from
        self.to = to
        self.faults = faults
    }
}

/// Nothing passes from `a` to `b` (and, unless one-way, from `b` to `a`) until healed.
public struct Partition: Sendable {
    public var name: String
    public var a: NodeSet
    public var b: NodeSet
    public var oneWay: Bool

    public init(name: String, a: NodeSet, b: NodeSet, oneWay: Bool) {
        self.name = name
        self.a = a
        self.b = b
        self.oneWay = oneWay
    }

    func blocks(from: Int, to: Int) -> Bool {
        (a.contains(from) && b.contains(to)) || (!oneWay && b.contains(from) && a.contains(to))
    }
}
