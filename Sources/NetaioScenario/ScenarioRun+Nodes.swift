@_spi(PlantedBugs) import NetaioCore
import NetaioSim

/// Building each node's engine: plugins, peer data, resource handlers, peer management.
extension ScenarioRun {
    func configure(_ config: inout NodeConfiguration, _ node: Int, _ incarnation: Int) {
        let spec = scenario.nodes[node]
        config.authPlugin = scenario.authPlugin(spec.auth)
        config.cipherPlugin = scenario.cipherPlugin(spec.cipher, node: node, incarnation: incarnation)
        config.requestTimeout = spec.requestTimeout
        if let max = spec.peers?.maxPeers { config.maxPeers = max }
        config.plantedBugs = plantedBugs
    }

    /// A (re)started process: fresh store, handlers, peer management, connections.
    func started(_ engine: NodeEngine, _ node: Int) {
        let spec = scenario.nodes[node]
        var store: [String: [UInt8]] = [:]
        for (uri, content) in spec.resources {
            store[uri] = Array(content.utf8)
            contentHistory[node, default: [:]][uri, default: []].insert(Array(content.utf8))
        }
        stores[node] = store
        peerCounts[node] = 0
        registerHandlers(engine, node)
        if let p = spec.peers {
            let inc = sim.nodes[node].incarnation
            do {
                try engine.managePeers(
                    appID: Array(p.appID.utf8), advertiseEvery: p.advertiseEvery, peerTimeout: p.timeout,
                    authPlugin: scenario.authPlugin(p.auth), cipherPlugin: scenario.cipherPlugin(p.cipher, node: node, incarnation: inc))
            } catch {
                sim.note("peer management failed: \(error)", node: node)
            }
        }
        for server in spec.connect { _ = engine.connect(to: scenario.nodes[server].address) }
    }

    private func registerHandlers(_ engine: NodeEngine, _ node: Int) {
        engine.on(HandlerKey(.requestURI)) { [unowned self] m, ctx in
            self.monitor.handlerRan(at: node, remote: ctx.remote)
            let uri = String(decoding: m.uri, as: UTF8.self)
            guard let content = self.stores[node][uri] else { return .notFound(uri: m.uri) }
            return .respondURI(content: content, uri: m.uri)
        }
        engine.on(HandlerKey(.createURI)) { [unowned self] m, ctx in
            self.monitor.handlerRan(at: node, remote: ctx.remote)
            self.store(node, m.uri, m.content)
            return .ok(uri: m.uri)
        }
        engine.on(HandlerKey(.updateURI)) { [unowned self] m, ctx in
            self.monitor.handlerRan(at: node, remote: ctx.remote)
            let uri = String(decoding: m.uri, as: UTF8.self)
            guard self.stores[node][uri] != nil else { return .notFound(uri: m.uri) }
            self.store(node, m.uri, m.content)
            return .ok(uri: m.uri)
        }
        engine.on(HandlerKey(.deleteURI)) { [unowned self] m, ctx in
            self.monitor.handlerRan(at: node, remote: ctx.remote)
            let uri = String(decoding: m.uri, as: UTF8.self)
            guard self.stores[node].removeValue(forKey: uri) != nil else { return .notFound(uri: m.uri) }
            return .ok(uri: m.uri)
        }
        engine.on(HandlerKey(.subscribeURI)) { [unowned self] m, ctx in
            self.monitor.handlerRan(at: node, remote: ctx.remote)
            ctx.subscribe(m.uri)
            return Message(type: .confirmSubscribe, uri: m.uri)
        }
        engine.on(HandlerKey(.unsubscribeURI)) { [unowned self] m, ctx in
            self.monitor.handlerRan(at: node, remote: ctx.remote)
            ctx.unsubscribe(m.uri)
            return Message(type: .confirmUnsubscribe, uri: m.uri)
        }
        for type in [MessageType.publishURI, .notifyURI] {
            engine.on(HandlerKey(type)) { [unowned self] m, ctx in
                self.monitor.handlerRan(at: node, remote: ctx.remote)
                self.received[node][String(decoding: m.uri, as: UTF8.self), default: 0] += 1
                self.sim.note("received \(type) \(String(decoding: m.uri, as: UTF8.self))", node: node)
                return nil
            }
        }
        engine.on(HandlerKey(.confirmSubscribe)) { _, _ in nil }
        engine.on(HandlerKey(.confirmUnsubscribe)) { _, _ in nil }
        engine.on(HandlerKey(.ok)) { _, _ in nil }
    }

    private func store(_ node: Int, _ uri: [UInt8], _ content: [UInt8]) {
        let key = String(decoding: uri, as: UTF8.self)
        stores[node][key] = content
        contentHistory[node, default: [:]][key, default: []].insert(content)
    }
}
