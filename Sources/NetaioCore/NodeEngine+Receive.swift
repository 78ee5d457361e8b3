/// The receive pipeline (docs/PROTOCOL.md §6.2, §7): decode, checksum, outer auth check,
/// outer decrypt, pending requests, handler lookup, inner auth check, inner decrypt,
/// handler, reply.
extension NodeEngine {
    func handleFrame(_ bytes: UnsafeRawBufferPointer, from origin: Endpoint, remote: Address, stream: Bool) {
        var noMemo: BodyMemo?
        handleFrame(bytes, from: origin, remote: remote, stream: stream, sharing: &noMemo)
    }

    /// `memo`: what the last frame of this sender decoded to, when the driver keeps it
    /// (see `BodyMemo`); used as the decoding hint and replaced by this frame's body.
    func handleFrame(
        _ bytes: UnsafeRawBufferPointer, from origin: Endpoint, remote: Address, stream: Bool,
        sharing memo: inout BodyMemo?
    ) {
        let message: Message
        var header = Header(messageType: .ok, authLength: 0, bodyLength: 0, checksum: 0)
        var checksumMatches = false
        do {
            message = try decode(bytes, from: remote, memo: memo, header: &header, checksumMatches: &checksumMatches)
        } catch {
            drop(.undecodable(error), origin)
            // Q20: on TCP the header delimited the frame, so the stream is still in sync:
            // answer and keep serving. UDP stays silent for garbage (no reflection).
            if stream && configuration.repliesToInvalidMessages {
                sendReply(.error("invalid message"), to: origin, incoming: bytes.first.map { MessageType($0) }, options: .default)
            }
            return
        }
        if !bytesEqual(lastURI, message.uri) { lastURI = message.uri }
        guard checksumMatches else {
            drop(.checksumMismatch, origin)
            if configuration.repliesToInvalidMessages {
                sendReply(.error("invalid message"), to: origin, incoming: message.type, options: .default)
            }
            return
        }
        // A memo with this checksum is this body (the hint was shared): keep it as it is.
        if memo?.checksum != header.checksum { memo = BodyMemo(verified: message, checksum: header.checksum) }
        process(message, from: origin, remote: remote)
    }

    /// Decodes with hints: the driver's memo of this sender, else the sender's last
    /// record (a re-advertisement repeats it, often with its verified body checksum),
    /// and the last uri seen. The memo is passed at +0 (not bound to a local first): a
    /// frame that matches it costs no copy of it, only the shares the message takes.
    private func decode(
        _ bytes: UnsafeRawBufferPointer, from remote: Address, memo: BodyMemo?,
        header: inout Header, checksumMatches: inout Bool
    ) throws(WireError) -> Message {
        let decoder = FrameDecoder(types: messageTypes)
        guard case .some = memo else {
            let last = peerBook.lastRecord(at: remote)
            return try decoder.decodeMessage(
                bytes, uriHint: last?.uri ?? lastURI, contentHint: last?.content, hintsChecksum: last?.checksum,
                header: &header, checksumMatches: &checksumMatches)
        }
        return try decoder.decodeMessage(
            bytes, uriHint: memo?.uri, contentHint: memo?.content, hintsChecksum: memo?.checksum,
            header: &header, checksumMatches: &checksumMatches)
    }

    func process(_ incoming: Message, from origin: Endpoint, remote: Address) {
        guard outerAuthActive || outerCipherActive else { return dispatch(incoming, from: origin, remote: remote) }
        var message = incoming
        if outerAuthActive, let auth = configuration.authPlugin {
            guard auth.check(message, context: pluginContext, peer: peer(at: remote), peerPlugin: configuration.peerPlugin) else {
                drop(.outerAuthFailed, origin)
                if failRequest(withUnprotectedError: message, from: origin) { return }
                if let reply = configuration.authErrorHandler(message, auth, configuration.messageTypes) {
                    sendReply(reply, to: origin, incoming: message.type, options: .plain)
                }
                return
            }
        }
        if outerCipherActive, let cipher = configuration.cipherPlugin {
            do {
                message = try cipher.decrypt(message, context: pluginContext, peer: peer(at: remote), peerPlugin: configuration.peerPlugin)
            } catch {
                drop(.decryptFailed(error), origin)
                _ = failRequest(withUnprotectedError: message, from: origin)
                return
            }
        }
        dispatch(message, from: origin, remote: remote)
    }

    /// A frame that passed the outer layers: refresh its sender, then the pending
    /// request it answers, else its handler, else the default handler.
    private func dispatch(_ message: Message, from origin: Endpoint, remote: Address) {
        touchPeer(at: remote)
        if completeRequest(with: message, from: origin) { return }
        if let (entry, key) = takeHandler(for: message, host: remote) {
            run(entry, key: key, message, from: origin, remote: remote)
            return
        }
        if let fallback = configuration.defaultHandler {
            run(HandlerEntry(handler: fallback), key: nil, message, from: origin, remote: remote)
        }
    }

    /// The handler for a message, most specific key first (`HandlerKey.lookupOrder`); an
    /// ephemeral handler wins over a permanent one with the same key and is consumed.
    /// The (type, uri, host) form is only tried when some handler uses it: it is rare, and
    /// this lookup runs for every frame.
    func takeHandler(for message: Message, host: Address) -> (HandlerEntry, HandlerKey)? {
        // Most frames are of a kind just seen (advertisements, the same request): with no
        // ephemeral or host-keyed handler to take precedence, the memo answers.
        let memoUsable = ephemeralHandlers.isEmpty && hostKeyedHandlers == 0
        if memoUsable, let memo = handlerMemo.entry(for: message.type, uri: message.uri) {
            return (memo.handler, memo.byURI ? HandlerKey(message.type, uri: message.uri) : HandlerKey(message.type))
        }
        guard let found = lookUpHandler(for: message, uri: ByteKey(message.uri), host: host) else { return nil }
        if memoUsable {  // so `found` is a permanent handler
            handlerMemo.remember(HandlerMemo.Entry(handler: found.0, type: message.type, uri: message.uri, byURI: found.1.uri != nil))
        }
        return found
    }

    private func lookUpHandler(for message: Message, uri: ByteKey, host: Address) -> (HandlerEntry, HandlerKey)? {
        if hostKeyedHandlers > 0, let entry = handler(for: HandlerTableKey(message.type, uri: uri, host: host)) {
            return (entry, HandlerKey(message.type, uri: message.uri, host: host))
        }
        if let entry = handler(for: HandlerTableKey(message.type, uri: uri, host: nil)) {
            return (entry, HandlerKey(message.type, uri: message.uri))
        }
        if let entry = handler(for: HandlerTableKey(message.type, uri: nil, host: nil)) {
            return (entry, HandlerKey(message.type))
        }
        return nil
    }

    private func handler(for key: HandlerTableKey) -> HandlerEntry? {
        if !ephemeralHandlers.isEmpty, let entry = ephemeralHandlers.removeValue(forKey: key) {
            if key.host != nil { hostKeyedHandlers -= 1 }
            return entry
        }
        return handlers[key]
    }

    func run(_ entry: HandlerEntry, key: HandlerKey?, _ received: Message, from origin: Endpoint, remote: Address) {
        if entry.isPlain {
            if case .advertisePeer(let appID)? = entry.builtin, !outerAuthActive, !outerCipherActive {
                return answerAdvertisement(received, appID: appID, HandlerContext(node: self, origin: origin, remote: remote, key: key))
            }
            return runPlain(entry, key: key, received, from: origin, remote: remote)
        }
        var message = received
        if let auth = entry.authPlugin {
            guard auth.check(message, context: pluginContext, peer: peer(at: remote), peerPlugin: configuration.peerPlugin) else {
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
                message = try cipher.decrypt(message, context: pluginContext, peer: peer(at: remote), peerPlugin: configuration.peerPlugin)
            } catch {
                drop(.decryptFailed(error), origin)
                return
            }
        }
        runPlain(entry, key: key, message, from: origin, remote: remote,
                 replyOptions: SendOptions(authPlugin: entry.authPlugin, cipherPlugin: entry.cipherPlugin))
    }

    /// Calls the handler and sends its reply. `run` for a handler without inner plugins
    /// (most of them), and its last step for the others: with the default reply options
    /// the plugin slots are never read, so no existential is copied per frame.
    private func runPlain(
        _ entry: HandlerEntry, key: HandlerKey?, _ message: Message, from origin: Endpoint, remote: Address,
        replyOptions: @autoclosure () -> SendOptions = .default
    ) {
        let reply: Message?
        do {
            reply = try call(entry, message, HandlerContext(node: self, origin: origin, remote: remote, key: key))
        } catch {
            // Q21: report, answer ERROR, keep the connection.
            drop(.handlerFailed(String(describing: error)), origin)
            sendReply(.error("handler error"), to: origin, incoming: message.type, options: .default)
            return
        }
        if let reply { sendReply(reply, to: origin, incoming: message.type, options: replyOptions()) }
    }

    /// Calls a handler; the engine's own peer-management handlers run directly, without
    /// the closure call (its context would be one more object to load per frame).
    @inline(__always)
    private func call(_ entry: HandlerEntry, _ message: Message, _ ctx: HandlerContext) throws -> Message? {
        guard let builtin = entry.builtin else { return try entry.handler(message, ctx) }
        return runBuiltin(builtin, message, ctx)
    }

    /// Sends a reply unless this role does not reply or it would answer an error-type
    /// message with an error-type message (Q1 storm guard). netaio refreshes the peer's
    /// `last_rx` when it replies; here `process` already did when the frame passed the
    /// outer layers (Q32), at the same instant. Answers to frames that failed the outer
    /// layers (bad checksum, outer auth) refresh nothing, like netaio, so a peer whose
    /// traffic stops authenticating (wrong secret, stale HMAC timestamps) still times out.
    func sendReply(_ reply: Message, to origin: Endpoint, incoming: MessageType?, options: SendOptions) {
        guard mayReply(to: origin, incoming: incoming, with: reply.type) else { return }
        send(reply, to: origin, options: options)
    }

    /// `sendReply`'s guards: this role replies, the origin is still connected, and the
    /// reply would not answer an error-type message with an error-type message.
    func mayReply(to origin: Endpoint, incoming: MessageType?, with replyType: MessageType) -> Bool {
        guard sendsReplies, connections[originConnection: origin] else { return false }
        if let incoming, isSilent(incoming), isSilent(replyType), !configuration.plantedBugs.contains(.answersErrorTypes) {
            drop(.errorReplySuppressed(replyType), origin)
            return false
        }
        return true
    }

    /// Refreshes `lastRx` of the peer at `remote`, if any.
    func touchPeer(at remote: Address) {
        guard refreshesLastSeen else { return }
        peerBook.touch(at: remote) { nowSeconds }
    }
}

extension OrderedMap where Key == ConnectionID {
    /// Whether a reply to `origin` can still go out (UDP addresses always can).
    subscript(originConnection origin: Endpoint) -> Bool {
        if case .connection(let id) = origin { return contains(id) }
        return true
    }
}
