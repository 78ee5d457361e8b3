/// The receive pipeline (PROTOCOL.md §6.2, §7): decode, checksum, outer auth check,
/// outer decrypt, pending requests, handler lookup, inner auth check, inner decrypt,
/// handler, reply.
extension NodeEngine {
    func handleFrame(_ bytes: [UInt8], from origin: Endpoint, remote: Address, stream: Bool) {
        let frame: FrameDecoder.DecodedFrame
        do {
            frame = try FrameDecoder(types: configuration.messageTypes).decodeFrame(bytes)
        } catch {
            drop(.undecodable(error), origin)
            // Q20: on TCP the header delimited the frame, so the stream is still in sync:
            // answer and keep serving. UDP stays silent for garbage (no reflection).
            if stream && configuration.repliesToInvalidMessages {
                sendReply(.error("invalid message"), to: origin, incoming: bytes.first.map { MessageType($0) }, options: .default, refreshesPeer: false)
            }
            return
        }
        guard frame.checksumMatches else {
            drop(.checksumMismatch, origin)
            if configuration.repliesToInvalidMessages {
                sendReply(.error("invalid message"), to: origin, incoming: frame.message.type, options: .default, refreshesPeer: false)
            }
            return
        }
        process(frame.message, from: origin, remote: remote)
    }

    func process(_ incoming: Message, from origin: Endpoint, remote: Address) {
        let context = pluginContext
        let peerPlugin = configuration.peerPlugin
        var message = incoming
        if configuration.useAuth, let auth = configuration.authPlugin {
            guard auth.check(message, context: context, peer: peer(at: remote), peerPlugin: peerPlugin) else {
                drop(.outerAuthFailed, origin)
                if failRequest(withUnprotectedError: message, from: origin) { return }
                if let reply = configuration.authErrorHandler(message, auth, configuration.messageTypes) {
                    sendReply(reply, to: origin, incoming: message.type, options: .plain, refreshesPeer: false)
                }
                return
            }
        }
        if configuration.useCipher, let cipher = configuration.cipherPlugin {
            do {
                message = try cipher.decrypt(message, context: context, peer: peer(at: remote), peerPlugin: peerPlugin)
            } catch {
                drop(.decryptFailed(error), origin)
                _ = failRequest(withUnprotectedError: message, from: origin)
                return
            }
        }
        touchPeer(at: remote)
        if completeRequest(with: message, from: origin) { return }
        for key in HandlerKey.lookupOrder(for: message, host: remote) {
            if let entry = (ephemeralHandlers.isEmpty ? nil : ephemeralHandlers.removeValue(forKey: key)) ?? handlers[key] {
                run(entry, key: key, message, from: origin, remote: remote)
                return
            }
        }
        if let fallback = configuration.defaultHandler {
            run(HandlerEntry(handler: fallback), key: nil, message, from: origin, remote: remote)
        }
    }

    func run(_ entry: HandlerEntry, key: HandlerKey?, _ received: Message, from origin: Endpoint, remote: Address) {
        let context = pluginContext
        var message = received
        if let auth = entry.authPlugin {
            guard auth.check(message, context: context, peer: peer(at: remote), peerPlugin: configuration.peerPlugin) else {
                drop(.innerAuthFailed, origin)
                // Q6: the handler never runs after a failed check, reply or not.
                if let reply = configuration.authErrorHandler(message, auth, configuration.messageTypes) {
                    sendReply(reply, to: origin, incoming: message.type, options: .plain)
                }
                return
            }
        }
        if let cipher = entry.cipherPlugin {
            do {
                message = try cipher.decrypt(message, context: context, peer: peer(at: remote), peerPlugin: configuration.peerPlugin)
            } catch {
                drop(.decryptFailed(error), origin)
                return
            }
        }
        let reply: Message?
        do {
            reply = try entry.handler(message, HandlerContext(node: self, origin: origin, remote: remote, key: key))
        } catch {
            // Q21: report, answer ERROR, keep the connection.
            drop(.handlerFailed(String(describing: error)), origin)
            sendReply(.error("handler error"), to: origin, incoming: message.type, options: .default)
            return
        }
        if let reply {
            sendReply(reply, to: origin, incoming: message.type,
                      options: SendOptions(authPlugin: entry.authPlugin, cipherPlugin: entry.cipherPlugin))
        }
    }

    /// Sends a reply unless this role does not reply or it would answer an error-type
    /// message with an error-type message (Q1 storm guard). `refreshesPeer` is false for
    /// answers to frames that failed the outer layers (bad checksum, outer auth): like
    /// netaio, those never refresh the sender's `lastRx`, so a peer whose traffic stops
    /// authenticating (wrong secret, stale HMAC timestamps) still times out.
    func sendReply(_ reply: Message, to origin: Endpoint, incoming: MessageType?, options: SendOptions, refreshesPeer: Bool = true) {
        guard configuration.sendsReplies, connections[originConnection: origin] else { return }
        if let incoming, isSilent(incoming), isSilent(reply.type) {
            drop(.errorReplySuppressed(reply.type), origin)
            return
        }
        if send(reply, to: origin, options: options), refreshesPeer, let remote = remoteAddress(of: origin) {
            touchPeer(at: remote)  // netaio refreshes last_rx when replying to a peer
        }
    }

    /// Refreshes `lastRx` of the peer at `remote`, if any.
    func touchPeer(at remote: Address) {
        guard let id = peerAddrs[remote] else { return }
        let t = nowSeconds
        peerTable.modify(id) { $0.lastRx = t }
    }
}

extension OrderedMap where Key == ConnectionID {
    /// Whether a reply to `origin` can still go out (UDP addresses always can).
    subscript(originConnection origin: Endpoint) -> Bool {
        if case .connection(let id) = origin { return contains(id) }
        return true
    }
}
