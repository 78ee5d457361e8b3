import NetaioNIO
import NetaioScenario
import NetaioSim

/// Which of the scenario's faults the real transport reproduces. UDP datagrams pass
/// the fault shim (RealScenarioRun+Shim.swift): loss, duplication, corruption, latency,
/// jitter and partitions are applied to them. TCP streams are not shimmed: latency, and
/// loss/duplication/corruption (which TCP turns into delay, as the simulator models it)
/// are "delay only" and make the real network only faster than the file's. Crashes are
/// real (the node is killed: no DISCONNECT, its connections just end). Bandwidth and
/// queue limits on datagrams, partitions of TCP nodes and clock skew/drift are NOT
/// HONOURED and fail the fault verdict, so a passing run never hides a fault it did not
/// apply.
extension RealScenarioRun {
    func analyseFaults() {
        let udp = scenario.nodes.contains { $0.role == .udpNode }
        var faults: [(String, LinkFaults)] = [("network defaults", scenario.network.defaults)]
        for link in scenario.network.links { faults.append(("link [\(names(link.from))] -> [\(names(link.to))]", link.faults)) }
        for step in scenario.timeline {
            switch step.action {
            case .setNetwork(let f): faults.append(("network change at \(stamp(step.at))", f))
            case .setLink(let l): faults.append(("link change at \(stamp(step.at))", l.faults))
            case .partition(let n, let a, let b, _):
                let tcp = (a + b).filter { scenario.nodes[$0].role != .udpNode }
                if !tcp.isEmpty { unhonoured.append("partition \(n) at \(stamp(step.at)) of TCP node(s) \(names(tcp)) (only datagrams are cut)") }
            case .clock(let nodes, _, _): unhonoured.append("clock change of \(names(nodes)) at \(stamp(step.at))")
            default: break
            }
        }
        let skewed = scenario.nodes.indices.filter { scenario.nodes[$0].skew != 0 || scenario.nodes[$0].drift != 0 }
        if !skewed.isEmpty { unhonoured.append("clock skew/drift of \(names(skewed))") }
        let tcp = scenario.nodes.contains { $0.role != .udpNode }
        for (label, f) in faults {
            var lost: [String] = [], slow: [String] = []
            var changes: [String] = []
            if f.latency != .fixed(0.001) || f.jitter > 0 { changes.append("latency \(f.latency)" + (f.jitter > 0 ? " jitter \(f.jitter)s" : "")) }
            for (what, p) in [("loss", f.loss), ("duplication", f.duplicate), ("corruption", f.corrupt)] where p > 0 {
                changes.append("\(what) \(p)")
            }
            // The shim applies these to datagrams; TCP streams only get faster.
            if tcp && !changes.isEmpty { slow.append(changes.joined(separator: ", ") + " on TCP streams") }
            if udp {
                if let b = f.bandwidth { lost.append("bandwidth \(Int(b)) B/s on datagrams") }
                if let q = f.queueLimit { lost.append("queue limit \(q) B on datagrams") }
            }
            if tcp, f.bandwidth != nil || f.queueLimit != nil { slow.append("bandwidth/queue limits on TCP streams") }
            if !lost.isEmpty { unhonoured.append("\(label): \(lost.joined(separator: ", "))") }
            if !slow.isEmpty { delayOnly.append("\(label): \(slow.joined(separator: ", "))") }
        }
    }

    func addFaultVerdict() {
        let detail: String
        if unhonoured.isEmpty {
            let shim = scenario.nodes.contains { $0.role == .udpNode } ? "datagram faults applied by the shim" : "no datagram faults to apply"
            detail = shim + (delayOnly.isEmpty ? "" : "; delay only, not added (loopback is faster): \(delayOnly.joined(separator: "; "))")
        } else {
            detail = "not honoured (the verdicts above ran without them): \(unhonoured.joined(separator: "; "))"
        }
        verdicts.append(Verdict(name: "real transport: every fault honoured", passed: unhonoured.isEmpty, detail: detail, line: nil, time: now))
    }
}
