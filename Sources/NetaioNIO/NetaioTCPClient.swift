import NIOCore
import NIOPosix
import NetaioCore

/// A netaio TCP client on SwiftNIO (netaio `TCPClient`): one or more servers, each with
/// its own connection; replies are matched to requests by (type, uri, server).
///
///     let client = try await NetaioTCPClient.connect(host: "127.0.0.1", port: 8888)
///     _ = try await client.create("greeting", content: Array("hi".utf8))
///     let reply = try await client.request("greeting")      // RESPOND_URI "hi"
///     for await note in try await client.subscribe("greeting") { print(note.content) }
///     try await client.shutdown()
public final class NetaioTCPClient: NetaioNode, @unchecked Sendable {
    public let limits: ConnectionLimits
    public let connectTimeout: Double

    private init(driver: EngineDriver, limits: ConnectionLimits, connectTimeout: Double) {
        self.limits = limits
        self.connectTimeout = connectTimeout
        super.init(driver: driver)
    }

    /// Makes a client without connecting.
    public static func make(
        options: NodeOptions = NodeOptions(), limits: ConnectionLimits = .default, connectTimeout: Double = 5,
        group: (any EventLoopGroup)? = nil
    ) -> NetaioTCPClient {
        let loop = (group ?? MultiThreadedEventLoopGroup.singleton).next()
        var configuration = options.configuration(role: .tcpClient)
        configuration.maxFrameLength = limits.maxFrameBytes  // the handler enforces it (with a reply) first
        let driver = EngineDriver(eventLoop: loop, configuration: configuration)
        let client = NetaioTCPClient(driver: driver, limits: limits, connectTimeout: connectTimeout)
        driver.opener = { [unowned driver] id, address in
            let handler = TCPConnectionHandler(client: id, driver: driver, limits: limits)
            ClientBootstrap(group: driver.eventLoop)
                .connectTimeout(.nanoseconds(Int64(connectTimeout * 1e9)))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler) }
                }
                .connect(host: address.host, port: Int(address.port))
                .whenComplete { result in
                    switch result {
                    case .success: driver.opened(id, handler: handler)
                    case .failure(let error): driver.openFailed(id, error)
                    }
                }
        }
        return client
    }

    /// Makes a client and connects it to its first (default) server.
    public static func connect(
        host: String, port: Int, options: NodeOptions = NodeOptions(), limits: ConnectionLimits = .default,
        connectTimeout: Double = 5, group: (any EventLoopGroup)? = nil
    ) async throws -> NetaioTCPClient {
        let client = make(options: options, limits: limits, connectTimeout: connectTimeout, group: group)
        do {
            try await client.connect(host: host, port: port)
        } catch {
            try? await client.shutdown()
            throw error
        }
        return client
    }

    /// Connects to one more server, keyed by `Address(host, port)` as given.
    @discardableResult
    public func connect(host: String, port: Int) async throws -> Address {
        guard let p = UInt16(exactly: port) else { throw NetaioError.connectionFailed("bad port \(port)") }
        let address = Address(host: host, port: p)
        let driver = self.driver
        _ = try await eventLoop.flatSubmit { driver.connect(to: address) }.get()
        return address
    }

    /// Servers with an open connection, in connection order; the first is the default.
    public func servers() async throws -> [Address] {
        try await withEngine { e in e.openConnections.compactMap { e.remoteAddress(of: $0) } }
    }

    /// The connection for `server` (default: the first open one).
    static func endpoint(_ engine: NodeEngine, _ server: Address?) throws -> (Endpoint, Address, ConnectionID?) {
        let id = server.flatMap { engine.connection(to: $0) } ?? (server == nil ? engine.openConnections.first : nil)
        guard let id, let remote = engine.remoteAddress(of: id) else {
            throw NetaioError.sendFailed("not connected to \(server?.description ?? "any server")")
        }
        return (.connection(id), remote, id)
    }

    /// REQUEST_URI (or `type`) and wait for the reply; see `NetaioError` for failures.
    public func request(
        _ uri: String, content: [UInt8] = [], type: MessageType = .requestURI, server: Address? = nil,
        timeout: Double? = nil, authPlugin: (any AuthPlugin)? = nil, cipherPlugin: (any CipherPlugin)? = nil
    ) async throws -> Message {
        try await performRequest(Array(uri.utf8), content: content, type: type, endpoint: { try Self.endpoint($0, server).0 },
                                 timeout: timeout, authPlugin: authPlugin, cipherPlugin: cipherPlugin)
    }

    public func create(_ uri: String, content: [UInt8], server: Address? = nil, timeout: Double? = nil) async throws -> Message {
        try await request(uri, content: content, type: .createURI, server: server, timeout: timeout)
    }

    public func update(_ uri: String, content: [UInt8], server: Address? = nil, timeout: Double? = nil) async throws -> Message {
        try await request(uri, content: content, type: .updateURI, server: server, timeout: timeout)
    }

    public func delete(_ uri: String, server: Address? = nil, timeout: Double? = nil) async throws -> Message {
        try await request(uri, type: .deleteURI, server: server, timeout: timeout)
    }

    public func publish(_ uri: String, content: [UInt8], server: Address? = nil, timeout: Double? = nil) async throws -> Message {
        try await request(uri, content: content, type: .publishURI, server: server, timeout: timeout)
    }

    /// SUBSCRIBE_URI, wait for CONFIRM_SUBSCRIBE, then the NOTIFY_URI messages as they
    /// arrive; the stream ends when the connection or the client closes.
    public func subscribe(
        _ uri: String, server: Address? = nil, timeout: Double? = nil,
        authPlugin: (any AuthPlugin)? = nil, cipherPlugin: (any CipherPlugin)? = nil
    ) async throws -> NetaioSubscription {
        try await performSubscribe(Array(uri.utf8), host: { try Self.endpoint($0, server) }, timeout: timeout,
                                   authPlugin: authPlugin, cipherPlugin: cipherPlugin)
    }

    /// Sends one message without waiting for anything.
    public func send(_ message: Message, server: Address? = nil) async throws {
        try await withEngine { e in
            let (endpoint, _, _) = try Self.endpoint(e, server)
            guard e.send(message, to: endpoint) else { throw NetaioError.sendFailed("could not prepare \(message.type)") }
        }
    }

    /// Closes every connection (DISCONNECT first with peer management), fails pending requests.
    public func shutdown() async throws {
        let driver = self.driver
        try await eventLoop.submit { driver.shutdown() }.get()
    }
}
