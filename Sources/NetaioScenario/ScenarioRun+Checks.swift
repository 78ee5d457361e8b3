import NetaioCore
import NetaioSim

/// Deciding expectations and invariants.
extension ScenarioRun {
    /// When an expectation is checked; nil = at the end of the run.
    func checkTime(_ kind: Expectation.Kind) -> Double? {
        switch kind {
        case .allKnow(_, _, let by, _), .knows(_, _, let by), .peerRemoved(_, _, let by, _), .received(_, _, _, let by): by
        case .notKnows(_, _, let at), .subscribers(_, _, _, let at), .peerCount(_, _, _, let at): at
        case .neverPeer, .requestSucceeds, .requestFails: nil
        }
    }

    func check(_ index: Int) {
        let e = scenario.expectations[index]
        let (passed, detail) = evaluate(e.kind, index)
        verdicts.append(Verdict(name: e.name, passed: passed, detail: detail, line: e.line, time: sim.now.seconds))
        log("\(passed ? "PASS" : "FAIL") \(e.name): \(detail)")
    }

    private func knows(_ node: Int, _ id: [UInt8]) -> Bool { sim.nodes[node].engine?.peer(id: id) != nil }

    private func evaluate(_ kind: Expectation.Kind, _ index: Int) -> (Bool, String) {
        let nodeName = { (i: Int) in self.scenario.nodes[i].name }
        switch kind {
        case .allKnow(let nodes, let among, _, let sameSegment):
            var pairs = 0, missing = 0
            var example: String?
            for n in nodes where sim.nodes[n].isUp {
                for o in among where o != n && sim.nodes[o].isUp {
                    if sameSegment && scenario.nodes[o].segment != scenario.nodes[n].segment { continue }
                    pairs += 1
                    if !knows(n, sim.nodes[o].peerID) {
                        missing += 1
                        if example == nil { example = "\(nodeName(n)) does not know \(name(sim.nodes[o].peerID))" }
                    }
                }
            }
            if pairs == 0 { return (false, "no two running nodes to check") }
            if missing == 0 { return (true, "\(pairs)/\(pairs) pairs know each other") }
            return (false, "\(missing) of \(pairs) pairs missing, e.g. \(example!)")
        case .knows(let nodes, let peers, _):
            for n in nodes where sim.nodes[n].isUp {
                for p in peers where !knows(n, currentID(p)) {
                    return (false, "\(nodeName(n)) does not know \(name(currentID(p)))")
                }
            }
            return (true, "each running node knows \(peers.map { name(currentID($0)) }.joined(separator: ", "))")
        case .notKnows(let nodes, let peers, _):
            for n in nodes where sim.nodes[n].isUp {
                for p in peers where knows(n, currentID(p)) {
                    return (false, "\(nodeName(n)) still knows \(name(currentID(p)))")
                }
            }
            return (true, "no running node knows \(peers.map { name(currentID($0)) }.joined(separator: ", "))")
        case .neverPeer:
            if let v = forbiddenViolations[index], !v.isEmpty { return (false, v.prefix(3).joined(separator: "; ")) }
            return (true, "never added (checked at every peer-table change)")
        case .peerRemoved(let nodes, let peers, _, let reason):
            for n in nodes {
                for p in peers {
                    let id = currentID(p)
                    let hit = removals.first { $0.node == n && $0.id == id && (reason == nil || reasonCode($0.reason) == reason) }
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
            let n = sim.nodes[node].engine?.subscribers(of: Array(topic.utf8)).count ?? 0
            return (n == count, "\(nodeName(node)) has \(n) subscriber(s) for \(quoted(topic))" + (n == count ? "" : ", expected \(count)"))
        case .received(let nodes, let uri, let atLeast, _):
            for n in nodes where received[n][uri, default: 0] < atLeast {
                return (false, "\(nodeName(n)) received \(received[n][uri, default: 0]) message(s) for \(quoted(uri)), expected at least \(atLeast)")
            }
            return (true, "each received at least \(atLeast)")
        case .peerCount(let nodes, let lo, let hi, _):
            for n in nodes {
                guard let e = sim.nodes[n].engine else { continue }
                let c = e.peers.count
                if c < lo || c > hi { return (false, "\(nodeName(n)) knows \(c) peers, expected \(lo)…\(hi)") }
            }
            return (true, "every running node knows \(lo)…\(hi) peers")
        }
    }

    func addInvariantVerdicts() {
        let t = sim.now.seconds
        func add(_ name: String, _ violations: [String]) {
            verdicts.append(Verdict(
                name: "invariant: \(name)", passed: violations.isEmpty,
                detail: violations.isEmpty ? "held at every step" : violations.joined(separator: "; "), line: nil, time: t))
        }
        add("no node is its own peer", selfPeer)
        add("peer tables stay within max_peers", overFull)
        add("no request answered with wrong content", wrongContent)
    }

    func reasonCode(_ r: PeerRemovalReason) -> String {
        switch r {
        case .disconnect: "disconnect"
        case .timedOut: "timed_out"
        case .connectionClosed: "connection_closed"
        case .addressTaken: "address_taken"
        case .removed: "removed"
        }
    }
}

func fmt(_ seconds: Double) -> String {
    let ms = Int((seconds * 1000).rounded())
    let frac = String(abs(ms) % 1000)
    return "\(ms / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)"
}
