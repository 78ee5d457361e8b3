import Foundation
import NIOCore
import NetaioNIO
import NetaioScenario
import NetaioSim

/// One running process of a scenario node.
enum RealNode: Sendable {
    case udp(NetaioUDPNode)
    case server(NetaioTCPServer)
    case client(NetaioTCPClient)

    var node: NetaioNode {
        switch self {
        case .udp(let n): n
        case .server(let n): n
        case .client(let n): n
        }
    }

    func shutdown() async {
        switch self {
        case .udp(let n): try? await n.shutdown()
        case .server(let n): try? await n.shutdown()
        case .client(let n): try? await n.shutdown()
        }
    }

    /// A crash: no goodbye, connections closed as for a killed process.
    func kill() async { try? await node.kill() }
}

/// The state of one real run. Every engine shares one event loop, and this state is
/// only touched on it (handlers and event hooks run there; the timeline hops there).
final class RealScenarioRun: @unchecked Sendable {
    let scenario: Scenario
    let seed: UInt64
    let timeScale: Double
    let loop: any EventLoop
    /// Wall-clock origin of virtual time 0 (set when the run starts).
    var origin = Date().timeIntervalSince1970
    let clock: ScaledUnixClock

    var processes: [RealNode?]
    var incarnations: [Int]
    /// The bound address of each running node's socket (TCP server: its listener).
    var addresses: [Address?]
    /// Port of each node's last incarnation (0 before its first start).
    var lastPorts: [Int]
    var stores: [[String: [UInt8]]]
    var contentHistory: [Int: [String: Set<[UInt8]>]] = [:]
    var received: [[String: Int]]
    var removals: [PeerRemoval] = []
    var requests: [RequestRecord] = []

    var summary: [String] = []
    var verdicts: [Verdict] = []
    var selfPeer: [String] = []
    var wrongContent: [String] = []
    var forbidden: [Int: [[UInt8]: Int]] = [:]
    var forbiddenViolations: [Int: [String]] = [:]
    /// Faults and actions the real transport did not reproduce, and those it reproduced
    /// only as delay (loopback is faster than the file's network).
    var unhonoured: [String] = []
    var delayOnly: [String] = []
    var counts: [String: UInt64] = [:]
    var pending: [Task<Void, Never>] = []
    /// The fault shim's state (RealScenarioRun+Shim.swift).
    var random: Xoshiro256StarStar
    var networkDefaults: LinkFaults
    var links: [LinkSpec]
    var partitions: [(name: String, a: [Int], b: [Int], oneWay: Bool)] = []
    /// How long datagrams wait unread (RealScenarioRun+Lag.swift).
    var lag = DatagramLag()

    init(_ scenario: Scenario, seed: UInt64, timeScale: Double, loop: any EventLoop) {
        self.scenario = scenario
        self.seed = seed
        self.timeScale = timeScale
        self.loop = loop
        clock = ScaledUnixClock(origin: origin, rate: timeScale)
        random = Xoshiro256StarStar(seed: seed)
        networkDefaults = scenario.network.defaults
        links = scenario.network.links
        let n = scenario.nodes.count
        processes = Array(repeating: nil, count: n)
        incarnations = Array(repeating: 0, count: n)
        addresses = Array(repeating: nil, count: n)
        lastPorts = Array(repeating: 0, count: n)
        stores = Array(repeating: [:], count: n)
        received = Array(repeating: [:], count: n)
    }

    /// Virtual seconds since the start.
    var now: Double { (Date().timeIntervalSince1970 - origin) * timeScale }

    /// When the run ends: the duration or the latest timed expectation.
    static func endTime(_ scenario: Scenario) -> Double {
        var end = scenario.duration
        for e in scenario.expectations { if let t = checkTime(e.kind) { end = max(end, t) } }
        return end
    }

    /// Runs `body` on the loop (where the state lives).
    func onLoop<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        try! await loop.submit(body).get()
    }

    func log(_ text: String) {
        summary.append("\(stamp(now))  \(text)")
    }

    func execute() async -> RunResult {
        var steps: [(at: Double, run: @Sendable () async -> Void)] = []
        for (i, spec) in scenario.nodes.enumerated() {
            if let at = spec.startAt { steps.append((at, { await self.start(i) })) }
        }
        for step in scenario.timeline { steps.append((step.at, { await self.perform(step) })) }
        for (i, e) in scenario.expectations.enumerated() {
            if let t = Self.checkTime(e.kind) { steps.append((t, { await self.check(i) })) }
        }
        // Stable: same-time steps keep the simulator's order (starts, timeline, checks).
        let ordered = steps.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        let end = Self.endTime(scenario)
        await onLoop {
            self.analyseFaults()
            self.forbidden = self.scenario.forbiddenPeerIDs()
            self.log("real transport: loopback sockets, wall clock ×\(fmtScale(self.timeScale)); not deterministic (no trace hash)")
            for line in self.delayOnly { self.log("delay only (not injected): \(line)") }
            for line in self.unhonoured { self.log("NOT HONOURED: \(line)") }
        }
        origin = Date().timeIntervalSince1970
        for step in ordered {
            await sleep(until: step.at)
            let began = now
            await onLoop { self.lag.stepBegan(planned: step.at, at: began) }
            await step.run()
        }
        await sleep(until: end)
        for task in await onLoop({ self.pending }) { await task.value }
        for (i, e) in scenario.expectations.enumerated() where Self.checkTime(e.kind) == nil { await check(i) }
        let up = await onLoop { self.processes.filter { $0 != nil }.count }
        for p in await onLoop({ self.processes }) { await p?.shutdown() }
        return await onLoop {
            self.addInvariantVerdicts()
            self.addFaultVerdict()
            self.addLagVerdict()
            self.log("end: \(up)/\(self.scenario.nodes.count) nodes up")
            return RunResult(
                scenario: self.scenario.name, seed: self.seed, traceHash: "none (real transport: not deterministic)",
                verdicts: self.verdicts, summary: self.summary,
                eventsProcessed: self.counts.values.reduce(0, +), traceRecords: 0, virtualSeconds: end,
                counts: self.counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, records: [],
                nodeNames: self.scenario.nodes.map(\.name))
        }
    }

    private func sleep(until virtual: Double) async {
        let wait = origin + virtual / timeScale - Date().timeIntervalSince1970
        if wait > 0 { try? await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
    }

    func name(_ id: [UInt8]) -> String { String(decoding: id, as: UTF8.self) }

    func names(_ nodes: [Int]) -> String {
        let n = nodes.map { scenario.nodes[$0].name }
        return n.count <= 6 ? n.joined(separator: ", ") : n.prefix(5).joined(separator: ", ") + ", … (\(n.count) nodes)"
    }

    func count(_ kind: String) { counts[kind, default: 0] += 1 }
}

/// "12.345s", like the simulator's timestamps.
func stamp(_ seconds: Double) -> String { fmtSeconds(seconds) + "s" }

func fmtSeconds(_ seconds: Double) -> String { formatSeconds(seconds) }

func fmtScale(_ s: Double) -> String { s == s.rounded() ? String(Int(s)) : String(s) }

func quoted(_ s: String) -> String { "\"\(s)\"" }
