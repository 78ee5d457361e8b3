/// The reference resource behaviour of `netaio serve` / `netaio node` (issue 7), as
/// handlers on any NodeEngine (TCP server or UDP node, real sockets or simulated):
///
/// - CREATE_URI stores the content at the uri → OK
/// - REQUEST_URI → RESPOND_URI with the content, or NOT_FOUND
/// - UPDATE_URI replaces existing content → OK and NOTIFY_URI (new content) to the
///   uri's subscribers, or NOT_FOUND
/// - DELETE_URI removes → OK, or NOT_FOUND
/// - SUBSCRIBE_URI / UNSUBSCRIBE_URI → CONFIRM_SUBSCRIBE / CONFIRM_UNSUBSCRIBE
/// - PUBLISH_URI → NOTIFY_URI (its content) to the uri's subscribers, then OK
///
/// Every reply carries the request's uri: netaio's `request()` matches replies by
/// (type, uri, server), so any other uri would make it time out (docs/PROTOCOL.md Q5).
/// The store is bounded (`Limits`); a CREATE/UPDATE beyond them gets ERROR "store
/// full: …" with the request's uri (ERROR, not NOT_PERMITTED: netaio's `request()`
/// only recognises ERROR, AUTH_ERROR, NOT_FOUND and the success type). The
/// installed handlers keep the service alive.
public final class ResourceService {
    public struct Limits: Sendable {
        /// Most uris stored at once.
        public var maxResources: Int
        /// Most content bytes stored in total (uris included).
        public var maxStoredBytes: Int

        public init(maxResources: Int = 100_000, maxStoredBytes: Int = 64 << 20) {
            self.maxResources = maxResources
            self.maxStoredBytes = maxStoredBytes
        }
    }

    public let limits: Limits
    private var store: [ByteKey: [UInt8]] = [:]  // uris hashed as blocks, not byte by byte
    private var storedBytes = 0

    public init(limits: Limits = Limits()) { self.limits = limits }

    public var count: Int { store.count }
    public func content(at uri: [UInt8]) -> [UInt8]? { store[ByteKey(uri)] }

    /// Registers the resource handlers (keyed by type alone, so peer-management handlers
    /// keyed by (type, app id) still win) and a default handler that answers NOT_FOUND
    /// with the request's uri, and stays silent for reply and notification types.
    public func install(on engine: NodeEngine, authPlugin: (any AuthPlugin)? = nil, cipherPlugin: (any CipherPlugin)? = nil) {
        func on(_ type: MessageType, _ body: @escaping (Message, HandlerContext) -> Message?) {
            engine.on(HandlerKey(type), authPlugin: authPlugin, cipherPlugin: cipherPlugin) { m, ctx in body(m, ctx) }
        }
        on(.createURI) { [self] m, _ in self.create(m) }
        on(.requestURI) { [self] m, _ in
            guard let content = self.store[ByteKey(m.uri)] else { return .notFound(uri: m.uri) }
            return .respondURI(content: content, uri: m.uri)
        }
        on(.updateURI) { [self] m, ctx in
            guard self.store[ByteKey(m.uri)] != nil else { return .notFound(uri: m.uri) }
            if let refused = self.put(m.uri, m.content, type: m.type) { return refused }
            ctx.node.notify(m.uri, Message(type: .notifyURI, uri: m.uri, content: m.content),
                            options: SendOptions(authPlugin: authPlugin, cipherPlugin: cipherPlugin))
            return .ok(uri: m.uri)
        }
        on(.deleteURI) { [self] m, _ in
            guard let old = self.store.removeValue(forKey: ByteKey(m.uri)) else { return .notFound(uri: m.uri) }
            self.storedBytes -= m.uri.count + old.count
            return .ok(uri: m.uri)
        }
        on(.subscribeURI) { m, ctx in
            ctx.subscribe(m.uri)
            return Message(type: .confirmSubscribe, uri: m.uri)
        }
        on(.unsubscribeURI) { m, ctx in
            ctx.unsubscribe(m.uri)
            return Message(type: .confirmUnsubscribe, uri: m.uri)
        }
        on(.publishURI) { m, ctx in
            ctx.node.notify(m.uri, Message(type: .notifyURI, uri: m.uri, content: m.content),
                            options: SendOptions(authPlugin: authPlugin, cipherPlugin: cipherPlugin))
            return .ok(uri: m.uri)
        }
        let types = engine.configuration.messageTypes
        engine.configuration.defaultHandler = { m, _ in
            ResourceService.isAnswerType(m.type, types) ? nil : .notFound(uri: m.uri)
        }
    }

    /// Types that answer or announce something; answering them would only start loops.
    static func isAnswerType(_ type: MessageType, _ types: MessageTypeSet) -> Bool {
        let answers: Set<MessageType> = [
            .respondURI, .ok, .confirmSubscribe, .confirmUnsubscribe, .notifyURI,
            .advertisePeer, .peerDiscovered, .disconnect, .notFound, .notPermitted,
        ]
        return answers.contains(type) || types.isErrorType(type)
    }

    private func create(_ m: Message) -> Message {
        put(m.uri, m.content, type: m.type) ?? .ok(uri: m.uri)
    }

    /// Stores, or returns the ERROR reply when the limits would be exceeded.
    private func put(_ uri: [UInt8], _ content: [UInt8], type: MessageType) -> Message? {
        let key = ByteKey(uri)
        let old = store[key]
        let delta = content.count - (old?.count ?? -uri.count)
        if old == nil && store.count >= limits.maxResources {
            return .error("store full: \(limits.maxResources) resources", uri: uri, type: .error)
        }
        if storedBytes + delta > limits.maxStoredBytes {
            return .error("store full: \(limits.maxStoredBytes) bytes", uri: uri, type: .error)
        }
        store[key] = content
        storedBytes += delta
        return nil
    }
}
