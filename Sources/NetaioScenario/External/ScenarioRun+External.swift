import Foundation
import NetaioCore
import NetaioSim

/// Nodes with `impl: python` or `impl: {command: …}`: started as processes behind the
/// external-node contract (docs/external-nodes.md) with the same identity, plugins, peer
/// settings and resources an in-process node of the scenario gets.
extension ScenarioRun {
    func launchExternal(_ index: Int, incarnation: Int, seed: UInt64, clock: SimNodeClock) -> any ExternalNodeDriver {
        let spec = scenario.nodes[index]
        guard let options = externalOptions else {
            return ExternalNode(name: spec.name, refused: "external nodes (impl: \(spec.impl)) are not allowed in this run", clock: clock)
        }
        let command: [String]
        switch spec.impl {
        case .swift:
            preconditionFailure("an in-process node has no launcher")
        case .python:
            guard let python = options.python else {
                return ExternalNode(name: spec.name, refused: "impl: python needs the project's Python set-up (.venv with netaio 0.0.9: run scripts/setup)", clock: clock)
            }
            command = python
        case .command(let argv):
            command = [argv[0].contains("/") ? resolve(argv[0], options) : argv[0]] + argv.dropFirst()
        }
        let v6 = spec.address.host.contains(":")
        let group = Address(host: v6 ? "ff02::1" : "224.0.0.1", port: spec.address.port)
        let node = ExternalNode(
            name: spec.name, command: command, environment: ["PYTHONHASHSEED": "0"], replyTimeout: options.replyTimeout,
            clock: clock, multicastGroup: group
        ) { [self] line in
            line.add("node", spec.name)
            line.add("role", Self.roleName(spec.role))
            line.add("incarnation", incarnation)
            line.add("address", JSONLine.address(spec.role == .tcpClient ? Address(host: spec.address.host, port: 0) : spec.address))
            line.add("multicast", JSONLine.address(group))
            line.add("seed", String(format: "%016llx", seed))
            var peer = JSONLine()
            peer.add("id", Hex.encode(peerID(index, incarnation: incarnation)))
            peer.add("data", Hex.encode(scenario.peerData(node: index, incarnation: incarnation)))
            line.add("peer", peer)
            line.add("config", externalConfig(index, incarnation: incarnation, options))
        }
        node.onAppEvent = { [unowned self] event in self.externalEvent(index, event) }
        for (uri, content) in spec.resources {
            contentHistory[index, default: [:]][uri, default: []].insert(Array(content.utf8))
        }
        peerCounts[index] = 0
        return node
    }

    static func roleName(_ role: Role) -> String {
        switch role {
        case .udpNode: "udp"
        case .tcpServer: "tcp_server"
        case .tcpClient: "tcp_client"
        }
    }

    /// A relative path against the scenario file's directory (a bare program name stays as
    /// it is: it is looked up on PATH).
    private func resolve(_ path: String, _ options: ExternalNodeOptions) -> String {
        guard !path.hasPrefix("/"), let base = options.baseDirectory else { return path }
        return URL(fileURLWithPath: base).appendingPathComponent(path).standardizedFileURL.path
    }

    private func externalConfig(_ index: Int, incarnation: Int, _ options: ExternalNodeOptions) -> JSONLine {
        let spec = scenario.nodes[index]
        var c = JSONLine()
        addPlugin(&c, "auth", spec.auth, index, incarnation)
        addPlugin(&c, "cipher", spec.cipher, index, incarnation)
        c.add("request_timeout", spec.requestTimeout)
        if let max = spec.peers?.maxPeers { c.add("max_peers", max) } else { c.addNull("max_peers") }
        if let p = spec.peers {
            var o = JSONLine()
            o.add("app_id", Hex.encode(Array(p.appID.utf8)))
            o.add("advertise_every", p.advertiseEvery)
            o.add("timeout", p.timeout)
            addPlugin(&o, "auth", p.auth, index, incarnation)
            addPlugin(&o, "cipher", p.cipher, index, incarnation)
            c.add("peers", o)
        } else {
            c.addNull("peers")
        }
        c.add("resources", raw: JSONLine.array(spec.resources.map { r in
            var o = JSONLine()
            o.add("uri", r.uri)
            o.add("content", r.content)
            return o.finished
        }))
        c.add("connect", raw: JSONLine.array(spec.connect.map { JSONLine.address(scenario.nodes[$0].address).finished }))
        if case .python(let module?) = spec.impl { c.add("module", resolve(module, options)) } else { c.addNull("module") }
        return c
    }

    private func addPlugin(_ o: inout JSONLine, _ key: String, _ plugin: PluginSpec?, _ index: Int, _ incarnation: Int) {
        guard let plugin else { return o.addNull(key) }
        var settings = JSONLine()
        let name: String
        switch plugin {
        case .hmac(let secret, let maxAge, let skew, let hmacField, let nonceField, let tsField):
            name = "hmac"
            settings.add("secret", secret)
            settings.add("hmac_field", hmacField)
            settings.add("nonce_field", nonceField)
            settings.add("ts_field", tsField)
            if let maxAge { settings.add("max_age", maxAge) } else { settings.addNull("max_age") }
            if let skew { settings.add("max_future_skew", skew) } else { settings.addNull("max_future_skew") }
        case .sha256Stream(let key, let encryptURI, let ivField):
            name = "sha256_stream"
            settings.add("key", key)
            settings.add("encrypt_uri", encryptURI)
            settings.add("iv_field", ivField)
        case .x25519:
            name = "x25519"
            settings.add("seed", Hex.encode(scenario.x25519Seed(node: index, incarnation: incarnation)))
        case .tapescript(let seed, let lock, let nonceField, let tsField, let witnessField):
            name = "tapescript"
            settings.add("seed", Hex.encode(seed))
            if let lock { settings.add("lock", Hex.encode(lock)) } else { settings.addNull("lock") }
            settings.add("nonce_field", nonceField)
            settings.add("ts_field", tsField)
            settings.add("witness_field", witnessField)
        }
        var wrapped = JSONLine()
        wrapped.add(name, settings)
        o.add(key, wrapped)
    }

    private func externalEvent(_ node: Int, _ event: ExternalAppEvent) {
        switch event {
        case .received(let type, let uri):
            received[node][uri, default: 0] += 1
            sim.note("received \(type) \(uri)", node: node)
        case .stored(let uri, let content):
            contentHistory[node, default: [:]][uri, default: []].insert(content)
        }
    }

    /// The external node `node`, when it runs out of process and is up.
    func external(_ node: Int) -> ExternalNode? { sim.nodes[node].external as? ExternalNode }

    /// An external node's peer table and subscriptions now (nil when it is down or failed).
    func externalState(_ node: Int) -> ExternalNode.State? {
        sim.withExternal(node) { ($0 as? ExternalNode)?.state() } ?? nil
    }

    /// Where an external node reaches `to`: its address. A TCP client's server is found
    /// by the node among its connections; a TCP server finds a client by its host (clients
    /// connect from ephemeral ports).
    func externalTarget(_ to: Int) -> Address { scenario.nodes[to].address }

    /// External nodes that could not start, broke the contract or died: run errors.
    var externalErrors: [String] {
        sim.externalFailures.map { "\($0.time) \($0.reason)" }
    }
}
