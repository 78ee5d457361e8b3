import NetaioCore
import NetaioSim

/// Deciding expectations and invariants.
extension ScenarioRun {
    func checkTime(_ kind: Expectation.Kind) -> Double? { ExpectationEvaluator.checkTime(kind) }

    func check(_ index: Int) {
        let e = scenario.expectations[index]
        let (passed, detail) = evaluator.evaluate(e.kind, index)
        verdicts.append(Verdict(name: e.name, passed: passed, detail: detail, line: e.line, time: sim.now.seconds))
        log("\(passed ? "PASS" : "FAIL") \(e.name): \(detail)")
    }

    /// The shared rules (ExpectationEvaluator) on the simulator's engines, read directly.
    private var evaluator: ExpectationEvaluator {
        ExpectationEvaluator(
            scenario: scenario,
            isUp: { [unowned self] in self.sim.nodes[$0].isUp },
            knows: { [unowned self] n, id in
                if self.external(n) != nil { return self.externalState(n)?.peers.contains(id) ?? false }
                return self.sim.nodes[n].engine?.peer(id: id) != nil
            },
            peerCount: { [unowned self] n in
                if self.external(n) != nil { return self.externalState(n)?.peers.count }
                return self.sim.nodes[n].engine?.peers.count
            },
            peerIDs: { [unowned self] n in
                if self.external(n) != nil { return self.externalState(n)?.peers }
                return self.sim.nodes[n].engine?.peers.compactMap(\.id)
            },
            subscribers: { [unowned self] n, topic in
                if self.external(n) != nil { return self.externalState(n)?.subscribers[topic] ?? 0 }
                return self.sim.nodes[n].engine?.subscribers(of: Array(topic.utf8)).count ?? 0
            },
            currentID: { [unowned self] in self.currentID($0) },
            requests: requests, removals: removals, received: received, forbiddenViolations: forbiddenViolations)
    }

    func addInvariantVerdicts() {
        let t = sim.now.seconds
        func add(_ name: String, _ violations: [String]) {
            verdicts.append(.invariant(name, violations: violations, heldWhen: "held at every step", time: t))
        }
        add("no node is its own peer", selfPeer)
        add("peer tables stay within max_peers", overFull)
        add("no request answered with wrong content", wrongContent)
        verdicts += monitor.verdicts(time: t)
    }

    func reasonCode(_ r: PeerRemovalReason) -> String { ExpectationEvaluator.reasonCode(r) }
}

func fmt(_ seconds: Double) -> String { formatSeconds(seconds) }
