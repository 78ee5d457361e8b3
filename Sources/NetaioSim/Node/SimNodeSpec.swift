import NetaioCore

/// What the simulator needs to (re)create one node: its host, its role, how to configure
/// the engine and what to do once it is up. `configure` and `start` run again on every
/// restart, with a fresh engine (a crash loses all state).
public struct SimNodeSpec {
    public var name: String
    public var role: Role
    /// The node's address: UDP nodes bind it, TCP servers listen on it, TCP clients use its host.
    public var address: Address
    /// The LAN segment: multicast reaches UDP nodes of the same segment only (224.0.0.1
    /// and ff02::1 are link-local and never cross a router).
    public var segment: Int
    /// The peer id of each incarnation (1 = first start).
    public var peerID: (_ incarnation: Int) -> [UInt8]
    /// The peer data advertised (must be non-nil for peer management).
    public var peerData: (_ incarnation: Int) -> [UInt8]
    /// Plugins and other settings, on top of the simulator's clock, randomness and addresses.
    public var configure: (inout NodeConfiguration, _ incarnation: Int) -> Void
    /// Handlers, peer management, connections; runs inside the simulator after creation.
    public var start: (NodeEngine, _ node: Int, _ simulator: Simulator) -> Void
    /// When set, the node runs out of process (docs/external-nodes.md): called on every
    /// (re)start with the incarnation and its seed instead of building an engine.
    public var external: ((_ incarnation: Int, _ seed: UInt64, _ clock: SimNodeClock) -> any ExternalNodeDriver)?

    public init(
        name: String, role: Role, address: Address, segment: Int = 0,
        peerID: @escaping (Int) -> [UInt8], peerData: @escaping (Int) -> [UInt8],
        configure: @escaping (inout NodeConfiguration, Int) -> Void = { _, _ in },
        start: @escaping (NodeEngine, Int, Simulator) -> Void = { _, _, _ in },
        external: ((Int, UInt64, SimNodeClock) -> any ExternalNodeDriver)? = nil
    ) {
        self.name = name
        self.role = role
        self.address = address
        self.segment = segment
        self.peerID = peerID
        self.peerData = peerData
        self.configure = configure
        self.start = start
        self.external = external
    }
}
