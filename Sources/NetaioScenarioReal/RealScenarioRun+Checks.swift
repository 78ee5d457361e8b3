import NetaioNIO
import NetaioScenario

/// Deciding expectations from the real nodes (same rules and wording as the simulator's
/// ScenarioRun+Checks.swift), plus the verdict on faults the real transport did not honour.
extension RealScenarioRun {
    static func checkTime(_ kind: Expectation.Kind) -> Double? {
        switch kind {
        case .allKnow(_, _, let by, _), .knows(_, _, let by), .peerRemoved(_, _, let by, _), .received(_, _, _, let by): by
        case .notKnows(_, _, let at), .subscribers(_, _, _, let at), .peerCount(_, _, _, let at): at
        case .neverPeer, .requestSucceeds, .requestFails: nil
        }
    }

    func check(_ index: Int) async {
        let e = scenario.expectations[index]
        // A snapshot of every running node's peer ids and subscriber counts, taken on the loop.
        let snapshot = await peerSnapshot()
        var subscribers: Int?
        if case .subscribers(let node, let topic, _, _) = e.kind, let p = await onLoop({ self.processes[node] }) {
            subscribers = try? await p.node.withEngine { $0.subscribers(of: Array(topic.utf8)).count }
        }
        let counted = subscribers
        await onLoop {
            let (passed, detail) = self.evaluate(e.kind, index, snapshot, counted)
            self.verdicts.append(Verdict(name: e.name, passed: passed, detail: detail, line: e.line, time: self.now))
            self.log("\(passed ? "PASS" : "FAIL") \(e.name): \(detail)")
        }
    }

    /// Per node: nil when down, else its known peer ids.
    private func peerSnapshot() async -> [[[UInt8]]?] {
        let procs = await onLoop { self.processes }
        var out: [[[UInt8]]?] = []
        for p in procs {
            guard let p else { out.append(nil); continue }
            let ids = (try? await p.node.withEngine { $0.peers.compactMap(\.id) }) ?? []
            out.append(ids)
        }
        return out
    }

    private func evaluate(_ kind: Expectation.Kind, _ index: Int, _ peers: [[[UInt8]]?], _ subscribers: Int?) -> (Bool, String) {
        let nodeName = { (i: Int) in self.scenario.nodes[i].name }
        let isUp = { (i: Int) in peers[i] != nil }
        let knows = { (n: Int, id: [UInt8]) in peers[n]?.contains(id) ?? false }
        switch kind {
        case .allKnow(let nodes, let among, _, let sameSegment):
            var pairs = 0, missing = 0
            var example: String?
            for n in nodes where isUp(n) {
                for o in among where o != n && isUp(o) {
                    if sameSegment && scenario.nodes[o].segment != scenario.nodes[n].segment { continue }
                    pairs += 1
                    let id = peerID(o, incarnation: max(incarnations[o], 1))
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
            if took > within { return (false, "succeeded after \(fmtSeconds(took))s, over \(fmtSeconds(within))s") }
            if let content, r.content != Array(content.utf8) {
                return (false, "reply content \(quoted(name(r.content ?? []))), expected \(quoted(content))")
            }
            return (true, "succeeded in \(fmtSeconds(took))s after \(r.attempts) attempt(s)")
        case .requestFails(let rname, let by):
            guard let r = requests.first(where: { $0.step.name == rname }) else { return (false, "request \(quoted(rname)) was never sent") }
            guard let t = r.failedAt, t <= by, r.succeededAt == nil else { return (false, "did not fail by \(fmtSeconds(by))s") }
            return (true, "failed at \(fmtSeconds(t))s: \(r.failure ?? "")")
        case .subscribers(let node, let topic, let count, _):
            let n = subscribers ?? 0
            return (n == count, "\(nodeName(node)) has \(n) subscriber(s) for \(quoted(topic))" + (n == count ? "" : ", expected \(count)"))
        case .received(let nodes, let uri, let atLeast, _):
            for n in nodes where received[n][uri, default: 0] < atLeast {
                return (false, "\(nodeName(n)) received \(received[n][uri, default: 0]) message(s) for \(quoted(uri)), expected at least \(atLeast)")
            }
            return (true, "each received at least \(atLeast)")
        case .peerCount(let nodes, let lo, let hi, _):
            for n in nodes {
                guard let c = peers[n]?.count else { continue }
                if c < lo || c > hi { return (false, "\(nodeName(n)) knows \(c) peers, expected \(lo)…\(hi)") }
            }
            return (true, "every running node knows \(lo)…\(hi) peers")
        }
    }

    func addInvariantVerdicts() {
        let t = now
        func add(_ name: String, _ violations: [String]) {
            verdicts.append(Verdict(
                name: "invariant: \(name)", passed: violations.isEmpty,
                detail: violations.isEmpty ? "held at every peer-table change" : violations.joined(separator: "; "), line: nil, time: t))
        }
        add("no node is its own peer", selfPeer)
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
