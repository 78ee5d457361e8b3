import NetaioCore

/// A simulated host running one node. The engine is replaced on every (re)start; a crash
/// throws it away with all its state.
public final class SimNode {
    public let spec: SimNodeSpec
    public let clock: SimNodeClock
    /// The running engine, nil while the node is down.
    @exclusivity(unchecked) public internal(set) var engine: NodeEngine?
    /// The running out-of-process node (`SimNodeSpec.external`), nil while down.
    public internal(set) var external: (any ExternalNodeDriver)?
    /// 0 before the first start, then 1, 2, … (each start is a new process).
    @exclusivity(unchecked) public internal(set) var incarnation = 0
    @exclusivity(unchecked) var activeTimers = Set<TimerID>()
    var nextEphemeralPort: UInt16 = 49152

    init(spec: SimNodeSpec, clock: SimNodeClock) {
        self.spec = spec
        self.clock = clock
    }

    public var isUp: Bool { engine != nil || external != nil }
    public var name: String { spec.name }
    /// The peer id of the current (or last) incarnation.
    public var peerID: [UInt8] { spec.peerID(max(incarnation, 1)) }
}
