/// `netaio scenario check-node`: what an external-node adapter (docs/external-nodes.md) gets
/// wrong, found by running small scenarios in which the nodes named `x…` are the adapter
/// and the others our engine. Each check says what it proves and why it failed.
public enum NodeContractCheck {
    public struct Outcome: Sendable {
        public var id: String
        public var title: String
        public var passed: Bool
        /// Why it failed (empty when it passed).
        public var detail: String
    }

    struct Case {
        var id: String
        var title: String
        var yaml: String
        /// Also run the scenario a second time and demand the same trace hash (and, when
        /// set, again with these extra expectations, which query the node's state).
        var sameHashTwice = false
        var withStateQueries = false
    }

    /// Runs every check against `command` (argv). `only` limits to ids (e.g. ["CN-03"]).
    public static func run(command: [String], options: ExternalNodeOptions, only: Set<String> = [],
                           progress: (String) -> Void = { _ in }) -> [Outcome] {
        var outcomes: [Outcome] = []
        for c in cases where only.isEmpty || only.contains(c.id) {
            progress("\(c.id) \(c.title)…")
            outcomes.append(check(c, command: command, options: options))
        }
        return outcomes
    }

    public static var ids: [(id: String, title: String)] { cases.map { ($0.id, $0.title) } }

    static func check(_ c: Case, command: [String], options: ExternalNodeOptions) -> Outcome {
        func outcome(_ passed: Bool, _ detail: String) -> Outcome { Outcome(id: c.id, title: c.title, passed: passed, detail: detail) }
        guard var scenario = try? ScenarioParser.parse(Array(c.yaml.utf8)) else {
            return outcome(false, "internal: the check's scenario does not parse")
        }
        for i in scenario.nodes.indices where scenario.nodes[i].group.hasPrefix("x") { scenario.nodes[i].impl = .command(command) }
        let first = ScenarioRunner.run(scenario, seed: scenario.seed, external: options)
        if !first.errors.isEmpty { return outcome(false, first.errors.joined(separator: "\n")) }
        if !first.passed {
            return outcome(false, first.failures.map { "expected: \($0.name) — \($0.detail)" }.joined(separator: "\n"))
        }
        if c.sameHashTwice {
            let again = ScenarioRunner.run(scenario, seed: scenario.seed, external: options)
            if again.traceHash != first.traceHash || !again.errors.isEmpty {
                return outcome(false, "the same scenario and seed gave two different runs (trace \(first.traceHash.prefix(16)) then \(again.traceHash.prefix(16))): "
                    + "the node reads the wall clock, the system random source or hash order somewhere")
            }
        }
        if c.withStateQueries {
            var queried = scenario
            for t in stride(from: 0.5, through: 14.5, by: 0.5) {
                queried.expectations.append(Expectation(
                    name: "state query at \(t)s", kind: .peerCount(nodes: Array(queried.nodes.indices), min: 0, max: 1000, at: t), line: nil))
            }
            let q = ScenarioRunner.run(queried, seed: scenario.seed, external: options)
            if !q.errors.isEmpty { return outcome(false, q.errors.joined(separator: "\n")) }
            if q.traceHash != first.traceHash {
                return outcome(false, "answering `state` queries changed what the node did (trace \(first.traceHash.prefix(16)) without queries, \(q.traceHash.prefix(16)) with): `state` must be read-only")
            }
        }
        return outcome(true, "")
    }

    static let cases: [Case] = [
        Case(id: "CN-01", title: "starts, answers every input, and idles on its timers", yaml: """
            name: starts
            duration: 30s
            seed: 1
            nodes:
              - {name: x, role: udp, peers: {advertise_every: 2s, timeout: 10s}}
            expect:
              - {name: x runs, peer_count: {nodes: x, min: 0, max: 0, at: 30s}}
            """),
        Case(id: "CN-02", title: "UDP: discovers our node and is discovered; requests both ways", yaml: """
            name: udp with ours
            duration: 20s
            seed: 2
            network: {latency: 2ms}
            nodes:
              - {name: x, role: udp, peers: {advertise_every: 2s, timeout: 10s}, resources: {greeting: from x}}
              - {name: s, role: udp, peers: {advertise_every: 2s, timeout: 10s}, resources: {greeting: from s}, start: 1s}
            timeline:
              - {at: 5s, request: {name: s-to-x, from: s, to: x, uri: greeting, timeout: 2s}}
              - {at: 6s, request: {name: x-to-s, from: x, to: s, uri: greeting, timeout: 2s}}
              - {at: 7s, request: {name: missing, from: s, to: x, uri: nothing-here, timeout: 2s}}
            expect:
              - {name: both know each other by 4s, all_know: {by: 4s}}
              - {name: s gets x's resource, request_succeeds: {request: s-to-x, within: 1s, content: from x}}
              - {name: x gets s's resource, request_succeeds: {request: x-to-s, within: 1s, content: from s}}
              - {name: a missing uri is NOT_FOUND, request_fails: {request: missing, by: 10s}}
              - {name: still peers at 20s, all_know: {by: 20s}}
            """, sameHashTwice: true, withStateQueries: true),
        Case(id: "CN-03", title: "two of its own nodes discover each other (HMAC on); a third with another secret stays out", yaml: """
            name: own nodes
            duration: 15s
            seed: 3
            network: {latency: 1ms}
            nodes:
              - {name: x, role: udp, count: 2, auth: {hmac: {secret: shared}}, peers: {advertise_every: 2s, timeout: 10s}}
              - {name: xo, role: udp, auth: {hmac: {secret: other}}, peers: {advertise_every: 2s, timeout: 10s}}
            expect:
              - {name: x1 and x2 know each other by 5s, all_know: {nodes: [x1, x2], among: [x1, x2], by: 5s}}
              - {name: the other secret is never a peer, never_peer: {nodes: [x1, x2], peers: xo}}
            """, sameHashTwice: true),
        Case(id: "CN-04", title: "TCP server: our clients connect, create, read, update, delete, subscribe", yaml: """
            name: tcp server
            duration: 20s
            seed: 4
            network: {latency: 5ms}
            nodes:
              - {name: x, role: tcp_server, peers: true, resources: {status: ok}}
              - {name: c, role: tcp_client, count: 2, connect: x, peers: true, start: 1s}
            timeline:
              - {at: 3s, request: {name: read, from: c1, to: x, uri: status, timeout: 2s}}
              - {at: 4s, request: {name: create, from: c1, to: x, uri: made, type: create, content: new, timeout: 2s}}
              - {at: 5s, request: {name: read-made, from: c2, to: x, uri: made, timeout: 2s}}
              - {at: 6s, request: {name: update, from: c2, to: x, uri: made, type: update, content: newer, timeout: 2s}}
              - {at: 7s, request: {name: delete, from: c1, to: x, uri: made, type: delete, timeout: 2s}}
              - {at: 8s, request: {name: read-gone, from: c2, to: x, uri: made, timeout: 2s}}
              - {at: 9s, subscribe: {from: c1, to: x, uri: news}}
              - {at: 10s, notify: {node: x, uri: news, content: hello}}
            expect:
              - {name: x knows both clients, knows: {nodes: x, peers: c, by: 3s}}
              - {name: the clients know x, knows: {nodes: c, peers: x, by: 3s}}
              - {name: read, request_succeeds: {request: read, within: 1s, content: ok}}
              - {name: create, request_succeeds: {request: create, within: 1s}}
              - {name: read what was made, request_succeeds: {request: read-made, within: 1s, content: new}}
              - {name: update, request_succeeds: {request: update, within: 1s}}
              - {name: delete, request_succeeds: {request: delete, within: 1s}}
              - {name: read after delete is NOT_FOUND, request_fails: {request: read-gone, by: 12s}}
              - {name: x counts one subscriber (NOTIFY reaches it), subscribers: {node: x, topic: news, count: 1, at: 9.5s}}
              - {name: the subscriber hears the notification, received: {nodes: c1, uri: news, at_least: 1, by: 12s}}
            """, sameHashTwice: true),
        Case(id: "CN-05", title: "TCP client: connects to our server, both know each other, requests succeed", yaml: """
            name: tcp client
            duration: 12s
            seed: 5
            network: {latency: 5ms}
            nodes:
              - {name: s, role: tcp_server, peers: true, resources: {status: all good}}
              - {name: x, role: tcp_client, connect: s, peers: true, start: 1s}
            timeline:
              - {at: 3s, request: {name: read, from: x, to: s, uri: status, timeout: 2s}}
              - {at: 4s, request: {name: create, from: x, to: s, uri: made, type: create, content: by x, timeout: 2s}}
            expect:
              - {name: s knows x, knows: {nodes: s, peers: x, by: 3s}}
              - {name: x knows s, knows: {nodes: x, peers: s, by: 3s}}
              - {name: read, request_succeeds: {request: read, within: 1s, content: all good}}
              - {name: create, request_succeeds: {request: create, within: 1s}}
            """),
        Case(id: "CN-06", title: "crash and restart: a new process with a new id, found again; the old id ages out", yaml: """
            name: restart
            duration: 40s
            seed: 6
            network: {latency: 2ms}
            nodes:
              - {name: x, role: udp, peers: {advertise_every: 2s, timeout: 6s}}
              - {name: s, role: udp, peers: {advertise_every: 2s, timeout: 6s}}
            timeline:
              - {at: 5s, crash: x}
              - {at: 7s, start: x}
            expect:
              - {name: s knows the restarted x, knows: {nodes: s, peers: "x#2", by: 12s}}
              - {name: the restarted x knows s, knows: {nodes: x, peers: s, by: 12s}}
              - {name: s forgets the dead incarnation, not_knows: {nodes: s, peers: "x#1", at: 30s}}
            """),
        Case(id: "CN-07", title: "loss and duplication: discovery and retried requests still succeed", yaml: """
            name: lossy
            duration: 40s
            seed: 7
            network: {latency: {uniform: [1ms, 20ms]}, loss: 20%, duplicate: 10%}
            nodes:
              - {name: x, role: udp, peers: {advertise_every: 2s, timeout: 15s}, resources: {k: v}}
              - {name: s, role: udp, peers: {advertise_every: 2s, timeout: 15s}}
            timeline:
              - {at: 10s, request: {name: r, from: s, to: x, uri: k, timeout: 1s, retries: 8}}
            expect:
              - {name: both know each other by 30s, all_know: {by: 30s}}
              - {name: retried request succeeds, request_succeeds: {request: r, within: 10s, content: v}}
            """, sameHashTwice: true),
    ]
}
