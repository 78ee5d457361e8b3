import NetaioCore

/// How a socket node's engine is set up: outer plugins (netaio's `auth_plugin=` /
/// `cipher_plugin=` on the node), identity for peer management, request timeout, and a
/// hook for anything else in `NodeConfiguration`. Real sockets use the system clock and
/// the system CSPRNG unless `configure` replaces them.
public struct NodeOptions: Sendable {
    public var authPlugin: (any AuthPlugin)?
    public var cipherPlugin: (any CipherPlugin)?
    public var localPeer: Peer?
    /// Default timeout of request/create/update/delete (seconds; netaio: 10).
    public var requestTimeout: Double
    /// Last word on the engine configuration (custom message types, peer plugin, …).
    public var configure: (@Sendable (inout NodeConfiguration) -> Void)?

    public init(
        authPlugin: (any AuthPlugin)? = nil, cipherPlugin: (any CipherPlugin)? = nil, localPeer: Peer? = nil,
        requestTimeout: Double = 10, configure: (@Sendable (inout NodeConfiguration) -> Void)? = nil
    ) {
        self.authPlugin = authPlugin
        self.cipherPlugin = cipherPlugin
        self.localPeer = localPeer
        self.requestTimeout = requestTimeout
        self.configure = configure
    }

    func configuration(role: Role) -> NodeConfiguration {
        var c = NodeConfiguration(role: role, random: SystemRandomSource(), clock: SystemUnixClock(), localPeer: localPeer)
        c.authPlugin = authPlugin
        c.cipherPlugin = cipherPlugin
        c.requestTimeout = requestTimeout
        configure?(&c)
        return c
    }
}

/// A handler for the socket API: like `Handler`, but it may be created on any thread
/// (it runs on the node's event loop).
public typealias SendableHandler = @Sendable (Message, HandlerContext) throws -> Message?
