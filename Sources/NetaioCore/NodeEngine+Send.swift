/// Sending (docs/PROTOCOL.md §6.1, §8, §9): encapsulation, unicast, broadcast, multicast,
/// subscriptions and notify.
extension NodeEngine {
    /// Sends one message to a connection or address through inner cipher, inner auth,
    /// outer cipher, outer auth. The outer plugins apply when both the options and the
    /// configuration enable them. Returns false (and emits a drop) if it could not be prepared.
    @discardableResult
    public func send(_ message: Message, to endpoint: Endpoint, options: SendOptions = .default) -> Bool {
        sendReportingFailure(message, to: endpoint, options: options) == nil
    }

    /// TCP client: `send` to the connection for `server`.
    @discardableResult
    public func send(_ message: Message, server: Address, options: SendOptions = .default) -> Bool {
        guard let id = connection(to: server) else {
            drop(.unknownEndpoint, .address(server))
            return false
        }
        return send(message, to: .connection(id), options: options)
    }

    /// Nil on success, else why it was not sent.
    func sendReportingFailure(_ message: Message, to endpoint: Endpoint, options: SendOptions) -> String? {
        guard let remote = remoteAddress(of: endpoint) else {
            drop(.unknownEndpoint, endpoint)
            return "unknown endpoint \(endpoint)"
        }
        switch encapsulate(message, peer: self.peer(at: remote), options: options) {
        case .success(let bytes):
            emit(bytes, to: endpoint)
            return nil
        case .failure(let why):
            drop(.sendFailed(why.reason), endpoint)
            return why.reason
        }
    }

    func emit(_ bytes: [UInt8], to endpoint: Endpoint) {
        if case .connection(let id) = endpoint, var conn = connections[id], !conn.isOpen {
            conn.pendingOutput.append(bytes)
            connections[id] = conn
            return
        }
        outbox.append(.send(bytes, to: endpoint))
    }

    /// The frame bytes for a message after all four layers.
    func encapsulate(_ message: Message, peer recipient: @autoclosure () -> Peer?, options: SendOptions) -> Result<[UInt8], SendFailure> {
        let outerCipher = options.useCipher && outerCipherActive
        let outerAuth = options.useAuth && outerAuthActive
        if !options.hasInnerPlugins, !outerCipher, !outerAuth {
            // No plugin runs: skip building their context (this path carries most frames).
            if let memo = lastPlainFrame, memo.message == message { return .success(memo.bytes) }
            do {
                let bytes = try message.encode()
                lastPlainFrame = EncodedFrame(message, bytes)
                return .success(bytes)
            } catch {
                return .failure(SendFailure(reason: String(describing: error)))
            }
        }
        let context = pluginContext
        let peerPlugin = configuration.peerPlugin
        let peer = recipient()
        var m = message
        do {
            if let cipher = options.cipherPlugin { m = try cipher.encrypt(m, context: context, peer: peer, peerPlugin: peerPlugin) }
            if let auth = options.authPlugin { try auth.make(&m.authFields, body: m.body, context: context, peer: peer, peerPlugin: peerPlugin) }
            if options.useCipher, configuration.useCipher, let cipher = configuration.cipherPlugin {
                m = try cipher.encrypt(m, context: context, peer: peer, peerPlugin: peerPlugin)
            }
            if options.useAuth, configuration.useAuth, let auth = configuration.authPlugin {
                try auth.make(&m.authFields, body: m.body, context: context, peer: peer, peerPlugin: peerPlugin)
            }
            return .success(try m.encode())
        } catch {
            return .failure(SendFailure(reason: String(describing: error)))
        }
    }

    /// Whether any plugin that would run for `options` needs the recipient's peer record.
    func needsPerRecipientPreparation(_ options: SendOptions) -> Bool {
        (options.cipherPlugin?.isPeerSpecific ?? false)
            || (options.authPlugin?.isPeerSpecific ?? false)
            || (options.useCipher && configuration.useCipher && (configuration.cipherPlugin?.isPeerSpecific ?? false))
            || (options.useAuth && configuration.useAuth && (configuration.authPlugin?.isPeerSpecific ?? false))
    }

    /// One message to several endpoints: prepared once unless a plugin is peer-specific.
    func fanOut(_ message: Message, to endpoints: [Endpoint], options: SendOptions) {
        guard !endpoints.isEmpty else { return }
        if needsPerRecipientPreparation(options) {
            for e in endpoints { send(message, to: e, options: options) }
            return
        }
        switch encapsulate(message, peer: nil, options: options) {
        case .success(let bytes):
            for e in endpoints { emit(bytes, to: e) }
        case .failure(let why):
            drop(.sendFailed(why.reason), nil)
        }
    }

    /// TCP: to every connection; UDP: to every known peer once, at its first address.
    public func broadcast(_ message: Message, options: SendOptions = .default) {
        fanOut(message, to: broadcastEndpoints, options: options)
    }

    var broadcastEndpoints: [Endpoint] {
        if role != .udpNode { return connections.keys.map { .connection($0) } }
        return peerBook.firstAddresses.map { .address($0) }
    }

    /// UDP: one datagram to the multicast group (prepared without a peer).
    public func multicast(_ message: Message, port: UInt16? = nil, options: SendOptions = .default) {
        let group = Address(host: configuration.multicastGroup.host, port: port ?? configuration.multicastGroup.port)
        switch encapsulate(message, peer: nil, options: options) {
        case .success(let bytes): outbox.append(.multicast(bytes, group: group))
        case .failure(let why): drop(.sendFailed(why.reason), .address(group))
        }
    }

    /// Adds an endpoint to a topic's subscribers (kept in subscription order).
    public func subscribe(_ topic: [UInt8], _ endpoint: Endpoint) {
        var list = subscriptions[topic] ?? []
        if !list.contains(endpoint) { list.append(endpoint) }
        subscriptions[topic] = list
    }

    /// Removes an endpoint from a topic; an emptied topic is deleted. Unknown pairs are ignored.
    public func unsubscribe(_ topic: [UInt8], _ endpoint: Endpoint) {
        guard var list = subscriptions[topic] else { return }
        list.removeAll { $0 == endpoint }
        subscriptions[topic] = list.isEmpty ? nil : list
    }

    /// Sends to every subscriber of `topic`.
    public func notify(_ topic: [UInt8], _ message: Message, options: SendOptions = .default) {
        fanOut(message, to: subscriptions[topic] ?? [], options: options)
    }

    func removeSubscriptions(of endpoint: Endpoint) {
        for topic in subscriptions.keys { unsubscribe(topic.bytes, endpoint) }
    }
}

struct SendFailure: Error {
    var reason: String
}

extension NodeEngine {
    /// A message and its encoding (the `lastPlainFrame` memo), held by reference so checking
    /// the memo copies nothing.
    final class EncodedFrame {
        let message: Message
        let bytes: [UInt8]
        init(_ message: Message, _ bytes: [UInt8]) {
            self.message = message
            self.bytes = bytes
        }
    }
}
