import NetaioNIO
import NetaioScenario

/// Starting and stopping real nodes: the same identities, plugins, peer settings and
/// resources as the simulator gives them (ScenarioRun+Nodes.swift in NetaioScenario).
extension RealScenarioRun {
    func peerID(_ node: Int, incarnation: Int) -> [UInt8] { scenario.peerID(node: node, incarnation: incarnation) }

    func currentID(_ ref: PeerRef) -> [UInt8] {
        peerID(ref.node, incarnation: ref.incarnation ?? max(incarnations[ref.node], 1))
    }

    /// Loopback host for a scenario address: ::1 for IPv6 addresses, else 127.0.0.1.
    func loopbackHost(_ node: Int) -> String { scenario.nodes[node].address.family == .ipv6 ? "::1" : "127.0.0.1" }

    /// The addresses a UDP node's "multicast" reaches: every other running UDP node
    /// (loopback has no multicast on Linux, so the group is emulated by unicast).
    func multicastTargets(excluding node: Int) -> [Address] {
        var out: [Address] = []
        for (i, p) in processes.enumerated() where i != node {
            if case .udp? = p, let a = addresses[i] { out.append(a) }
        }
        return out
    }

    func start(_ node: Int) async {
        let already = await onLoop { self.processes[node] != nil }
        if already { return }
        let spec = scenario.nodes[node]
        let inc = await onLoop { () -> Int in
            self.incarnations[node] += 1
            return self.incarnations[node]
        }
        let clock = self.clock
        let maxPeers = spec.peers?.maxPeers
        let options = NodeOptions(
            authPlugin: scenario.authPlugin(spec.auth), cipherPlugin: scenario.cipherPlugin(spec.cipher, node: node, incarnation: inc),
            localPeer: Peer(id: peerID(node, incarnation: inc), data: scenario.peerData(node: node, incarnation: inc)),
            requestTimeout: spec.requestTimeout,
            configure: { c in
                c.clock = clock
                if let maxPeers { c.maxPeers = maxPeers }
            })
        var host = loopbackHost(node)
        // A restart binds the port of the previous incarnation when it is free, as a
        // restarted process on a fixed port would (peers see the address taken over).
        let port = await onLoop { self.lastPorts[node] }
        do {
            let process: RealNode
            let address: Address
            switch spec.role {
            case .udpNode:
                let udp = try await openFallingBack(spec.name, host: &host, port: port, "bound to") { h, p in
                    try await NetaioUDPNode.bind(host: h, port: p, options: options, group: loop)
                }
                try await udp.emulateMulticast { [unowned self] in self.multicastTargets(excluding: node) }
                try await udp.setInboundShim { [unowned self] bytes, source in self.shim(to: node, bytes, from: source) }
                await onLoop { self.lag.forget(node, nodes: self.scenario.nodes.count) }
                try await udp.setOutboundObserver { [unowned self] bytes, to in self.noteSent(bytes, from: node, to: to) }
                (process, address) = (.udp(udp), udp.localAddress)
            case .tcpServer:
                let server = try await openFallingBack(spec.name, host: &host, port: port, "listening on") { h, p in
                    try await NetaioTCPServer.start(host: h, port: p, options: options, group: loop)
                }
                (process, address) = (.server(server), server.localAddress)
            case .tcpClient:
                let client = NetaioTCPClient.make(options: options, connectTimeout: scenario.network.connectTimeout, group: loop)
                (process, address) = (.client(client), Address(host: host, port: 0))
            }
            let boundHost = host
            await onLoop {
                self.processes[node] = process
                self.addresses[node] = address
                self.lastPorts[node] = Int(address.port)
                var store: [String: [UInt8]] = [:]
                for (uri, content) in spec.resources {
                    store[uri] = Array(content.utf8)
                    self.contentHistory[node, default: [:]][uri, default: []].insert(Array(content.utf8))
                }
                self.stores[node] = store
                let place = address.port == 0 ? "(TCP client, \(boundHost))" : "on \(address)"
                self.log("start \(spec.name) as \(self.name(self.peerID(node, incarnation: inc))) \(place)")
            }
            let n = process.node
            try await n.onEvent { [unowned self] event in self.observe(node, inc, event) }
            try await registerHandlers(n, node)
            if let p = spec.peers {
                try await n.managePeers(
                    appID: Array(p.appID.utf8), advertiseEvery: p.advertiseEvery, peerTimeout: p.timeout,
                    authPlugin: scenario.authPlugin(p.auth), cipherPlugin: scenario.cipherPlugin(p.cipher, node: node, incarnation: inc))
            }
            if case .client(let client) = process {
                for server in spec.connect {
                    guard let a = await onLoop({ self.processes[server] != nil ? self.addresses[server] : nil }) else {
                        await onLoop { self.log("\(spec.name): \(self.scenario.nodes[server].name) is not listening; not connected") }
                        continue
                    }
                    do {
                        try await client.connect(host: a.host, port: Int(a.port))
                    } catch {
                        await onLoop { self.log("\(spec.name): connect to \(self.scenario.nodes[server].name) failed: \(error)") }
                    }
                }
            }
        } catch {
            await onLoop { self.log("\(spec.name): could not start: \(error)") }
        }
    }

    /// A graceful stop (DISCONNECT, close), or a crash: the node is killed — no
    /// DISCONNECT, no last replies; its TCP connections close as a dead process's do,
    /// so peers see only the connection end (as in the simulator).
    func stop(_ node: Int, crash: Bool) async {
        guard let p = await onLoop({ () -> RealNode? in
            let p = self.processes[node]
            self.processes[node] = nil
            self.addresses[node] = nil
            return p
        }) else { return }
        if crash { await p.kill() } else { await p.shutdown() }
    }

    private func registerHandlers(_ n: NetaioNode, _ node: Int) async throws {
        try await n.on(HandlerKey(.requestURI)) { [unowned self] m, _ in
            let uri = String(decoding: m.uri, as: UTF8.self)
            guard let content = self.stores[node][uri] else { return .notFound(uri: m.uri) }
            return .respondURI(content: content, uri: m.uri)
        }
        try await n.on(HandlerKey(.createURI)) { [unowned self] m, _ in
            self.store(node, m.uri, m.content)
            return .ok(uri: m.uri)
        }
        try await n.on(HandlerKey(.updateURI)) { [unowned self] m, _ in
            guard self.stores[node][String(decoding: m.uri, as: UTF8.self)] != nil else { return .notFound(uri: m.uri) }
            self.store(node, m.uri, m.content)
            return .ok(uri: m.uri)
        }
        try await n.on(HandlerKey(.deleteURI)) { [unowned self] m, _ in
            guard self.stores[node].removeValue(forKey: String(decoding: m.uri, as: UTF8.self)) != nil else { return .notFound(uri: m.uri) }
            return .ok(uri: m.uri)
        }
        try await n.on(HandlerKey(.subscribeURI)) { m, ctx in
            ctx.subscribe(m.uri)
            return Message(type: .confirmSubscribe, uri: m.uri)
        }
        try await n.on(HandlerKey(.unsubscribeURI)) { m, ctx in
            ctx.unsubscribe(m.uri)
            return Message(type: .confirmUnsubscribe, uri: m.uri)
        }
        for type in [MessageType.publishURI, .notifyURI] {
            try await n.on(HandlerKey(type)) { [unowned self] m, _ in
                self.received[node][String(decoding: m.uri, as: UTF8.self), default: 0] += 1
                self.count("received_\(type == .publishURI ? "publish" : "notify")")
                return nil
            }
        }
        try await n.on(HandlerKey(.confirmSubscribe)) { _, _ in nil }
        try await n.on(HandlerKey(.confirmUnsubscribe)) { _, _ in nil }
        try await n.on(HandlerKey(.ok)) { _, _ in nil }
    }

    private func store(_ node: Int, _ uri: [UInt8], _ content: [UInt8]) {
        let key = String(decoding: uri, as: UTF8.self)
        stores[node][key] = content
        contentHistory[node, default: [:]][key, default: []].insert(content)
    }

    /// Engine events of incarnation `inc` of `node` (on the loop).
    func observe(_ node: Int, _ inc: Int, _ event: Event) {
        switch event {
        case .peerAdded(let peer):
            count("peer_added")
            guard let id = peer.id else { return }
            if id == peerID(node, incarnation: inc), selfPeer.count < 5 { selfPeer.append("\(stamp(now)) \(scenario.nodes[node].name) added itself") }
            if let e = forbidden[node]?[id] {
                forbiddenViolations[e, default: []].append("\(stamp(now)) \(scenario.nodes[node].name) added \(name(id))")
            }
        case .peerRemoved(let peer, let reason):
            count("peer_removed")
            if let id = peer.id { removals.append(PeerRemoval(node: node, id: id, reason: reason)) }
        case .dropped:
            count("dropped")
        case .requestCompleted, .requestFailed:
            break  // outcomes come back through the async API
        }
    }

    /// Opens a listening node with `open(host, port)`: on `port` (the previous
    /// incarnation's) when it is free, else on any free port; where there is no IPv6
    /// loopback, on 127.0.0.1 (logged, and `host` updated).
    private func openFallingBack<T>(
        _ name: String, host: inout String, port: Int, _ verb: String, _ open: (String, Int) async throws -> T
    ) async throws -> T {
        do {
            return try await open(host, port)
        } catch where port != 0 {
            return try await open(host, 0)
        } catch where host == "::1" {
            host = "127.0.0.1"
            let opened = try await open(host, 0)
            await onLoop { self.log("\(name): no IPv6 loopback, \(verb) 127.0.0.1") }
            return opened
        }
    }
}
