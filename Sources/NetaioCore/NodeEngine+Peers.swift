/// Automatic peer management (docs/PROTOCOL.md §10): ADVERTISE_PEER / PEER_DISCOVERED /
/// DISCONNECT with uri = app id and content = the peer plugin's pack of the local peer.
extension NodeEngine {
    public static let defaultAppID: [UInt8] = Array("netaio".utf8)

    /// Registers the three peer handlers under `(type, appID)` with the given inner
    /// plugins, then: UDP — multicasts ADVERTISE_PEER now and every `advertiseEvery`
    /// seconds, removing peers silent for more than `peerTimeout` seconds at each tick;
    /// TCP client — sends ADVERTISE_PEER on every connection (and on later connects);
    /// TCP server — sends nothing (it answers advertisements).
    public func managePeers(
        appID: [UInt8] = NodeEngine.defaultAppID, advertiseEvery: Double = 20, peerTimeout: Int = 60,
        authPlugin: (any AuthPlugin)? = nil, cipherPlugin: (any CipherPlugin)? = nil
    ) throws(NodeError) {
        guard let local = configuration.localPeer else { throw .noLocalPeer }
        do { _ = try configuration.peerPlugin.pack(local) } catch { throw .unpackableLocalPeer(error) }
        if peerManagement[appID] != nil { stopPeerManagement(appID: appID, sayGoodbye: false) }
        let app = PeerManagement(
            appID: appID, advertiseEvery: advertiseEvery, peerTimeout: peerTimeout,
            authPlugin: authPlugin, cipherPlugin: cipherPlugin)
        peerManagement[appID] = app
        let peerHandlers: [(MessageType, BuiltinHandler)] = [
            (.advertisePeer, .advertisePeer(appID: appID)), (.peerDiscovered, .peerDiscovered), (.disconnect, .disconnect),
        ]
        for (type, builtin) in peerHandlers {
            // The engine runs these itself (`call`); the closure does the same for whoever
            // holds the entry. The engine owns its handlers and alone calls them, so it
            // outlives every call: `unowned(unsafe)` skips the strong-retain check of `unowned`.
            let entry = HandlerEntry(
                handler: { [unowned(unsafe) self] m, ctx in self.runBuiltin(builtin, m, ctx) },
                authPlugin: authPlugin, cipherPlugin: cipherPlugin, builtin: builtin)
            on(configuration.plantedBugs.contains(.acceptsAnyAppID) ? HandlerKey(type) : HandlerKey(type, uri: appID), entry)
        }
        switch role {
        case .udpNode: advertise(appID)
        case .tcpClient:
            for id in connections.keys { sendPeerMessage(.advertisePeer, app, to: .connection(id)) }
        case .tcpServer: break
        }
    }

    /// Removes the handlers and says goodbye: UDP multicasts DISCONNECT (before anything
    /// is closed, unlike netaio Q16, and for this app id, unlike Q15); a TCP client sends
    /// DISCONNECT on every connection. Known peers are kept.
    public func stopPeerManagement(appID: [UInt8] = NodeEngine.defaultAppID) {
        stopPeerManagement(appID: appID, sayGoodbye: true)
    }

    func stopPeerManagement(appID: [UInt8], sayGoodbye: Bool) {
        guard let app = peerManagement.removeValue(forKey: appID) else { return }
        for t in [MessageType.advertisePeer, .peerDiscovered, .disconnect] { removeHandler(HandlerKey(t, uri: appID)) }
        cancelTimer(app.timer)
        guard sayGoodbye else { return }
        switch role {
        case .udpNode:
            if let m = peerMessage(.disconnect, appID) { multicast(m, options: app.options) }
        case .tcpClient:
            for id in connections.keys { sendPeerMessage(.disconnect, app, to: .connection(id)) }
        case .tcpServer: break
        }
    }

    /// Stops every peer management (with DISCONNECT), closes every connection and
    /// fails every pending request with `.cancelled`.
    public func stop() {
        for appID in peerManagement.keys { stopPeerManagement(appID: appID.bytes) }
        for id in connections.keys { close(id) }
        for id in requests.keys { finish(id, .failure(.cancelled)) }
    }

    /// Forgets a peer and its addresses' subscriptions.
    public func removePeer(id: [UInt8]) { removePeer(ByteKey(id), reason: .removed) }

    /// Peer-management message for the local peer, or nil (with a drop) if it cannot be built.
    func peerMessage(_ type: MessageType, _ appID: [UInt8]) -> Message? {
        // Every PEER_DISCOVERED reply carries this pack: make it once per configuration.
        if let cached = localPeerPack { return Message(type: type, uri: appID, content: cached) }
        guard let local = configuration.localPeer else { return nil }
        do {
            let content = try configuration.peerPlugin.pack(local)
            localPeerPack = content
            return Message(type: type, uri: appID, content: content)
        } catch {
            drop(.sendFailed("local peer: \(error)"), nil)
            return nil
        }
    }

    func sendPeerMessage(_ type: MessageType, _ app: PeerManagement, to endpoint: Endpoint) {
        if let m = peerMessage(type, app.appID) { send(m, to: endpoint, options: app.options) }
    }

    /// One UDP advertisement tick: expire silent peers, multicast, re-arm.
    func advertise(_ appID: [UInt8]) {
        guard var app = peerManagement[appID] else { return }
        removeTimedOutPeers(olderThan: app.peerTimeout)
        if let m = peerMessage(.advertisePeer, appID) { multicast(m, options: app.options) }
        app.timer = armTimer(after: max(0.1, app.advertiseEvery), .advertise(appID))
        peerManagement[appID] = app
    }

    /// Peers whose `lastRx` is more than `timeout` whole seconds ago are removed.
    public func removeTimedOutPeers(olderThan timeout: Int) {
        if configuration.plantedBugs.contains(.keepsTimedOutPeers) { return }
        for id in peerBook.silent(for: timeout, now: nowSeconds) { removePeer(id, reason: .timedOut) }
    }

    /// A peer-management handler: learn the sender (answering an advertisement with
    /// PEER_DISCOVERED), or forget it on DISCONNECT.
    func runBuiltin(_ builtin: BuiltinHandler, _ message: Message, _ ctx: HandlerContext) -> Message? {
        switch builtin {
        case .advertisePeer(let appID): return learnPeer(from: message, ctx) ? peerMessage(.peerDiscovered, appID) : nil
        case .peerDiscovered:
            learnPeer(from: message, ctx)
            return nil
        case .disconnect:
            peerLeft(message, ctx)
            return nil
        }
    }

    /// ADVERTISE_PEER through its plain handler with no outer plugin either (the usual
    /// case, and most frames of a discovery run): what `runBuiltin` and `sendReply` do,
    /// without building and encoding the same PEER_DISCOVERED again for every
    /// advertisement heard — its bytes are kept per configuration.
    func answerAdvertisement(_ message: Message, appID: [UInt8], _ ctx: HandlerContext) {
        guard learnPeer(from: message, ctx) else { return }
        guard let reply = plainDiscoveredReply(appID, for: ctx.origin) else { return }
        guard mayReply(to: ctx.origin, incoming: message.type, with: .peerDiscovered) else { return }
        emit(reply, to: ctx.origin)
    }

    /// The plugin-free PEER_DISCOVERED bytes for `appID`, encoded on first use (nil, with
    /// a drop, when the local peer cannot be packed or the frame encoded).
    private func plainDiscoveredReply(_ appID: [UInt8], for origin: Endpoint) -> [UInt8]? {
        // The app id is the handler's own array: comparing storage avoids touching it.
        if !discoveredReplyBytes.isEmpty, sameStorage(discoveredReplyAppID, appID) { return discoveredReplyBytes }
        guard let reply = peerMessage(.peerDiscovered, appID) else { return nil }
        do {
            discoveredReplyBytes = try reply.encode()
            discoveredReplyAppID = appID
            return discoveredReplyBytes
        } catch {
            drop(.sendFailed(String(describing: error)), origin)
            return nil
        }
    }

    /// Parses, validates and records the sender of ADVERTISE_PEER / PEER_DISCOVERED.
    /// False when it is invalid, our own id, or rejected by the peer cap.
    @discardableResult
    func learnPeer(from message: Message, _ ctx: HandlerContext) -> Bool {
        // Peers re-advertise the same record every few seconds: skip the parse when it is
        // byte-identical to the one this address's peer was last refreshed from (`process`
        // already refreshed its `lastRx` for this frame).
        if peerRecordsArePure, peerBook.isUnchanged(at: ctx.remote, recordBytes: message.content) {
            return true
        }
        guard let peer = parsePeer(message, ctx, requireData: true), let peerID = peer.id else { return false }
        let id = ByteKey(peerID)
        if id == localPeerKey { return false }
        let t = nowSeconds
        let last = BodyMemo(remembering: message)
        if let addressIsBound = peerBook.refresh(id: id, heardAt: ctx.remote, data: peer.data, lastRx: t, record: last) {
            if !addressIsBound { bind(ctx.remote, to: id) }
            return true
        }
        // A new id from the only address of a known peer takes that peer's place (a
        // restarted node; `bind` below would remove the old id anyway). With a full table
        // the old id goes first, so the cap does not refuse the new one: refused, the old
        // id would stay forever, refreshed by the new process's traffic from the same
        // address (found by `scenario explore`, Fixtures/scenarios/13-…).
        if peerBook.count >= configuration.maxPeers, let owner = peerBook.peer(at: ctx.remote), owner.addrs.count == 1 {
            unbindAddress(ctx.remote, reason: .addressTaken)
        }
        guard peerBook.count < configuration.maxPeers || configuration.plantedBugs.contains(.unboundedPeerTable) else {
            drop(.peerTableFull, ctx.origin)
            return false
        }
        let record = Peer(addrs: [ctx.remote], id: peerID, data: peer.data, lastRx: t)
        peerBook.insert(record, id: id, record: last)
        bind(ctx.remote, to: id)
        outbox.append(.event(.peerAdded(record)))
        return true
    }

    func parsePeer(_ message: Message, _ ctx: HandlerContext, requireData: Bool) -> Peer? {
        let peer: Peer
        do {
            peer = try configuration.peerPlugin.unpack(message.content)
        } catch {
            drop(.invalidPeerRecord(String(describing: error)), ctx.origin)
            return nil
        }
        guard peer.id != nil, !requireData || peer.data != nil else {
            drop(.invalidPeerRecord("id or data missing"), ctx.origin)
            return nil
        }
        guard configuration.peerPlugin.validate(peer) else {
            drop(.invalidPeerRecord("rejected by the peer plugin"), ctx.origin)
            return nil
        }
        return peer
    }

    func peerLeft(_ message: Message, _ ctx: HandlerContext) {
        guard let peerID = parsePeer(message, ctx, requireData: false)?.id else { return }
        let id = ByteKey(peerID)
        guard let known = peerBook.peer(id: id) else { return }
        if configuration.disconnectRequiresPeerAddress && !known.addrs.contains(ctx.remote) {
            drop(.disconnectNotFromPeer, ctx.origin)
            return
        }
        removePeer(id, reason: .disconnect)
    }

    /// Points `address` at peer `id`; a previous owner loses the address (and goes when
    /// it has none left).
    func bind(_ address: Address, to id: ByteKey) {
        if peerBook.isBound(address), !peerBook.isBound(address, to: id) { unbindAddress(address, reason: .addressTaken) }
        peerBook.bind(address, to: id)
    }

    /// Takes `address` away from the peer bound to it; a peer left without addresses is removed.
    func unbindAddress(_ address: Address, reason: PeerRemovalReason) {
        guard let id = peerBook.unbind(address) else { return }
        var emptied = false
        peerBook.modify(id: id) {
            $0.addrs.remove(address)
            emptied = $0.addrs.isEmpty
        }
        if emptied { removePeer(id, reason: reason) }
    }

    /// Q10: every address of the peer is unmapped and unsubscribed.
    func removePeer(_ id: ByteKey, reason: PeerRemovalReason) {
        guard let p = peerBook.remove(id: id) else { return }
        let keepsSubscriptions = reason == .disconnect && configuration.plantedBugs.contains(.disconnectKeepsSubscriptions)
        for a in p.addrs where !keepsSubscriptions {
            for e in endpoints(at: a) { removeSubscriptions(of: e) }
        }
        outbox.append(.event(.peerRemoved(p, reason: reason)))
    }
}
