/// Automatic peer management (PROTOCOL.md §10): ADVERTISE_PEER / PEER_DISCOVERED /
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
        on(HandlerKey(.advertisePeer, uri: appID), authPlugin: authPlugin, cipherPlugin: cipherPlugin) { [unowned self] m, ctx in
            guard let peer = self.learnPeer(from: m, ctx) else { return nil }
            _ = peer
            return self.peerMessage(.peerDiscovered, appID)
        }
        on(HandlerKey(.peerDiscovered, uri: appID), authPlugin: authPlugin, cipherPlugin: cipherPlugin) { [unowned self] m, ctx in
            _ = self.learnPeer(from: m, ctx)
            return nil
        }
        on(HandlerKey(.disconnect, uri: appID), authPlugin: authPlugin, cipherPlugin: cipherPlugin) { [unowned self] m, ctx in
            self.peerLeft(m, ctx)
            return nil
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
        for appID in peerManagement.keys { stopPeerManagement(appID: appID) }
        for id in connections.keys { close(id) }
        for id in requests.keys { finish(id, .failure(.cancelled)) }
    }

    /// Forgets a peer and its addresses' subscriptions.
    public func removePeer(id: [UInt8]) { removePeer(id, reason: .removed) }

    /// Peer-management message for the local peer, or nil (with a drop) if it cannot be built.
    func peerMessage(_ type: MessageType, _ appID: [UInt8]) -> Message? {
        guard let local = configuration.localPeer else { return nil }
        do {
            return Message(type: type, uri: appID, content: try configuration.peerPlugin.pack(local))
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
        let t = nowSeconds
        for id in peerTable.keys where t - (peerTable[id]?.lastRx ?? t) > timeout {
            removePeer(id, reason: .timedOut)
        }
    }

    /// Parses, validates and records the sender of ADVERTISE_PEER / PEER_DISCOVERED.
    /// Nil when it is invalid, our own id, or rejected by the peer cap.
    func learnPeer(from message: Message, _ ctx: HandlerContext) -> Peer? {
        guard let peer = parsePeer(message, ctx, requireData: true), let id = peer.id else { return nil }
        if id == configuration.localPeer?.id { return nil }
        if var known = peerTable[id] {
            known.data = peer.data
            known.lastRx = nowSeconds
            known.addrs.insert(ctx.remote)
            peerTable[id] = known
            bind(ctx.remote, to: id)
            return known
        }
        guard peerTable.count < configuration.maxPeers else {
            drop(.peerTableFull, ctx.origin)
            return nil
        }
        let record = Peer(addrs: [ctx.remote], id: id, data: peer.data, lastRx: nowSeconds)
        peerTable[id] = record
        bind(ctx.remote, to: id)
        outbox.append(.event(.peerAdded(record)))
        return record
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
        guard let id = parsePeer(message, ctx, requireData: false)?.id, let known = peerTable[id] else { return }
        if configuration.disconnectRequiresPeerAddress && !known.addrs.contains(ctx.remote) {
            drop(.disconnectNotFromPeer, ctx.origin)
            return
        }
        removePeer(id, reason: .disconnect)
    }

    /// Points `address` at peer `id`; a previous owner loses the address (and goes when
    /// it has none left).
    func bind(_ address: Address, to id: [UInt8]) {
        if let old = peerAddrs[address], old != id { unbindAddress(address, reason: .addressTaken) }
        peerAddrs[address] = id
    }

    /// Takes `address` away from the peer bound to it; a peer left without addresses is removed.
    func unbindAddress(_ address: Address, reason: PeerRemovalReason) {
        guard let id = peerAddrs.removeValue(forKey: address), var p = peerTable[id] else { return }
        p.addrs.remove(address)
        if p.addrs.isEmpty {
            peerTable[id] = p
            removePeer(id, reason: reason)
        } else {
            peerTable[id] = p
        }
    }

    /// Q10: every address of the peer is unmapped and unsubscribed.
    func removePeer(_ id: [UInt8], reason: PeerRemovalReason) {
        guard let p = peerTable.removeValue(forKey: id) else { return }
        for a in p.addrs {
            if peerAddrs[a] == id { peerAddrs.removeValue(forKey: a) }
            for e in endpoints(at: a) { removeSubscriptions(of: e) }
        }
        outbox.append(.event(.peerRemoved(p, reason: reason)))
    }
}
