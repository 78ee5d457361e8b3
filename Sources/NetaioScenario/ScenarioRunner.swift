@_spi(PlantedBugs) import NetaioCore
import NetaioSim

/// Runs a scenario on the simulator with one seed: builds the nodes, plays the timeline,
/// checks invariants at every engine event and expectations at their times.
public enum ScenarioRunner {
    /// `external` allows `impl: python` / `impl: {command: …}` nodes (docs/external-nodes.md);
    /// without it they fail to start and the run reports an error.
    public static func run(_ scenario: Scenario, seed: UInt64, recordTrace: Bool = false, external: ExternalNodeOptions? = nil) -> RunResult {
        let run = ScenarioRun(scenario, seed: seed, recordTrace: recordTrace)
        run.externalOptions = external
        return run.execute()
    }

    /// A run whose engines carry deliberate bugs: for the explorer's own tests only.
    @_spi(PlantedBugs)
    public static func run(_ scenario: Scenario, seed: UInt64, plantedBugs: PlantedBugs, recordTrace: Bool = false) -> RunResult {
        let run = ScenarioRun(scenario, seed: seed, recordTrace: recordTrace)
        run.plantedBugs = plantedBugs
        return run.execute()
    }
}

/// The state of one run. A class because handlers and the simulator's observer call back into it.
final class ScenarioRun {
    let scenario: Scenario
    let sim: Simulator
    var summary: [String] = []
    /// Peer-table changes of the current whole second, summarised in one timeline line.
    var peerBucket: (second: Int, added: Int, removed: [(reason: String, count: Int)])?
    var verdicts: [Verdict] = []

    /// Per node: the resource store of the running process (reset by a crash).
    var stores: [[String: [UInt8]]]
    /// Per (node, uri): every content the uri has ever had there (a reply must be one of them).
    var contentHistory: [Int: [String: Set<[UInt8]>]] = [:]
    /// Per node and uri: PUBLISH/NOTIFY messages received.
    var received: [[String: Int]]
    var removals: [PeerRemoval] = []
    /// Peer-table sizes, kept from the events (the engine's `peers` copies the table).
    var peerCounts: [Int]

    var requests: [RequestRecord] = []
    var requestIndex: [EngineRequestKey: Int] = [:]

    /// Invariant violations (first few kept).
    var selfPeer: [String] = []
    var overFull: [String] = []
    var wrongContent: [String] = []
    /// never_peer expectations: per node, forbidden ids → the expectation index.
    var forbidden: [Int: [[UInt8]: Int]] = [:]
    var forbiddenViolations: [Int: [String]] = [:]
    /// The invariants every run is judged by (InvariantMonitor).
    var monitor: InvariantMonitor!
    var plantedBugs: PlantedBugs = []
    var externalOptions: ExternalNodeOptions?

    init(_ scenario: Scenario, seed: UInt64, recordTrace: Bool) {
        self.scenario = scenario
        sim = Simulator(seed: seed, recordTrace: recordTrace)
        stores = Array(repeating: [:], count: scenario.nodes.count)
        received = Array(repeating: [:], count: scenario.nodes.count)
        peerCounts = Array(repeating: 0, count: scenario.nodes.count)
        monitor = InvariantMonitor(scenario: scenario, sim: sim)
    }

    func execute() -> RunResult {
        sim.defaults = scenario.network.defaults
        sim.connectTimeout = scenario.network.connectTimeout
        sim.tcpUserTimeout = scenario.network.tcpUserTimeout
        for link in scenario.network.links { apply(link) }
        for (i, spec) in scenario.nodes.enumerated() {
            sim.addNode(simSpec(spec, index: i), skew: spec.skew, drift: spec.drift)
        }
        forbidden = scenario.forbiddenPeerIDs()
        sim.observer = { [unowned self] node, event in self.observe(node, event) }
        monitor.install()
        for (i, spec) in scenario.nodes.enumerated() {
            guard let at = spec.startAt else { continue }
            sim.schedule(at: .seconds(at)) { [unowned self] in self.sim.start(i) }
        }
        for step in scenario.timeline {
            sim.schedule(at: .seconds(step.at)) { [unowned self] in self.perform(step) }
        }
        var end = scenario.duration
        for (i, e) in scenario.expectations.enumerated() {
            guard let t = checkTime(e.kind) else { continue }
            end = max(end, t)
            sim.schedule(at: .seconds(t)) { [unowned self] in self.check(i) }
        }
        sim.run(until: .seconds(end))
        for (i, e) in scenario.expectations.enumerated() where checkTime(e.kind) == nil { check(i) }
        addInvariantVerdicts()
        log("end: \(progressText())")
        for e in externalErrors { log("external node error: \(e)") }
        stopExternalNodes()
        var result = RunResult(
            scenario: scenario.name, seed: sim.seed, traceHash: sim.traceHash, verdicts: verdicts, summary: summary,
            eventsProcessed: sim.eventsProcessed, traceRecords: sim.traceRecordCount, virtualSeconds: end,
            counts: TraceRecord.Kind.allCases.map { ($0.name, sim.count($0)) }.filter { $0.1 > 0 },
            records: sim.records, nodeNames: scenario.nodes.map(\.name))
        result.errors = externalErrors
        return result
    }

    /// Ends every external process still running (the run is over; nothing is traced).
    private func stopExternalNodes() {
        for n in sim.nodes { n.external?.kill() }
    }

    // MARK: - Nodes

    func peerID(_ node: Int, incarnation: Int) -> [UInt8] { scenario.peerID(node: node, incarnation: incarnation) }

    func currentID(_ ref: PeerRef) -> [UInt8] {
        peerID(ref.node, incarnation: ref.incarnation ?? max(sim.nodes[ref.node].incarnation, 1))
    }

    func name(_ id: [UInt8]) -> String { String(decoding: id, as: UTF8.self) }

    private func simSpec(_ spec: NodeSpec, index: Int) -> SimNodeSpec {
        SimNodeSpec(
            name: spec.name, role: spec.role, address: spec.address, segment: spec.segment,
            peerID: { [unowned self] inc in self.peerID(index, incarnation: inc) },
            peerData: { [unowned self] inc in self.scenario.peerData(node: index, incarnation: inc) },
            configure: { [unowned self] config, inc in self.configure(&config, index, inc) },
            start: { [unowned self] engine, i, _ in self.started(engine, i) },
            external: spec.impl.isExternal
                ? { [unowned self] inc, seed, clock in self.launchExternal(index, incarnation: inc, seed: seed, clock: clock) } : nil)
    }

    func apply(_ link: LinkSpec) {
        let n = scenario.nodes.count
        sim.overrides.append(LinkOverride(from: NodeSet(count: n, members: link.from), to: NodeSet(count: n, members: link.to), faults: link.faults))
        if link.bothWays {
            sim.overrides.append(LinkOverride(from: NodeSet(count: n, members: link.to), to: NodeSet(count: n, members: link.from), faults: link.faults))
        }
    }

    // MARK: - Observing

    func observe(_ node: Int, _ event: Event) {
        switch event {
        case .peerAdded(let peer):
            guard let id = peer.id else { return }
            let me = sim.nodes[node].peerID
            if id == me, selfPeer.count < 5 { selfPeer.append("\(sim.now) \(scenario.nodes[node].name) added itself") }
            peerCounts[node] += 1
            bucket(added: true, reason: nil)
            let maxPeers = scenario.nodes[node].peers?.maxPeers ?? NodeConfiguration.defaultMaxPeers
            if peerCounts[node] > maxPeers, overFull.count < 5 {
                overFull.append("\(sim.now) \(scenario.nodes[node].name) holds \(peerCounts[node]) peers")
            }
            monitor.peerAdded(at: node, id: id)
            if let e = forbidden[node]?[id] {
                forbiddenViolations[e, default: []].append("\(sim.now) \(scenario.nodes[node].name) added \(name(id))")
            }
        case .peerRemoved(let peer, let reason):
            peerCounts[node] -= 1
            bucket(added: false, reason: reasonCode(reason))
            if let id = peer.id {
                removals.append(PeerRemoval(node: node, id: id, reason: reason))
                monitor.peerRemoved(at: node, id: id, reason: reason)
            }
        case .requestCompleted(let rid, let message):
            requestCompleted(node, rid, message)
        case .requestFailed(let rid, let error):
            requestFailed(node, rid, error)
        case .dropped:
            break
        }
    }

    /// Appends a timeline line at the current time (after any pending peer summary).
    func log(_ text: String) {
        flushPeerBucket()
        summary.append("\(sim.now)  \(text)")
    }

    private func bucket(added: Bool, reason: String?) {
        let second = Int(sim.now.seconds)
        if let b = peerBucket, b.second != second { flushPeerBucket() }
        var b = peerBucket ?? (second, 0, [])
        if added {
            b.added += 1
        } else if let reason {
            if let i = b.removed.firstIndex(where: { $0.reason == reason }) { b.removed[i].count += 1 } else { b.removed.append((reason, 1)) }
        }
        peerBucket = b
    }

    private func flushPeerBucket() {
        guard let b = peerBucket else { return }
        peerBucket = nil
        var parts: [String] = []
        if b.added > 0 { parts.append("\(b.added) peer entr\(b.added == 1 ? "y" : "ies") added") }
        for r in b.removed { parts.append("\(r.count) removed (\(r.reason))") }
        summary.append("\(SimTime.seconds(Double(b.second)))  within this second: \(parts.joined(separator: ", "))")
    }

    /// "known peers 40/42 pairs, 3 of 3 nodes up".
    func progressText() -> String {
        var known = 0, up = 0
        for (i, n) in sim.nodes.enumerated() where n.isUp {
            up += 1
            known += n.engine?.peers.count ?? peerCounts[i]
        }
        return "\(up)/\(sim.nodes.count) nodes up, \(known) peer entries, \(sim.eventsProcessed) events"
    }
}

struct EngineRequestKey: Hashable {
    var node: Int
    var incarnation: Int
    var id: RequestID
}

