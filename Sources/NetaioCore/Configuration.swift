/// A message handler: gets the message (outer and its own inner layers removed) and
/// returns the reply, or nil for none. A thrown error becomes an ERROR reply and the
/// connection stays open (netaio closes it, Q21).
public typealias Handler = (Message, HandlerContext) throws -> Message?

/// Decides the reply to a message whose auth check failed (netaio's `auth_error_handler`).
public typealias AuthErrorHandler = (_ message: Message, _ plugin: any AuthPlugin, _ types: MessageTypeSet) -> Message?

/// Per-send choices: inner plugins and the outer switches (netaio's `auth_plugin=`,
/// `cipher_plugin=`, `use_auth=`, `use_cipher=`).
public struct SendOptions {
    public var authPlugin: (any AuthPlugin)? {
        didSet { hasInnerPlugins = authPlugin != nil || cipherPlugin != nil }
    }
    public var cipherPlugin: (any CipherPlugin)? {
        didSet { hasInnerPlugins = authPlugin != nil || cipherPlugin != nil }
    }
    public var useAuth: Bool
    public var useCipher: Bool
    /// Whether an inner plugin is set (asked for every frame sent; testing an optional
    /// existential goes through a value-witness call).
    public private(set) var hasInnerPlugins: Bool

    public init(authPlugin: (any AuthPlugin)? = nil, cipherPlugin: (any CipherPlugin)? = nil, useAuth: Bool = true, useCipher: Bool = true) {
        self.authPlugin = authPlugin
        self.cipherPlugin = cipherPlugin
        self.useAuth = useAuth
        self.useCipher = useCipher
        hasInnerPlugins = authPlugin != nil || cipherPlugin != nil
    }

    public static var `default`: SendOptions { SendOptions() }
    /// No plugins at all (netaio sends auth-error replies like this).
    public static var plain: SendOptions { SendOptions(useAuth: false, useCipher: false) }
}

/// Everything an engine is configured with. Defaults follow netaio 0.0.9 except where
/// docs/differences.md says otherwise.
public struct NodeConfiguration {
    public var role: Role
    /// Where every nonce, IV and split point comes from.
    public var random: any RandomSource
    /// The engine's only time source (Unix seconds): timer deadlines, peer `lastRx`, HMAC `ts`.
    public var clock: any UnixClock

    /// The node's own identity (`local_peer`); needed for peer management.
    public var localPeer: Peer?
    /// Outer plugins, applied to all traffic while `useAuth`/`useCipher` hold.
    public var authPlugin: (any AuthPlugin)?
    public var cipherPlugin: (any CipherPlugin)?
    public var peerPlugin: any PeerPlugin
    /// Outer plugin switches for received traffic and the default for sends.
    public var useAuth: Bool
    public var useCipher: Bool
    public var messageTypes: MessageTypeSet

    /// Whether handler results and error replies are sent back. netaio clients never reply.
    public var sendsReplies: Bool
    /// Reply for messages no handler takes; nil = no reply. Role defaults: TCP server
    /// NOT_FOUND uri '', UDP node NOT_FOUND uri 'ERROR', TCP client none.
    public var defaultHandler: Handler?
    public var authErrorHandler: AuthErrorHandler
    /// Types that never get an error-type answer (storm guard, Q1): by default NOT_FOUND,
    /// NOT_PERMITTED and every type whose name contains ERROR.
    public var isSilentType: (MessageType, MessageTypeSet) -> Bool
    /// Reply ERROR "invalid message" to frames with a bad checksum (and, on TCP, to frames
    /// that do not decode); UDP never answers undecodable datagrams.
    public var repliesToInvalidMessages: Bool

    /// Largest TCP frame accepted; a header announcing more closes the connection. This
    /// bounds each connection's receive buffer.
    public var maxFrameLength: Int
    /// Most peers kept; new ids beyond it are dropped (netaio: unbounded, Q12).
    public var maxPeers: Int
    /// DISCONNECT removes a peer only when sent from one of that peer's addresses (Q12).
    public var disconnectRequiresPeerAddress: Bool

    /// UDP: the multicast group and port (netaio: 224.0.0.1, the node's port).
    public var multicastGroup: Address
    /// UDP: the node's own address; with `ignoreOwnIP`, datagrams from its host are dropped.
    public var localAddress: Address?
    public var ignoreOwnIP: Bool
    /// Default request timeout (seconds).
    public var requestTimeout: Double
    /// Deliberate bugs for the explorer's own tests (none unless a test plants them).
    @_spi(PlantedBugs) public var plantedBugs: PlantedBugs = []

    public static let defaultMaxPeers = 1024

    public init(role: Role, random: any RandomSource, clock: any UnixClock, localPeer: Peer? = nil) {
        self.role = role
        self.random = random
        self.clock = clock
        self.localPeer = localPeer
        authPlugin = nil
        cipherPlugin = nil
        peerPlugin = DefaultPeerPlugin()
        useAuth = true
        useCipher = true
        messageTypes = .standard
        sendsReplies = role != .tcpClient
        switch role {
        case .tcpServer: defaultHandler = { _, _ in .notFound() }
        case .udpNode: defaultHandler = { _, _ in .error("not found") }
        case .tcpClient: defaultHandler = nil
        }
        authErrorHandler = NodeConfiguration.netaioAuthErrorHandler
        isSilentType = NodeConfiguration.defaultSilentTypes
        repliesToInvalidMessages = true
        maxFrameLength = Header.size + 0xFFFF + 0xFFFF
        maxPeers = Self.defaultMaxPeers
        disconnectRequiresPeerAddress = true
        multicastGroup = Address(host: "224.0.0.1", port: 8888)
        localAddress = nil
        ignoreOwnIP = true
        requestTimeout = 10
    }

    /// netaio's default: no reply to a message whose type name contains ERROR, else the
    /// plugin's error message.
    public static func netaioAuthErrorHandler(_ message: Message, _ plugin: any AuthPlugin, _ types: MessageTypeSet) -> Message? {
        types.isErrorType(message.type) ? nil : plugin.error()
    }

    public static func defaultSilentTypes(_ type: MessageType, _ types: MessageTypeSet) -> Bool {
        type == .notFound || type == .notPermitted || types.isErrorType(type)
    }
}
