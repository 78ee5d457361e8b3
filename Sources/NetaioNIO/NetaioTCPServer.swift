import NIOCore
import NIOPosix
import NetaioCore

/// A netaio TCP server on SwiftNIO (netaio `TCPServer`), with the hardening limits of
/// `ConnectionLimits`. All connections share one event loop with the engine.
///
///     let server = try await NetaioTCPServer.start(host: "127.0.0.1", port: 0)
///     try await server.on(HandlerKey(.requestURI, uri: "hello")) { m, _ in
///         .respondURI(content: Array("world".utf8), uri: m.uri)
///     }
///     print(server.localAddress)   // the real port
///     try await server.shutdown()
public final class NetaioTCPServer: NetaioNode, @unchecked Sendable {
    private let channel: any Channel
    /// The bound address (port 0 resolved to the real port).
    public let localAddress: Address
    public let limits: ConnectionLimits

    private init(driver: EngineDriver, channel: any Channel, localAddress: Address, limits: ConnectionLimits) {
        self.channel = channel
        self.localAddress = localAddress
        self.limits = limits
        super.init(driver: driver)
    }

    /// Binds and starts accepting. `host` is an IPv4 or IPv6 address ("::1", "0.0.0.0", …).
    public static func start(
        host: String = "127.0.0.1", port: Int = 8888, options: NodeOptions = NodeOptions(),
        limits: ConnectionLimits = .default, group: (any EventLoopGroup)? = nil
    ) async throws -> NetaioTCPServer {
        let loop = (group ?? MultiThreadedEventLoopGroup.singleton).next()
        var configuration = options.configuration(role: .tcpServer)
        configuration.maxFrameLength = limits.maxFrameBytes  // the handler enforces it (with a reply) first
        let driver = EngineDriver(eventLoop: loop, configuration: configuration)
        let bootstrap = ServerBootstrap(group: loop, childGroup: loop)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                // Runs on `loop` (the child group), like every use of the driver.
                // Full: make room by evicting (ConnectionLimits.maxConnections); refuse
                // the newcomer only when nothing can be evicted.
                if driver.liveHandlers >= limits.maxConnections {
                    guard let victim = driver.evictionCandidate() else {
                        driver.limitHit(.connectionRefused, nil)
                        return channel.eventLoop.makeFailedFuture(NetaioError.connectionFailed("connection limit"))
                    }
                    victim.evict()
                }
                driver.liveHandlers += 1
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TCPConnectionHandler(acceptedBy: driver, limits: limits))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: host, port: port).get()
        } catch {
            throw NetaioError.connectionFailed("cannot listen on \(host):\(port): \(error)")
        }
        guard let local = Address(channel.localAddress) else {
            try? await channel.close()
            throw NetaioError.connectionFailed("no local address")
        }
        return NetaioTCPServer(driver: driver, channel: channel, localAddress: local, limits: limits)
    }

    /// Open client connections.
    public func connectionCount() async throws -> Int { try await withEngine { $0.openConnections.count } }

    /// Sends a message to every connection (netaio `broadcast`).
    public func broadcast(_ message: Message) async throws { try await withEngine { $0.broadcast(message) } }

    /// Sends a message to a topic's subscribers (netaio `notify`).
    public func notify(_ topic: [UInt8], _ message: Message) async throws {
        try await withEngine { $0.notify(topic, message) }
    }

    /// Stops accepting, closes every connection, ends pending work.
    public func shutdown() async throws {
        let driver = self.driver
        try await eventLoop.submit { driver.shutdown() }.get()
        try? await channel.close()
    }

    override func closeOwnChannel() async throws { try await channel.close() }
}
