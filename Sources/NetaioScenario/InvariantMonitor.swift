import NetaioCore
import NetaioSim

/// Safety invariants judged at every step of a simulated run, beyond a file's own
/// expectations (docs/exploring.md, "Invariants"). They hold for any correct netaio
/// node whatever the scenario, which is what lets the explorer run scenarios nobody
/// wrote expectations for.
///
/// Per-event invariants (peer compatibility, DISCONNECT clears subscriptions) are judged
/// in every run. Per-datagram ones (what a handler ran for, error answers, storms,
/// timeouts of peers still heard) watch every datagram, so they are judged in runs of
/// up to `datagramCheckLimit` nodes; larger runs (the 1,000-node benchmark) skip them.
final class InvariantMonitor {
    static let datagramCheckLimit = 200

    enum Rule: Int, CaseIterable {
        case peerCompatible, handlerInputValid, noErrorAnswered, noStorm, noTimeoutWhileHeard, disconnectUnsubscribes

        var title: String {
            switch self {
            case .peerCompatible: "no peer added with another app id or failing auth"
            case .handlerInputValid: "no handler runs for a frame that fails its checksum or auth"
            case .noErrorAnswered: "no error-type message is answered with an error-type message"
            case .noStorm: "datagrams sent per node per virtual second stay within the storm bound"
            case .noTimeoutWhileHeard: "no peer is removed as timed out while it is heard"
            case .disconnectUnsubscribes: "DISCONNECT removes the peer's subscriptions"
            }
        }
    }

    private struct Delivery {
        var from: Int
        var bytes: [UInt8]
        var event: UInt64
    }

    private struct Heard {
        /// The receiver's clock, in whole seconds, when the datagram arrived.
        var second: Int
        var bytes: [UInt8]
    }

    let scenario: Scenario
    unowned let sim: Simulator
    let watchesDatagrams: Bool
    /// Most datagrams a node may send in one virtual second (see `stormBound(for:)`).
    let stormBound: Int
    private var violations = [[String]](repeating: [], count: Rule.allCases.count)
    private var violationCounts = [Int](repeating: 0, count: Rule.allCases.count)
    private let nodeAtHost: [String: Int]
    private let everyNodeCompatible: Bool
    private var lastDelivery: [Delivery?]
    /// Per receiver: the last datagram from each sender node.
    private var lastHeard: [[Int: Heard]]
    private var sendSecond: [Int]
    private var sendCount: [Int]

    init(scenario: Scenario, sim: Simulator) {
        self.scenario = scenario
        self.sim = sim
        let n = scenario.nodes.count
        watchesDatagrams = n <= Self.datagramCheckLimit
        stormBound = Self.stormBound(for: scenario)
        var hosts: [String: Int] = [:]
        for (i, spec) in scenario.nodes.enumerated() { hosts[spec.address.host] = i }
        nodeAtHost = hosts
        let first = scenario.nodes.first
        everyNodeCompatible = scenario.nodes.allSatisfy {
            $0.peers?.appID == first?.peers?.appID && $0.auth == first?.auth && $0.peers?.auth == first?.peers?.auth
        }
        lastDelivery = Array(repeating: nil, count: n)
        lastHeard = Array(repeating: [:], count: n)
        sendSecond = Array(repeating: -1, count: n)
        sendCount = Array(repeating: 0, count: n)
    }

    /// A correct node sends per second at most: its advertisements, an answer to every
    /// advertisement it hears, and a margin for requests, replies and notifications.
    static func stormBound(for scenario: Scenario) -> Int {
        let fastest = scenario.nodes.compactMap { $0.peers?.advertiseEvery }.min() ?? 1
        let perRound = Int((1 / max(fastest, 0.1)).rounded(.up))
        return 200 + 4 * scenario.nodes.count * max(perRound, 1)
    }

    func install() {
        guard watchesDatagrams else { return }
        sim.datagramObserver = { [unowned self] to, from, bytes in self.delivered(to: to, from: from, bytes) }
        sim.datagramSendObserver = { [unowned self] from, bytes in self.sent(from: from, bytes) }
    }

    func verdicts(time: Double) -> [Verdict] {
        Rule.allCases.compactMap { rule in
            if !watchesDatagrams, rule != .peerCompatible, rule != .disconnectUnsubscribes { return nil }
            var list = violations[rule.rawValue]
            let more = violationCounts[rule.rawValue] - list.count
            if more > 0 { list.append("… and \(more) more") }
            return .invariant(rule.title, violations: list, heldWhen: "held at every step", time: time)
        }
    }

    private func violate(_ rule: Rule, _ text: @autoclosure () -> String) {
        violationCounts[rule.rawValue] += 1
        if violations[rule.rawValue].count < 5 { violations[rule.rawValue].append("\(sim.now) \(text())") }
    }

    private func name(_ node: Int) -> String { scenario.nodes[node].name }

    // MARK: - Datagrams

    private func delivered(to: Int, from: Int, _ bytes: [UInt8]) {
        lastDelivery[to] = Delivery(from: from, bytes: bytes, event: sim.eventsProcessed)
        let second = sim.nodes[to].clock.now()
        lastHeard[to][from] = Heard(second: second.isFinite ? Int(second.rounded(.towardZero)) : 0, bytes: bytes)
    }

    private func sent(from: Int, _ bytes: [UInt8]) {
        let second = Int(sim.now.seconds)
        if sendSecond[from] != second {
            sendSecond[from] = second
            sendCount[from] = 0
        }
        sendCount[from] += 1
        if sendCount[from] == stormBound + 1 {
            violate(.noStorm, "\(name(from)) sent more than \(stormBound) datagrams within one second")
        }
        guard let type = bytes.first.flatMap({ MessageType(rawValue: $0) }), isErrorType(type) else { return }
        guard let d = lastDelivery[from], d.event == sim.eventsProcessed,
              let incoming = try? Message.decode(d.bytes), isErrorType(incoming.type) else { return }
        violate(.noErrorAnswered, "\(name(from)) answered \(incoming.type) from \(name(d.from)) with \(type)")
    }

    private func isErrorType(_ type: MessageType) -> Bool { NodeConfiguration.defaultSilentTypes(type, .standard) }

    /// Whether `bytes` pass `node`'s checksum, outer auth (the MAC only: a stale
    /// timestamp is the engine's call) and outer stream cipher (an unencrypted reply,
    /// such as an AUTH_ERROR, fails decryption).
    private func passesOuterLayers(_ bytes: [UInt8], at node: Int) -> Bool {
        guard let message = try? Message.decode(bytes) else { return false }
        let spec = scenario.nodes[node]
        if let auth = macOnly(spec.auth),
           !auth.check(message.authFields, body: message.body, context: checkContext, peer: nil, peerPlugin: nil) { return false }
        if case .sha256Stream? = spec.cipher, let cipher = scenario.cipherPlugin(spec.cipher, node: node, incarnation: 1) {
            return (try? cipher.decrypt(message, context: checkContext, peer: nil, peerPlugin: nil)) != nil
        }
        return true
    }

    private func macOnly(_ spec: PluginSpec?) -> HMACAuthPlugin? {
        guard case .hmac(let secret, _, _, let hmacField, let nonceField, let tsField)? = spec else { return nil }
        return HMACAuthPlugin(secret: secret, hmacField: hmacField, nonceField: nonceField, tsField: tsField, freshness: nil)
    }

    /// Checking a MAC without a freshness window reads neither clock nor randomness.
    private let checkContext = PluginContext(random: FixedRandomSource(), clock: FixedUnixClock(0))

    // MARK: - Events

    /// A scenario handler is running at `node` for a frame from `remote`.
    func handlerRan(at node: Int, remote: Address) {
        let sender = nodeAtHost[remote.host]
        if let sender, !authAccepts(receiver: node, sender: sender) {
            violate(.handlerInputValid, "\(name(node)) ran a handler for a frame from \(name(sender)), whose auth it does not share")
        }
        guard watchesDatagrams, scenario.nodes[node].role == .udpNode,
              let d = lastDelivery[node], d.event == sim.eventsProcessed else { return }
        if !passesOuterLayers(d.bytes, at: node) {
            violate(.handlerInputValid, "\(name(node)) ran a handler for a frame from \(name(d.from)) that fails its checksum or MAC")
        }
    }

    func peerAdded(at node: Int, id: [UInt8]) {
        // With one app id and one auth set-up everywhere any peer is compatible: skip the
        // per-event lookups (the 1,000-node benchmark adds ~50k peers).
        if everyNodeCompatible { return }
        guard let peer = scenario.node(forPeerID: id) else {
            violate(.peerCompatible, "\(name(node)) added \(String(decoding: id, as: UTF8.self)), which no node ever was")
            return
        }
        let mine = scenario.nodes[node].peers, theirs = scenario.nodes[peer].peers
        if mine?.appID != theirs?.appID {
            violate(.peerCompatible, "\(name(node)) (app \(mine?.appID ?? "-")) added \(name(peer)) (app \(theirs?.appID ?? "-"))")
        } else if !authAccepts(receiver: node, sender: peer) || (mine?.auth != nil && mine?.auth != theirs?.auth) {
            violate(.peerCompatible, "\(name(node)) added \(name(peer)), whose auth it does not share")
        }
    }

    func peerRemoved(at node: Int, id: [UInt8], reason: PeerRemovalReason) {
        guard let peer = scenario.node(forPeerID: id) else { return }
        switch reason {
        case .timedOut: judgeTimeout(at: node, of: peer)
        case .disconnect:
            guard scenario.nodes[node].role == .udpNode, let engine = sim.nodes[node].engine else { return }
            let left = engine.topics(subscribedBy: .address(scenario.nodes[peer].address))
            if !left.isEmpty {
                violate(.disconnectUnsubscribes, "\(name(node)) removed \(name(peer)) on DISCONNECT but kept its subscription to \(left.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ", "))")
            }
        default: break
        }
    }

    /// A peer times out after more than `timeout` whole seconds of the receiver's clock
    /// without a frame that passed its outer layers. Judged only where that is knowable
    /// from the bytes: no HMAC freshness window, no X25519 outer cipher (a restarted
    /// sender's new key fails decryption).
    private func judgeTimeout(at node: Int, of peer: Int) {
        guard watchesDatagrams, let timeout = scenario.nodes[node].peers?.timeout,
              let heard = lastHeard[node][peer] else { return }
        let spec = scenario.nodes[node]
        if case .hmac(_, let maxAge, let skew, _, _, _)? = spec.auth, maxAge != nil || skew != nil { return }
        if spec.cipher == .x25519 { return }
        let now = sim.nodes[node].clock.now()
        let second = now.isFinite ? Int(now.rounded(.towardZero)) : 0
        guard second - heard.second < timeout, passesOuterLayers(heard.bytes, at: node) else { return }
        violate(.noTimeoutWhileHeard, "\(name(node)) timed out \(name(peer)) \(second - heard.second)s after a valid frame from it (timeout \(timeout)s)")
    }

    /// Whether `receiver`'s outer auth admits what `sender` sends (no auth admits anything).
    private func authAccepts(receiver: Int, sender: Int) -> Bool {
        guard let mine = scenario.nodes[receiver].auth else { return true }
        guard let theirs = scenario.nodes[sender].auth else { return false }
        return sameMAC(mine, theirs)
    }

    private func sameMAC(_ a: PluginSpec, _ b: PluginSpec) -> Bool {
        guard case .hmac(let s1, _, _, let h1, let n1, let t1) = a, case .hmac(let s2, _, _, let h2, let n2, let t2) = b else { return a == b }
        return s1 == s2 && h1 == h2 && n1 == n2 && t1 == t2
    }
}

extension Scenario {
    /// The node that has (or had) this peer id: `name`, or `name#k` for a later start.
    public func node(forPeerID id: [UInt8]) -> Int? {
        let text = String(decoding: id, as: UTF8.self)
        let base = text.split(separator: "#", maxSplits: 1).first.map(String.init) ?? text
        return nodeIndex[base]
    }
}
