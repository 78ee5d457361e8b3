import Foundation

/// Writes a whole scenario from a stream of decisions (swarm testing): topology, plugins
/// with deliberate mismatches, peer settings, a fault mix where each kind is on or off,
/// a safety-phase timeline, then a liveness phase with its expectations
/// (docs/exploring.md). The output is scenario YAML, so what the explorer runs is
/// exactly what `netaio scenario run` replays from the written file.
public struct ScenarioGenerator: Sendable {
    public let profile: ExploreProfile

    public init(profile: ExploreProfile) { self.profile = profile }

    public func yaml<D: DecisionSource>(seed: UInt64, decisions: inout D, origin: String) -> String {
        var draft = Draft(profile: profile)
        draft.build(&decisions)
        return draft.render(seed: seed, origin: origin)
    }
}

/// One node group as generated; every member shares its configuration.
struct GroupDraft {
    enum Kind { case udp, server, client }
    var name: String
    var kind: Kind
    var count: Int
    var ipv6: Bool
    var segment: Int
    var appID: String
    var secret: String?
    /// Inner layers (HMAC + stream cipher on peer messages) and their MAC secret.
    var innerSecret: String?
    var maxPeers: Int?
    var skew = 0
    var drift = 0.0
    var start = 0.0

    var members: [String] { count == 1 ? [name] : (1...count).map { "\(name)\($0)" } }
}

struct Draft {
    let profile: ExploreProfile
    var groups: [GroupDraft] = []
    var streamKey: String?
    var advertiseEvery = 2
    var timeout = 8
    var network: [String] = []
    var steps: [(at: Double, text: String)] = []
    var expectations: [String] = []
    /// Nodes running in the liveness phase.
    var up = Set<String>()
    /// The most any node's clock goes back when the liveness phase restores it. Peer
    /// timeouts run on the wall clock (netaio's `time()`), so a clock set back by s
    /// seconds keeps a gone peer s seconds longer: the budget allows for it.
    var clockSetBack = 0.0
    var safety = 30.0
    var end = 60.0
    private var requestCount = 0

    init(profile: ExploreProfile) { self.profile = profile }

    var allNodes: [String] { groups.flatMap(\.members) }

    // MARK: - Building

    mutating func build<D: DecisionSource>(_ d: inout D) {
        safety = Double(d.between(profile.safetySeconds.lowerBound, profile.safetySeconds.upperBound))
        advertiseEvery = d.between(profile.advertiseEvery.lowerBound, profile.advertiseEvery.upperBound)
        timeout = advertiseEvery * d.between(3, 6)
        streamKey = d.chance(profile.streamCipher) ? "key-\(d.below(3))" : nil
        buildTopology(&d)
        network = faultMix(&d)
        buildSafetyPhase(&d)
        buildLivenessPhase(&d)
    }

    private mutating func buildTopology<D: DecisionSource>(_ d: inout D) {
        let total = d.between(profile.minNodes, profile.maxNodes)
        let kinds = profile.kinds
        let useTCP = kinds.contains("tcp") && (!kinds.contains("udp") || d.chance(0.35))
        let useUDP = kinds.contains("udp") && (!useTCP || d.chance(0.3))
        let hmacOn = d.chance(profile.hmac)
        let innerOn = d.chance(profile.innerLayers)
        let base = GroupDraft(
            name: "", kind: .udp, count: 1, ipv6: false, segment: 0, appID: "netaio",
            secret: hmacOn ? "s1" : nil, innerSecret: innerOn ? "i1" : nil)
        var udpBudget = useTCP && useUDP ? max(1, total / 2) : total
        var tcpBudget = useTCP ? total - (useUDP ? udpBudget : 0) : 0
        if useTCP && tcpBudget < 2 {
            tcpBudget = 2
            udpBudget = max(0, total - 2)
        }
        if useUDP && udpBudget > 0 {
            let ipv6 = d.chance(profile.ipv6)
            let letters = ["a", "b", "c", "d"]
            var k = 0
            while udpBudget > 0 && k < letters.count {
                var g = base
                g.name = "u\(letters[k])"
                g.ipv6 = ipv6
                g.count = k == letters.count - 1 ? udpBudget : d.between(1, udpBudget)
                g.segment = d.below(profile.segments)
                if k > 0 && d.chance(profile.mismatch) { mismatch(&g, &d) }
                if d.chance(0.15) { g.maxPeers = d.between(1, max(1, total - 2)) }
                if d.chance(profile.faultChance * 0.5) {
                    g.skew = d.between(-profile.maxSkewSeconds, profile.maxSkewSeconds)
                    g.drift = d.between(-profile.maxDrift, profile.maxDrift, step: profile.maxDrift / 10)
                    clockSetBack = max(clockSetBack, Double(g.skew) + max(g.drift, 0) * safety)
                }
                udpBudget -= g.count
                groups.append(g)
                k += 1
            }
        }
        if useTCP {
            var server = base
            server.name = "srv"
            server.kind = .server
            groups.append(server)
            var clients = base
            clients.name = "cl"
            clients.kind = .client
            clients.start = 1
            clients.count = max(1, tcpBudget - 1)
            if clients.count > 1 && d.chance(profile.mismatch) {
                var odd = clients
                odd.name = "cm"
                odd.count = d.between(1, clients.count - 1)
                clients.count -= odd.count
                mismatch(&odd, &d)
                groups.append(clients)
                groups.append(odd)
            } else {
                groups.append(clients)
            }
        }
    }

    /// A group that differs on purpose: another app id, another secret, or none.
    private func mismatch<D: DecisionSource>(_ g: inout GroupDraft, _ d: inout D) {
        switch d.below(4) {
        case 0: g.appID = "other-app"
        case 1: g.secret = "s2"
        case 2: g.secret = g.secret == nil ? "s1" : nil
        default: g.innerSecret = g.innerSecret == nil ? nil : "i2"
        }
    }

    /// The network's default faults: each kind on or off, with its own level.
    private func faultMix<D: DecisionSource>(_ d: inout D) -> [String] {
        var out: [String] = []
        if d.chance(profile.faultChance) { out.append("loss: \(percent(d.between(0, profile.maxLoss, step: 0.01)))") }
        if d.chance(profile.faultChance) { out.append("latency: \(latency(&d))") }
        if d.chance(profile.faultChance * 0.5) { out.append("jitter: \(d.between(1, max(1, profile.maxJitterMS)))ms") }
        if d.chance(profile.faultChance * 0.5) { out.append("duplicate: \(percent(d.between(0, profile.maxDuplicate, step: 0.01)))") }
        if d.chance(profile.faultChance * 0.5) { out.append("corrupt: \(percent(d.between(0, profile.maxCorrupt, step: 0.005)))") }
        if d.chance(profile.faultChance * 0.3) {
            out.append("bandwidth: \(d.pick([20, 100, 1000]))kB/s")
            out.append("queue: \(d.pick([2000, 20000, 200000]))")
        }
        return out
    }

    private func latency<D: DecisionSource>(_ d: inout D) -> String {
        let top = max(1, profile.maxLatencyMS)
        switch d.below(4) {
        case 0: return "\(d.between(1, top))ms"
        case 1:
            let lo = d.between(1, top)
            return "{uniform: [\(lo)ms, \(d.between(lo, top))ms]}"
        case 2: return "{normal: {mean: \(d.between(1, top))ms, stddev: \(d.between(1, max(1, top / 4)))ms}}"
        default: return "{long_tail: {min: \(d.between(1, max(1, top / 10)))ms, alpha: \(d.pick(["1.2", "1.5", "2"])), max: \(top * 5)ms}}"
        }
    }

    private func percent(_ p: Double) -> String { "\(Int((p * 1000).rounded()) / 10).\(Int((p * 1000).rounded()) % 10)%" }

    private func time<D: DecisionSource>(_ d: inout D, after: Double = 1) -> Double {
        d.between(after, max(after, safety - 1), step: 0.5)
    }

    private mutating func buildSafetyPhase<D: DecisionSource>(_ d: inout D) {
        var kinds = ["request", "request", "subscribe", "publish", "notify"]
        if d.chance(profile.faultChance) { kinds += ["partition", "partition"] }
        if d.chance(profile.faultChance) { kinds += ["crash", "restart", "stop", "start"] }
        if d.chance(profile.faultChance * 0.5) && profile.maxSkewSeconds > 0 { kinds.append("clock") }
        if d.chance(profile.faultChance * 0.5) { kinds += ["network", "link"] }
        let nodes = allNodes
        var partitions = 0
        for _ in 0..<d.between(0, profile.maxSteps) {
            let at = time(&d)
            switch d.pick(kinds) {
            case "partition":
                partitions += 1
                let a = d.subset(nodes, max: max(1, nodes.count - 1))
                let oneWay = d.chance(0.3) ? ", one_way: true" : ""
                steps.append((at, "partition: {name: p\(partitions), a: \(list(a))\(oneWay)}"))
                if d.chance(0.6) { steps.append((time(&d, after: at + 0.5), "heal: p\(partitions)")) }
            case let verb where ["crash", "restart", "stop", "start"].contains(verb):
                steps.append((at, "\(verb): \(d.pick(nodes))"))
            case "clock":
                let skew = d.between(-profile.maxSkewSeconds, profile.maxSkewSeconds)
                let drift = d.between(-profile.maxDrift, profile.maxDrift, step: profile.maxDrift / 10)
                clockSetBack = max(clockSetBack, Double(skew) + max(drift, 0) * safety)
                steps.append((at, "clock: {nodes: \(d.pick(nodes)), skew: \(skew), drift: \(drift)}"))
            case "network":
                let mix = faultMix(&d)
                steps.append((at, "network: {\(mix.joined(separator: ", "))}"))
            case "link":
                let mix = faultMix(&d)
                let from = d.subset(nodes, max: nodes.count), to = d.subset(nodes, max: nodes.count)
                let extra = mix.isEmpty ? "" : ", " + mix.joined(separator: ", ")
                steps.append((at, "link: {from: \(list(from)), to: \(list(to)), both_ways: \(d.chance(0.5))\(extra)}"))
            case "request":
                guard let (from, to) = pair(&d) else { continue }
                let kind = d.pick(["request", "request", "create", "update", "delete"])
                // `live` is read only: the liveness phase requests it.
                let uri = d.pick(kind == "request" ? ["live", "r1", "nope"] : ["r1", "r1", "nope"])
                let retryOn = d.pick(["timeout", "[timeout, error]", "[timeout, error, not_found]"])
                requestCount += 1
                steps.append((at, "request: {name: q\(requestCount), from: \(from), to: \(to), uri: \(uri), type: \(kind), content: v\(d.below(3)), timeout: \(d.between(1, 3))s, retries: \(d.below(4)), retry_on: \(retryOn)}"))
            case "subscribe":
                guard let (from, to) = pair(&d) else { continue }
                steps.append((at, "subscribe: {from: \(from), to: \(to), uri: t1}"))
            case "publish":
                guard let (from, to) = pair(&d) else { continue }
                steps.append((at, "publish: {from: \(from), to: \(to), uri: t1, content: hello}"))
            default:
                guard let server = groups.first(where: { $0.kind != .client }) else { continue }
                steps.append((at, "notify: {node: \(d.pick(server.members)), uri: t1, content: news}"))
            }
        }
    }

    /// A sender and a receiver that can address each other: two UDP nodes, or a client and its server.
    private func pair<D: DecisionSource>(_ d: inout D) -> (String, String)? {
        let udp = groups.filter { $0.kind == .udp }.flatMap(\.members)
        let clients = groups.filter { $0.kind == .client }.flatMap(\.members)
        let useUDP = udp.count >= 2 && (clients.isEmpty || d.chance(0.5))
        if useUDP {
            let a = d.pick(udp)
            let others = udp.filter { $0 != a }
            return (a, d.pick(others))
        }
        guard !clients.isEmpty else { return nil }
        return (d.pick(clients), "srv")
    }

    /// The steps in the order they run: by time, then in the order they were made.
    var orderedSteps: [(at: Double, text: String)] {
        steps.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
    }

    // MARK: - Liveness

    /// Which nodes are down when the safety phase ends (the timeline's own crashes,
    /// stops, starts and restarts, in the order they run).
    func downAtEndOfSafety() -> Set<String> {
        var down = Set<String>()
        for step in orderedSteps {
            let parts = step.text.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "crash", "stop": down.insert(parts[1])
            case "start", "restart": down.remove(parts[1])
            default: break
            }
        }
        return down
    }

    /// Heal everything, stop new faults, restore clocks, bring the nodes that are down
    /// back up (some stay down: their peers must forget them), reconnect TCP clients by
    /// restarting them (netaio's client does not reconnect by itself), then require
    /// discovery, requests and subscriptions to work again, and no peer table to hold a
    /// node that is gone, within a budget derived from the peer settings.
    private mutating func buildLivenessPhase<D: DecisionSource>(_ d: inout D) {
        let t0 = safety
        let budget = Double(timeout + 2 * advertiseEvery + 10) + clockSetBack.rounded(.up)
        end = t0 + budget
        let wasDown = downAtEndOfSafety()
        // The server always comes back: the clients' expectations need it.
        let stayDown = Set(wasDown.sorted().filter { $0 != "srv" && d.chance(0.5) })
        up = Set(allNodes).subtracting(stayDown)
        steps.append((t0, "heal: all"))
        steps.append((t0 + 0.001, "clear_links: all"))
        steps.append((t0 + 0.002, "network: {}"))
        steps.append((t0 + 0.003, "clock: {nodes: all, skew: 0, drift: 0}"))
        let back = allNodes.filter { wasDown.contains($0) && up.contains($0) }
        if !back.isEmpty { steps.append((t0 + 0.004, "start: \(list(back))")) }
        let clients = groups.filter { $0.kind == .client }.flatMap(\.members).filter(up.contains)
        if !clients.isEmpty { steps.append((t0 + 0.005, "restart: \(list(clients))")) }

        let ask = t0 + Double(advertiseEvery) + 1
        for (k, cls) in udpClasses().enumerated() where cls.members.count >= 2 {
            let members = cls.members
            // A capped table cannot hold everyone: then only its size is judged.
            if cls.maxPeers.map({ $0 >= cls.mayKnow }) ?? true {
                expectations.append("{name: 'liveness: \(cls.label) know each other again', all_know: {nodes: \(list(members)), among: \(list(members)), by: \(fmt(end))}}")
            }
            expectations.append("{name: 'liveness: \(cls.label) hold only live peers', no_stale_peers: {nodes: \(list(members)), at: \(fmt(end))}}")
            requestCount += 1
            steps.append((ask, "request: {name: live\(k + 1), from: \(members[0]), to: \(members[1]), uri: live, timeout: 2s, retries: 5, retry_on: [timeout, error, not_found]}"))
            expectations.append("{name: 'liveness: request live\(k + 1) succeeds', request_succeeds: {request: live\(k + 1), within: \(fmt(end - ask))}}")
            addSubscription(subscriber: members[1], publisher: members[0], topic: "live\(k + 1)", at: t0 + 2)
        }
        if let server = groups.first(where: { $0.kind == .server }) {
            let running = { (g: GroupDraft) in g.members.filter(self.up.contains) }
            let ok = groups.filter { $0.kind == .client && learnsOverTCP(server, $0) && learnsOverTCP($0, server) }
            let known = groups.filter { $0.kind == .client && learnsOverTCP(server, $0) }.flatMap(running)
            if !known.isEmpty {
                expectations.append("{name: 'liveness: the server knows its clients', knows: {nodes: srv, peers: \(list(known)), by: \(fmt(end))}}")
            }
            let both = ok.flatMap(running)
            if !both.isEmpty {
                expectations.append("{name: 'liveness: clients know the server', knows: {nodes: \(list(both)), peers: srv, by: \(fmt(end))}}")
            }
            // No `no_stale_peers` for the server: a client that died while partitioned
            // leaves a half-open connection, and a TCP server forgets a client only when
            // its connection ends (netaio has no keepalive), so it keeps that peer: found
            // by explore (seed 1360), see docs/exploring.md.
            let talkers = groups.filter { $0.kind == .client && accepts(server, $0) && accepts($0, server) }.flatMap(running)
            if let c = talkers.first {
                steps.append((ask, "request: {name: live-tcp, from: \(c), to: srv, uri: live, timeout: 2s, retries: 5, retry_on: [timeout, error, not_found]}"))
                expectations.append("{name: 'liveness: request live-tcp succeeds', request_succeeds: {request: live-tcp, within: \(fmt(end - ask))}}")
                addSubscription(subscriber: c, publisher: server.name, topic: "live-tcp", at: t0 + 2)
            }
        }
    }

    private mutating func addSubscription(subscriber: String, publisher: String, topic: String, at: Double) {
        steps.append((at, "subscribe: {from: \(subscriber), to: \(publisher), uri: \(topic)}"))
        for k in 1...3 { steps.append((at + Double(k), "notify: {node: \(publisher), uri: \(topic), content: n\(k)}")) }
        expectations.append("{name: 'liveness: \(subscriber) hears \(topic) again', received: {nodes: \(subscriber), uri: \(topic), at_least: 1, by: \(fmt(end))}}")
    }

    /// Whether `receiver`'s outer auth admits `sender`'s frames (no auth admits anything).
    private func accepts(_ receiver: GroupDraft, _ sender: GroupDraft) -> Bool {
        receiver.secret == nil || receiver.secret == sender.secret
    }

    /// Whether `receiver`'s peer handlers learn `sender`: same segment and family, app
    /// id, admitted outer auth, and the same inner layers (keys and MAC secret).
    private func learns(_ receiver: GroupDraft, _ sender: GroupDraft) -> Bool {
        receiver.segment == sender.segment && receiver.ipv6 == sender.ipv6 && receiver.appID == sender.appID
            && accepts(receiver, sender) && receiver.innerSecret == sender.innerSecret
    }

    /// `learns` between a TCP server and a client of it (no segments or families).
    private func learnsOverTCP(_ receiver: GroupDraft, _ sender: GroupDraft) -> Bool {
        receiver.appID == sender.appID && accepts(receiver, sender) && receiver.innerSecret == sender.innerSecret
    }

    struct UDPClass {
        var label: String
        var members: [String]
        var maxPeers: Int?
        /// How many other nodes a member may legitimately hold as peers.
        var mayKnow: Int
    }

    /// UDP groups with identical configuration, merged, with their running members: every
    /// one must learn every other.
    func udpClasses() -> [UDPClass] {
        let udp = groups.filter { $0.kind == .udp }
        var out: [UDPClass] = []
        var taken = Set<String>()
        for g in udp where !taken.contains(g.name) {
            let same = udp.filter { learns($0, g) && learns(g, $0) && $0.maxPeers == g.maxPeers && $0.secret == g.secret }
            same.forEach { taken.insert($0.name) }
            let running = same.flatMap(\.members).filter(up.contains)
            let mayKnow = udp.filter { learns(g, $0) }.flatMap(\.members).filter(up.contains).count - 1
            out.append(UDPClass(label: same.map(\.name).joined(separator: "+"), members: running, maxPeers: g.maxPeers, mayKnow: mayKnow))
        }
        return out
    }

    // MARK: - Rendering

    private func list(_ names: [String]) -> String { names.count == 1 ? names[0] : "[\(names.joined(separator: ", "))]" }

    func fmt(_ seconds: Double) -> String {
        let ms = Int((seconds * 1000).rounded())
        return ms % 1000 == 0 ? "\(ms / 1000)s" : "\(ms)ms"
    }

    func render(seed: UInt64, origin: String) -> String {
        var y: [String] = []
        y.append("# Generated by \(origin).")
        y.append("# Safety phase 0s-\(fmt(safety)) with faults; liveness phase \(fmt(safety))-\(fmt(end)): healed, faults off, clocks restored, every node up.")
        y.append("name: explore seed \(seed) (profile \(profile.name))")
        y.append("duration: \(fmt(end))")
        y.append("seed: \(seed)")
        if !network.isEmpty {
            y.append("network:")
            for f in network { y.append("  \(f)") }
        }
        y.append("nodes:")
        for g in groups { y += renderGroup(g) }
        y.append("timeline:")
        for (at, text) in orderedSteps {
            y.append("  - at: \(fmt(at))")
            y.append("    \(text)")
        }
        if !expectations.isEmpty {
            y.append("expect:")
            for e in expectations { y.append("  - \(e)") }
        }
        return y.joined(separator: "\n") + "\n"
    }

    private func renderGroup(_ g: GroupDraft) -> [String] {
        var y = ["  - name: \(g.name)"]
        switch g.kind {
        case .udp: y.append("    role: udp")
        case .server: y.append("    role: tcp_server")
        case .client:
            y.append("    role: tcp_client")
            y.append("    connect: srv")
        }
        if g.count > 1 { y.append("    count: \(g.count)") }
        if g.ipv6 { y.append("    ipv6: true") }
        if g.segment > 0 { y.append("    segment: \(g.segment)") }
        if g.start > 0 { y.append("    start: \(fmt(g.start))") }
        if let s = g.secret { y.append("    auth: {hmac: {secret: \(s)}}") }
        if let k = streamKey { y.append("    cipher: {sha256_stream: {key: \(k)}}") }
        var peers = ["app_id: \(g.appID)", "advertise_every: \(advertiseEvery)s", "timeout: \(timeout)s"]
        if let m = g.maxPeers { peers.append("max_peers: \(m)") }
        if let inner = g.innerSecret {
            peers.append("auth: {hmac: {secret: \(inner), hmac_field: ihmac, nonce_field: inonce, ts_field: its}}")
            peers.append("cipher: {sha256_stream: {key: inner-key, encrypt_uri: false, iv_field: iiv}}")
        }
        y.append("    peers: {\(peers.joined(separator: ", "))}")
        y.append("    resources: {live: here, r1: v0}")
        if g.skew != 0 || g.drift != 0 { y.append("    clock: {skew: \(g.skew), drift: \(g.drift)}") }
        return y
    }
}
