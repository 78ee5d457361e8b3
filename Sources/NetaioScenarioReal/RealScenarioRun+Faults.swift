import NetaioNIO
import NetaioScenario
import NetaioSim

/// Which of the scenario's faults the real transport reproduces. Nothing is injected
/// yet (no pipeline shim): on loopback every datagram arrives, once, intact, within a
/// fraction of a millisecond. Latency alone only makes the real network faster than the
/// file's, and on TCP-only scenarios loss, duplication and corruption are only delay
/// too (the kernel retransmits, drops bad segments, ignores duplicates; the simulator
/// models TCP the same way): those are listed as "delay only". Everything that changes
/// what arrives on datagrams, partitions, clock skew and TCP crashes is NOT HONOURED and
/// fails the fault verdict, so a passing run never hides a fault it did not apply.
extension RealScenarioRun {
    func analyseFaults() {
        let udp = scenario.nodes.contains { $0.role == .udpNode }
        var faults: [(String, LinkFaults)] = [("network defaults", scenario.network.defaults)]
        for link in scenario.network.links { faults.append(("link [\(names(link.from))] -> [\(names(link.to))]", link.faults)) }
        for step in scenario.timeline {
            switch step.action {
            case .setNetwork(let f): faults.append(("network change at \(stamp(step.at))", f))
            case .setLink(let l): faults.append(("link change at \(stamp(step.at))", l.faults))
            case .partition(let n, _, _, _): unhonoured.append("partition \(n) at \(stamp(step.at))")
            case .clock(let nodes, _, _): unhonoured.append("clock change of \(names(nodes)) at \(stamp(step.at))")
            case .crash(let nodes), .restart(let nodes):
                let tcp = nodes.filter { scenario.nodes[$0].role != .udpNode }
                if !tcp.isEmpty { unhonoured.append("crash of TCP node(s) \(names(tcp)) at \(stamp(step.at)) (performed as a stop: DISCONNECT is sent)") }
            default: break
            }
        }
        let skewed = scenario.nodes.indices.filter { scenario.nodes[$0].skew != 0 || scenario.nodes[$0].drift != 0 }
        if !skewed.isEmpty { unhonoured.append("clock skew/drift of \(names(skewed))") }
        for (label, f) in faults {
            var lost: [String] = [], slow: [String] = []
            if f.latency != .fixed(0.001) || f.jitter > 0 { slow.append("latency \(f.latency)" + (f.jitter > 0 ? " jitter \(f.jitter)s" : "")) }
            // On datagrams these change what arrives; on TCP-only scenarios they are delay.
            var changes: [String] = []
            for (what, p) in [("loss", f.loss), ("duplication", f.duplicate), ("corruption", f.corrupt)] where p > 0 {
                changes.append("\(what) \(p)")
            }
            if let b = f.bandwidth { changes.append("bandwidth \(Int(b)) B/s") }
            if let q = f.queueLimit { changes.append("queue limit \(q) B") }
            if udp {
                lost += changes
                if f.jitter > 0 { lost.append("reordering by jitter") }
            } else {
                slow += changes
            }
            if !lost.isEmpty { unhonoured.append("\(label): \(lost.joined(separator: ", "))") }
            if !slow.isEmpty { delayOnly.append("\(label): \(slow.joined(separator: ", "))") }
        }
    }

    func addFaultVerdict() {
        let detail: String
        if unhonoured.isEmpty {
            detail = delayOnly.isEmpty
                ? "the scenario uses no faults"
                : "every fault is delay only, which loopback does not add: \(delayOnly.joined(separator: "; "))"
        } else {
            detail = "not honoured (the verdicts above ran without them): \(unhonoured.joined(separator: "; "))"
        }
        verdicts.append(Verdict(name: "real transport: every fault honoured", passed: unhonoured.isEmpty, detail: detail, line: nil, time: now))
    }
}
