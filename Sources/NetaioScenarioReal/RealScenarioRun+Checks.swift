import NetaioNIO
import NetaioScenario

/// Deciding expectations from the real nodes (the simulator's rules and wording: the
/// shared ExpectationEvaluator), plus the verdict on faults the real transport did not honour.
extension RealScenarioRun {
    static func checkTime(_ kind: Expectation.Kind) -> Double? { ExpectationEvaluator.checkTime(kind) }

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

    /// The shared rules (ExpectationEvaluator) on a snapshot of the real nodes.
    private func evaluate(_ kind: Expectation.Kind, _ index: Int, _ peers: [[[UInt8]]?], _ subscribers: Int?) -> (Bool, String) {
        let evaluator = ExpectationEvaluator(
            scenario: scenario,
            isUp: { peers[$0] != nil },
            knows: { n, id in peers[n]?.contains(id) ?? false },
            peerCount: { peers[$0]?.count },
            peerIDs: { peers[$0] },
            subscribers: { _, _ in subscribers ?? 0 },  // counted for this expectation's node and topic
            currentID: { [unowned self] in self.currentID($0) },
            requests: requests, removals: removals, received: received, forbiddenViolations: forbiddenViolations)
        return evaluator.evaluate(kind, index)
    }

    func addInvariantVerdicts() {
        let t = now
        func add(_ name: String, _ violations: [String]) {
            verdicts.append(.invariant(name, violations: violations, heldWhen: "held at every peer-table change", time: t))
        }
        add("no node is its own peer", selfPeer)
        add("no request answered with wrong content", wrongContent)
    }
}
