import NIOCore
import NIOPosix
import NetaioCore

/// A netaio UDP node on SwiftNIO (netaio `UDPNode`): datagrams to and from addresses,
/// optional multicast group membership, broadcast to known peers.
///
///     let node = try await NetaioUDPNode.bind(host: "127.0.0.1", port: 0)
///     let reply = try await node.request("status", to: Address(host: "127.0.0.1", port: 8888))
public final class NetaioUDPNode: NetaioNode, @unchecked Sendable {
    private let channel: any Channel
    /// The bound address (port 0 resolved).
    public let localAddress: Address
    /// Whether the multicast group was joined (false when not asked or not possible).
    public let joinedMulticast: Bool

    private init(driver: EngineDriver, channel: any Channel, localAddress: Address, joinedMulticast: Bool) {
        self.channel = channel
        self.localAddress = localAddress
        self.joinedMulticast = joinedMulticast
        super.init(driver: driver)
    }

    /// Binds a datagram socket. `multicastGroup` (IPv4 or IPv6 group address) is where
    /// `multicast` and peer advertisements go, at this node's port unless
    /// `multicastPort` says otherwise; with `joinMulticast` the node joins it on
    /// `multicastInterface` (an interface address such as 127.0.0.1; nil = any).
    /// A join that fails throws unless `requireMulticast` is false.
    public static func bind(
        host: String = "0.0.0.0", port: Int = 8888, options: NodeOptions = NodeOptions(),
        multicastGroup: String? = nil, multicastPort: Int? = nil, joinMulticast: Bool = false,
        multicastInterface: String? = nil, requireMulticast: Bool = true, group: (any EventLoopGroup)? = nil
    ) async throws -> NetaioUDPNode {
        let loop = (group ?? MultiThreadedEventLoopGroup.singleton).next()
        var configuration = options.configuration(role: .udpNode)
        // Real sockets: ignore_own_ip only when asked through `configure` with a local address.
        if configuration.localAddress == nil { configuration.ignoreOwnIP = false }
        let driver = EngineDriver(eventLoop: loop, configuration: configuration)
        let bootstrap = DatagramBootstrap(group: loop)
            // netaio frames can be up to 64 KiB in one datagram; NIO's default buffer is 2 KiB.
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65536))
            // Room for bursts of large datagrams (the kernel caps it at net.core.rmem_max).
            .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(DatagramHandler(driver: driver)) }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: host, port: port).get()
        } catch {
            throw NetaioError.connectionFailed("cannot bind \(host):\(port): \(error)")
        }
        guard let local = Address(channel.localAddress) else {
            try? await channel.close()
            throw NetaioError.connectionFailed("no local address")
        }
        var joined = false
        if let multicastGroup {
            do {
                if joinMulticast {
                    try await Self.join(channel, group: multicastGroup, port: Int(local.port), interface: multicastInterface)
                    joined = true
                }
            } catch {
                if requireMulticast {
                    try? await channel.close()
                    throw NetaioError.connectionFailed("cannot join multicast group \(multicastGroup): \(error)")
                }
            }
        }
        let groupAddress = multicastGroup.map { Address(host: $0, port: UInt16(multicastPort ?? Int(local.port))) }
        try await loop.submit {
            driver.datagramChannel = channel
            if let groupAddress { driver.engine.configuration.multicastGroup = groupAddress }
            else { driver.engine.configuration.multicastGroup.port = UInt16(multicastPort ?? Int(local.port)) }
        }.get()
        return NetaioUDPNode(driver: driver, channel: channel, localAddress: local, joinedMulticast: joined)
    }

    private static func join(_ channel: any Channel, group: String, port: Int, interface: String?) async throws {
        guard let multicast = channel as? any MulticastChannel else { throw NetaioError.connectionFailed("not a multicast channel") }
        let groupAddress = try SocketAddress(ipAddress: group, port: port)
        var device: NIONetworkDevice?
        if let interface {
            device = try System.enumerateDevices().first { $0.address?.ipAddress == interface }
            guard device != nil else { throw NetaioError.connectionFailed("no interface with address \(interface)") }
            // Outgoing multicasts leave through the same interface.
            if case .v4(let v4) = try SocketAddress(ipAddress: interface, port: 0), let provider = channel as? any SocketOptionProvider {
                try await provider.setIPMulticastIF(v4.address.sin_addr).get()
            }
        }
        try await multicast.joinGroup(groupAddress, device: device).get()
    }

    static func endpoint(_ address: Address) throws -> (Endpoint, Address, ConnectionID?) {
        let canonical = address.canonical
        guard canonical.family != nil else { throw NetaioError.sendFailed("\(address.host) is not a numeric IP address") }
        return (.address(canonical), canonical, nil)
    }

    /// REQUEST_URI (or `type`) to `address`; the reply must come from exactly there.
    public func request(
        _ uri: String, content: [UInt8] = [], type: MessageType = .requestURI, to address: Address,
        timeout: Double? = nil, authPlugin: (any AuthPlugin)? = nil, cipherPlugin: (any CipherPlugin)? = nil
    ) async throws -> Message {
        try await performRequest(Array(uri.utf8), content: content, type: type, endpoint: { _ in try Self.endpoint(address).0 },
                                 timeout: timeout, authPlugin: authPlugin, cipherPlugin: cipherPlugin)
    }

    public func create(_ uri: String, content: [UInt8], to address: Address, timeout: Double? = nil) async throws -> Message {
        try await request(uri, content: content, type: .createURI, to: address, timeout: timeout)
    }

    public func update(_ uri: String, content: [UInt8], to address: Address, timeout: Double? = nil) async throws -> Message {
        try await request(uri, content: content, type: .updateURI, to: address, timeout: timeout)
    }

    public func delete(_ uri: String, to address: Address, timeout: Double? = nil) async throws -> Message {
        try await request(uri, type: .deleteURI, to: address, timeout: timeout)
    }

    public func publish(_ uri: String, content: [UInt8], to address: Address, timeout: Double? = nil) async throws -> Message {
        try await request(uri, content: content, type: .publishURI, to: address, timeout: timeout)
    }

    /// SUBSCRIBE_URI to `address`, then its NOTIFY_URI messages until the node shuts down.
    public func subscribe(
        _ uri: String, at address: Address, timeout: Double? = nil,
        authPlugin: (any AuthPlugin)? = nil, cipherPlugin: (any CipherPlugin)? = nil
    ) async throws -> NetaioSubscription {
        try await performSubscribe(Array(uri.utf8), host: { _ in try Self.endpoint(address) }, timeout: timeout,
                                   authPlugin: authPlugin, cipherPlugin: cipherPlugin)
    }

    /// One datagram to `address`.
    public func send(_ message: Message, to address: Address) async throws {
        try await withEngine { e in
            guard e.send(message, to: try Self.endpoint(address).0) else { throw NetaioError.sendFailed("could not prepare \(message.type)") }
        }
    }

    /// One datagram to the multicast group.
    public func multicast(_ message: Message) async throws { try await withEngine { $0.multicast(message) } }

    /// Sends ADVERTISE_PEER for `appID` straight to `address` (for peers that multicast
    /// cannot reach); its PEER_DISCOVERED answer is handled by peer management.
    public func advertise(to address: Address, appID: [UInt8] = NodeEngine.defaultAppID) async throws {
        try await sendPeerRecord(.advertisePeer, to: address, appID: appID)
    }

    /// Sends DISCONNECT for `appID` straight to `address`.
    public func sayGoodbye(to address: Address, appID: [UInt8] = NodeEngine.defaultAppID) async throws {
        try await sendPeerRecord(.disconnect, to: address, appID: appID)
    }

    private func sendPeerRecord(_ type: MessageType, to address: Address, appID: [UInt8]) async throws {
        try await withEngine { e in
            guard let local = e.configuration.localPeer else { throw NetaioError.sendFailed("no local peer") }
            let message = Message(type: type, uri: appID, content: try e.configuration.peerPlugin.pack(local))
            guard e.send(message, to: try Self.endpoint(address).0) else { throw NetaioError.sendFailed("could not prepare \(type)") }
        }
    }

    /// Unicast to every known peer (netaio `broadcast`).
    public func broadcast(_ message: Message) async throws { try await withEngine { $0.broadcast(message) } }

    /// Stops peer management (multicasting DISCONNECT before the socket closes), ends
    /// pending requests and subscriptions, closes the socket.
    public func shutdown() async throws {
        let driver = self.driver
        try await eventLoop.submit { driver.shutdown() }.get()
        try? await channel.close()
    }

    override func closeOwnChannel() async throws { try await channel.close() }
}

/// Hands each datagram to the engine. Errors (e.g. ICMP unreachable) never close the socket.
final class DatagramHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let driver: EngineDriver

    init(driver: EngineDriver) { self.driver = driver }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let source = Address(envelope.remoteAddress) else { return }
        let bytes = Array(envelope.data.readableBytesView)
        guard let shim = driver.inboundShim else {
            driver.run { $0.received(datagram: bytes, from: source) }
            return
        }
        for copy in shim(bytes, source) {
            if copy.delay <= 0 {
                driver.run { $0.received(datagram: copy.bytes, from: source) }
                continue
            }
            let driver = self.driver
            context.eventLoop.scheduleTask(in: .nanoseconds(Int64(copy.delay * 1e9))) {
                guard !driver.isShutDown else { return }
                driver.run { $0.received(datagram: copy.bytes, from: source) }
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}

extension NetaioUDPNode {
    /// Sends every multicast (peer advertisements, DISCONNECT, `multicast`) as unicast
    /// datagrams to the addresses `targets` returns at that moment (called on the node's
    /// event loop). For interfaces without multicast, such as Linux loopback; nil restores
    /// real multicast.
    public func emulateMulticast(_ targets: (@Sendable () -> [Address])?) async throws {
        let driver = self.driver
        try await eventLoop.submit { driver.multicastTargets = targets }.get()
    }

    /// Installs a fault shim on inbound datagrams (called on the node's event loop): it
    /// returns the copies of each datagram to deliver and how many wall seconds to hold
    /// each; an empty list drops it. nil removes the shim.
    public func setInboundShim(_ shim: (@Sendable ([UInt8], Address) -> [(bytes: [UInt8], delay: Double)])?) async throws {
        let driver = self.driver
        try await eventLoop.submit { driver.inboundShim = shim }.get()
    }

    /// Calls `observer` (on the node's event loop) with each datagram the node sends and
    /// its destination, as it is handed to the socket. nil removes it.
    public func setOutboundObserver(_ observer: (@Sendable ([UInt8], Address) -> Void)?) async throws {
        let driver = self.driver
        try await eventLoop.submit { driver.outboundObserver = observer }.get()
    }
}
