/// request / create / update / delete (docs/PROTOCOL.md §8.2, §9) as pending-request records
/// instead of ephemeral handlers: the reply must come from the same endpoint. netaio's
/// keys are matched first (same uri; success type, ERROR, AUTH_ERROR, NOT_FOUND unless
/// CREATE); then, unlike netaio (Q5), an error-type reply with uri `ERROR` or `''` from
/// that endpoint fails the oldest request waiting there.
extension NodeEngine {
    /// Sends `type` (default REQUEST_URI) for `uri` and waits for the reply. The outcome
    /// arrives as `requestCompleted` or `requestFailed`. `options` inner plugins are
    /// applied to the request and removed from the reply.
    @discardableResult
    public func request(
        _ uri: [UInt8], content: [UInt8] = [], type: MessageType = .requestURI, to endpoint: Endpoint,
        timeout: Double? = nil, options: SendOptions = .default
    ) -> RequestID {
        let id = RequestID(rawValue: nextID())
        let message = Message(type: type, uri: uri, content: content)
        let remote = remoteAddress(of: endpoint)
        if let why = sendReportingFailure(message, to: endpoint, options: options) {
            outbox.append(.event(.requestFailed(id, .sendFailed(why))))
            return id
        }
        let seconds = timeout ?? configuration.requestTimeout
        let timer = armTimer(after: seconds, .request(id))
        requests[id] = PendingRequest(
            uri: uri, type: type, endpoint: endpoint, remote: remote!, timer: timer, timeout: seconds, options: options)
        return id
    }

    @discardableResult
    public func create(_ uri: [UInt8], _ data: [UInt8], to endpoint: Endpoint, timeout: Double? = nil, options: SendOptions = .default) -> RequestID {
        request(uri, content: data, type: .createURI, to: endpoint, timeout: timeout, options: options)
    }

    @discardableResult
    public func update(_ uri: [UInt8], _ data: [UInt8], to endpoint: Endpoint, timeout: Double? = nil, options: SendOptions = .default) -> RequestID {
        request(uri, content: data, type: .updateURI, to: endpoint, timeout: timeout, options: options)
    }

    @discardableResult
    public func delete(_ uri: [UInt8], to endpoint: Endpoint, timeout: Double? = nil, options: SendOptions = .default) -> RequestID {
        request(uri, type: .deleteURI, to: endpoint, timeout: timeout, options: options)
    }

    /// Abandons a pending request (`requestFailed(.cancelled)`).
    public func cancelRequest(_ id: RequestID) {
        guard requests[id] != nil else { return }
        finish(id, .failure(.cancelled))
    }

    func finish(_ id: RequestID, _ result: Result<Message, RequestError>) {
        guard let r = requests.removeValue(forKey: id) else { return }
        cancelTimer(r.timer)
        switch result {
        case .success(let m): outbox.append(.event(.requestCompleted(id, m)))
        case .failure(let e): outbox.append(.event(.requestFailed(id, e)))
        }
    }

    /// Whether `message` (outer layers removed) was a reply to a pending request.
    func completeRequest(with message: Message, from origin: Endpoint) -> Bool {
        guard !requests.isEmpty else { return false }
        for id in requests.keys {
            let r = requests[id]!
            guard r.endpoint == origin, r.uri == message.uri, r.accepts(message.type) else { continue }
            var reply = message
            let context = pluginContext
            let peer = peer(at: r.remote)
            if let auth = r.options.authPlugin,
               !auth.check(reply, context: context, peer: peer, peerPlugin: configuration.peerPlugin) {
                drop(.requestReplyRejected, origin)  // keep waiting: a forgery must not end the request
                return true
            }
            if let cipher = r.options.cipherPlugin {
                do {
                    reply = try cipher.decrypt(reply, context: context, peer: peer, peerPlugin: configuration.peerPlugin)
                } catch {
                    drop(.requestReplyRejected, origin)
                    return true
                }
            }
            finish(id, reply.type == r.successType ? .success(reply) : .failure(.errorReply(reply)))
            return true
        }
        return failRequest(withUnprotectedError: message, from: origin)
    }

    /// Q5: netaio's error replies carry uri ERROR (make_error_msg) or '' (NOT_FOUND), and
    /// auth-error replies are sent without any plugin. Such a reply from the endpoint of a
    /// pending request fails the oldest request there — also when it did not pass the
    /// outer layers, since it can only end a request as failed, never complete one.
    func failRequest(withUnprotectedError message: Message, from origin: Endpoint) -> Bool {
        guard isSilent(message.type), message.uri.isEmpty || message.uri == Array("ERROR".utf8),
              let id = requests.keys.first(where: { requests[$0]!.endpoint == origin })
        else { return false }
        finish(id, .failure(.errorReply(message)))
        return true
    }
}
