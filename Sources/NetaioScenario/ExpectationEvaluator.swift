import NetaioCore

/// A request step's progress, as both runs record it.
public struct RequestRecord: Sendable {
    public var step: RequestStep
    public var firstSent: Double?
    public var attempts = 0
    public var succeededAt: Double?
    public var failedAt: Double?
    public var failure: String?
    public var content: [UInt8]?

    public init(step: RequestStep) { self.step = step }
}

/// A peer removed from a node's table during a run.
public struct PeerRemoval: Sendable {
    public var node: Int
    public var id: [UInt8]
    public var reason: PeerRemovalReason

    public init(node: Int, id: [UInt8], reason: PeerRemovalReason) {
        self.node = node
        self.id = id
        self.reason = reason
    }
}

/// Decides expectations: one set of rules and wording for the simulator (ScenarioRun)
/// and the real transport (NetaioScenarioReal), so a verdict means the same on both.
/// Each run supplies its view of the nodes at the check time: the simulator reads its
/// engines directly, the real transport a snapshot taken from its event loop.
public struct ExpectationEvaluator {
    public let scenario: Scenario
    /// Whether a node is running.
    public var isUp: (Int) -> Bool
    /// Whether a node has a peer with this id in its table.
    public var knows: (_ node: Int, _ id: [UInt8]) -> Bool
    /// A running node's peer-table size; nil when it is down.
    public var peerCount: (Int) -> Int?
    /// A running node's peer ids; nil when it is down.
    public var peerIDs: (Int) -> [[UInt8]]?
    /// Subscribers of a topic at a node (0 when it is down).
    public var subscribers: (_ node: Int, _ topic: String) -> Int
    /// The peer id a reference means now (`d` = current id, `d#k` = k-th start's).
    public var currentID: (PeerRef) -> [UInt8]
    public var requests: [RequestRecord]
    public var removals: [PeerRemoval]
    /// Per node and uri: PUBLISH/NOTIFY messages received.
    public var received: [[String: Int]]
    /// never_peer violations per expectation index.
    public var forbiddenViolations: [Int: [String]]

    public init(
        scenario: Scenario, isUp: @escaping (Int) -> Bool, knows: @escaping (Int, [UInt8]) -> Bool,
        peerCount: @escaping (Int) -> Int?, peerIDs: @escaping (Int) -> [[UInt8]]?, subscribers: @escaping (Int, String) -> Int,
        currentID: @escaping (PeerRef) -> [UInt8], requests: [RequestRecord], removals: [PeerRemoval],
        received: [[String: Int]], forbiddenViolations: [Int: [String]]
    ) {
        self.scenario = scenario
        self.isUp = isUp
        self.knows = knows
        self.peerCount = peerCount
        self.peerIDs = peerIDs
        self.subscribers = subscribers
        self.currentID = currentID
        self.requests = requests
        self.removals = removals
        self.received = received
        self.forbiddenViolations = forbiddenViolations
    }

    /// When an expectation is checked; nil = at the end of the run.
    public static func checkTime(_ kind: Expectation.Kind) -> Double? {
        switch kind {
        case .allKnow(_, _, let by, _), .knows(_, _, let by), .peerRemoved(_, _, let by, _), .received(_, _, _, let by): by
        case .notKnows(_, _, let at), .subscribers(_, _, _, let at), .peerCount(_, _, _, let at), .noStalePeers(_, let at): at
        case .neverPeer, .requestSucceeds, .requestFails: nil
        }
    }

    /// The scenario name of a removal reason (`peer_removed: {reason: ...}`).
    public static func reasonCode(_ r: PeerRemovalReason) -> String {
        switch r {
        case .disconnect: "disconnect"
        case .timedOut: "timed_out"
        case .connectionClosed: "connection_closed"
        case .addressTaken: "address_taken"
        case .removed: "removed"
        case .unknown: "unknown"
        }
    }

    private func name(_ id: [UInt8]) -> String { String(decoding: id, as: UTF8.self) }
    private func nodeName(_ i: Int) -> String { scenario.nodes[i].name }

    /// The verdict on expectation `index` of kind `kind`: passed, and a one-line detail.
    public func evaluate(_ kind: Expectation.Kind, _ index: Int) -> (passed: Bool, detail: String) {
        switch kind {
        case .allKnow(let nodes, let among, _, let sameSegment):
            var pairs = 0, missing = 0
            var example: String?
            // Candidates per segment, in `among` order (a 1,000-node run checks 50k pairs, not 1M).
            let segments = scenario.nodes.map(\.segment)
            var bySegment: [Int: [Int]] = [:]
            for o in among { bySegment[sameSegment ? segments[o] : 0, default: []].append(o) }
            for n in nodes where isUp(n) {
                for o in bySegment[sameSegment ? segments[n] : 0] ?? [] where o != n && isUp(o) {
                    pairs += 1
                    let id = currentID(PeerRef(node: o, incarnation: nil))
                    if !knows(n, id) {
                        missing += 1
                        if example == nil { example = "\(nodeName(n)) does not know \(name(id))" }
                    }
                }
            }
            if pairs == 0 { return (false, "no two running nodes to check") }
            if missing == 0 { return (true, "\(pairs)/\(pairs) pairs know each other") }
            return (false, "\(missing) of \(pairs) pairs missing, e.g. \(example!)")
        case .knows(let nodes, let refs, _):
            for n in nodes where isUp(n) {
                for p in refs where !knows(n, currentID(p)) { return (false, "\(nodeName(n)) does not know \(name(currentID(p)))") }
            }
            return (true, "each running node knows \(refs.map { name(currentID($0)) }.joined(separator: ", "))")
        case .notKnows(let nodes, let refs, _):
            for n in nodes where isUp(n) {
                for p in refs where knows(n, currentID(p)) { return (false, "\(nodeName(n)) still knows \(name(currentID(p)))") }
            }
            return (true, "no running node knows \(refs.map { name(currentID($0)) }.joined(separator: ", "))")
        case .neverPeer:
            if let v = forbiddenViolations[index], !v.isEmpty { return (false, v.prefix(3).joined(separator: "; ")) }
            return (true, "never added (checked at every peer-table change)")
        case .peerRemoved(let nodes, let refs, _, let reason):
            for n in nodes {
                for p in refs {
                    let id = currentID(p)
                    let hit = removals.first { $0.node == n && $0.id == id && (reason == nil || Self.reasonCode($0.reason) == reason) }
                    if hit == nil { return (false, "\(nodeName(n)) has not removed \(name(id))" + (reason.map { " (\($0))" } ?? "")) }
                }
            }
            return (true, "removed" + (reason.map { " (\($0))" } ?? ""))
        case .requestSucceeds(let rname, let within, let content):
            guard let r = requests.first(where: { $0.step.name == rname }) else { return (false, "request \(quoted(rname)) was never sent") }
            guard let done = r.succeededAt, let start = r.firstSent else {
                return (false, "did not succeed: \(r.failure ?? "no reply") after \(r.attempts) attempt(s)")
            }
            let took = done - start
            if took > within { return (false, "succeeded after \(fmt(took))s, over \(fmt(within))s") }
            if let content, r.content != Array(content.utf8) {
                return (false, "reply content \(quoted(name(r.content ?? []))), expected \(quoted(content))")
            }
            return (true, "succeeded in \(fmt(took))s after \(r.attempts) attempt(s)")
        case .requestFails(let rname, let by):
            guard let r = requests.first(where: { $0.step.name == rname }) else { return (false, "request \(quoted(rname)) was never sent") }
            guard let t = r.failedAt, t <= by, r.succeededAt == nil else { return (false, "did not fail by \(fmt(by))s") }
            return (true, "failed at \(fmt(t))s: \(r.failure ?? "")")
        case .subscribers(let node, let topic, let count, _):
            let n = subscribers(node, topic)
            return (n == count, "\(nodeName(node)) has \(n) subscriber(s) for \(quoted(topic))" + (n == count ? "" : ", expected \(count)"))
        case .received(let nodes, let uri, let atLeast, _):
            for n in nodes where received[n][uri, default: 0] < atLeast {
                return (false, "\(nodeName(n)) received \(received[n][uri, default: 0]) message(s) for \(quoted(uri)), expected at least \(atLeast)")
            }
            return (true, "each received at least \(atLeast)")
        case .peerCount(let nodes, let lo, let hi, _):
            for n in nodes {
                guard let c = peerCount(n) else { continue }
                if c < lo || c > hi { return (false, "\(nodeName(n)) knows \(c) peers, expected \(lo)…\(hi)") }
            }
            return (true, "every running node knows \(lo)…\(hi) peers")
        case .noStalePeers(let nodes, _):
            for n in nodes {
                guard let ids = peerIDs(n) else { continue }
                for id in ids {
                    guard let owner = scenario.node(forPeerID: id) else { return (false, "\(nodeName(n)) holds \(name(id)), which no node ever was") }
                    if !isUp(owner) { return (false, "\(nodeName(n)) holds \(name(id)), but \(nodeName(owner)) is down") }
                    if currentID(PeerRef(node: owner, incarnation: nil)) != id {
                        return (false, "\(nodeName(n)) holds \(name(id)), an old id of \(nodeName(owner))")
                    }
                }
            }
            return (true, "every running node holds only running nodes' current ids")
        }
    }
}

/// Seconds with three decimals ("12.345"), as in timelines and verdicts.
public func formatSeconds(_ seconds: Double) -> String {
    let ms = Int((seconds * 1000).rounded())
    let frac = String(abs(ms) % 1000)
    return "\(ms / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)"
}
