import NIOCore
import NetaioCore

/// What every socket node (TCP server, TCP client, UDP node) offers on top of its
/// engine: handlers, direct engine access on its event loop, peer management, limit
/// counters. The engine lives on `eventLoop`; every call hops there.
public class NetaioNode: @unchecked Sendable {
    let driver: EngineDriver
    /// The event loop the node's engine and channels live on.
    public var eventLoop: any EventLoop { driver.eventLoop }

    init(driver: EngineDriver) { self.driver = driver }

    /// Runs `body` with the engine on its event loop and performs the actions it queued.
    /// The escape hatch for anything the async API does not cover.
    public func withEngine<T: Sendable>(_ body: @escaping @Sendable (NodeEngine) throws -> T) async throws -> T {
        let driver = self.driver
        return try await eventLoop.submit { try driver.run(body) }.get()
    }

    /// Registers a permanent handler (netaio `on`); its reply goes back to the sender.
    public func on(_ key: HandlerKey, authPlugin: (any AuthPlugin)? = nil, cipherPlugin: (any CipherPlugin)? = nil,
                   _ handler: @escaping SendableHandler) async throws {
        try await withEngine { $0.on(key, authPlugin: authPlugin, cipherPlugin: cipherPlugin, handler) }
    }

    /// Registers a handler used once (netaio `once`).
    public func once(_ key: HandlerKey, authPlugin: (any AuthPlugin)? = nil, cipherPlugin: (any CipherPlugin)? = nil,
                     _ handler: @escaping SendableHandler) async throws {
        try await withEngine { $0.once(key, authPlugin: authPlugin, cipherPlugin: cipherPlugin, handler) }
    }

    /// Turns on automatic peer management (needs `NodeOptions.localPeer`).
    public func managePeers(
        appID: [UInt8] = NodeEngine.defaultAppID, advertiseEvery: Double = 20, peerTimeout: Int = 60,
        authPlugin: (any AuthPlugin)? = nil, cipherPlugin: (any CipherPlugin)? = nil
    ) async throws {
        try await withEngine {
            try $0.managePeers(appID: appID, advertiseEvery: advertiseEvery, peerTimeout: peerTimeout,
                               authPlugin: authPlugin, cipherPlugin: cipherPlugin)
        }
    }

    /// Ends the node as a crash would (a killed process): no DISCONNECT and no last
    /// replies; connections close as the kernel closes a dead process's sockets, pending
    /// requests fail with `.cancelled`. Simulated-crash scenarios on real sockets use it.
    public func kill() async throws {
        let driver = self.driver
        try await eventLoop.submit { driver.kill() }.get()
        try? await closeOwnChannel()
    }

    /// The node's own socket (listener or datagram socket), closed by `kill`.
    func closeOwnChannel() async throws {}

    /// Known peers, in the order first seen.
    public func peers() async throws -> [Peer] { try await withEngine { $0.peers } }

    /// How often each hardening limit was hit.
    public func limitCount(_ event: LimitEvent) async throws -> Int {
        let driver = self.driver
        return try await eventLoop.submit { driver.limitCounts[event] ?? 0 }.get()
    }

    /// Called on the event loop for drops and peer events (for logs); nil to stop.
    public func onEvent(_ hook: (@Sendable (Event) -> Void)?) async throws {
        let driver = self.driver
        try await eventLoop.submit { driver.onEvent = hook }.get()
    }

    /// Called on the event loop when a hardening limit is hit (for logs).
    public func onLimit(_ hook: (@Sendable (LimitEvent, ConnectionID?) -> Void)?) async throws {
        let driver = self.driver
        try await eventLoop.submit { driver.onLimit = hook }.get()
    }

    /// Sends a request-type message and waits for its reply (RESPOND_URI for REQUEST_URI,
    /// CONFIRM_* for (UN)SUBSCRIBE_URI, else OK). Error replies throw `.errorReply`.
    func performRequest(
        _ uri: [UInt8], content: [UInt8], type: MessageType, endpoint: @escaping @Sendable (NodeEngine) throws -> Endpoint,
        timeout: Double?, authPlugin: (any AuthPlugin)?, cipherPlugin: (any CipherPlugin)?
    ) async throws -> Message {
        let driver = self.driver
        return try await eventLoop.flatSubmit {
            do {
                let target = try endpoint(driver.engine)
                return driver.request {
                    $0.request(uri, content: content, type: type, to: target, timeout: timeout,
                               options: SendOptions(authPlugin: authPlugin, cipherPlugin: cipherPlugin))
                }
            } catch {
                return driver.eventLoop.makeFailedFuture(error)
            }
        }.get()
    }

    /// Subscribes and returns the NOTIFY_URI messages for `uri` from `host` as they arrive.
    /// Throws if the subscription is not confirmed.
    func performSubscribe(
        _ uri: [UInt8], host: @escaping @Sendable (NodeEngine) throws -> (Endpoint, Address, ConnectionID?),
        timeout: Double?, authPlugin: (any AuthPlugin)?, cipherPlugin: (any CipherPlugin)?
    ) async throws -> NetaioSubscription {
        let (stream, continuation) = AsyncStream<Message>.makeStream(bufferingPolicy: .bufferingNewest(4096))
        let driver = self.driver
        let confirmation: Message
        do {
            confirmation = try await eventLoop.flatSubmit {
                do {
                    let (target, address, connection) = try host(driver.engine)
                    driver.engine.on(HandlerKey(.notifyURI, uri: uri, host: address), authPlugin: authPlugin, cipherPlugin: cipherPlugin) { m, _ in
                        continuation.yield(m)
                        return nil
                    }
                    driver.addStream(continuation, endingWith: connection)
                    return driver.request {
                        $0.request(uri, type: .subscribeURI, to: target, timeout: timeout,
                                   options: SendOptions(authPlugin: authPlugin, cipherPlugin: cipherPlugin))
                    }
                } catch {
                    return driver.eventLoop.makeFailedFuture(error)
                }
            }.get()
        } catch {
            continuation.finish()
            throw error
        }
        return NetaioSubscription(confirmation: confirmation, notifications: stream)
    }
}

/// A confirmed subscription: the CONFIRM_SUBSCRIBE reply and the NOTIFY_URI messages
/// that follow, as they arrive.
public struct NetaioSubscription: Sendable {
    public let confirmation: Message
    public let notifications: AsyncStream<Message>
}
