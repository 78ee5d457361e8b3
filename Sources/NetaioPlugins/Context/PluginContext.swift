/// What a plugin may know about the node it runs in: netaio passes the node object; we
/// pass only the parts plugins use. Randomness and time come from here and nowhere else,
/// so a simulated run with a seeded source and a virtual clock is reproducible.
public struct PluginContext: Sendable {
    public var random: any RandomSource
    public var clock: any UnixClock
    /// The node's own peer record (`node.local_peer`), when it has one.
    public var localPeer: Peer?

    public init(random: any RandomSource, clock: any UnixClock, localPeer: Peer? = nil) {
        self.random = random
        self.clock = clock
        self.localPeer = localPeer
    }

    /// The context for real traffic: OS randomness and the wall clock.
    public static func system(localPeer: Peer? = nil) -> PluginContext {
        PluginContext(random: SystemRandomSource(), clock: SystemUnixClock(), localPeer: localPeer)
    }
}
