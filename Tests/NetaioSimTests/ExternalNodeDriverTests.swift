import NetaioScenario
import NetaioTestSupport
import Testing

/// The simulator's side of the external-node contract (docs/external-nodes.md), proven with
/// tiny shell adapters: what a good one gets, and the typed error each broken one causes.
@Suite("External node driver", .serialized)
struct ExternalNodeDriverTests {
    static func scenario(_ impl: String, extra: String = "") throws -> Scenario {
        try ScenarioParser.parse(Array("""
            name: external
            duration: 10s
            seed: 3
            nodes:
              - {name: x, role: udp, impl: \(impl)}
              - {name: s, role: udp, peers: {advertise_every: 2s, timeout: 10s}}
            \(extra)
            """.utf8))
    }

    static func shell(_ script: String) -> String {
        // A YAML flow list: [sh, -c, 'script'] (single quotes doubled inside).
        "{command: [sh, -c, '\(script.replacingOccurrences(of: "'", with: "''"))']}"
    }

    static let allowed = ExternalNodeOptions(python: nil, replyTimeout: 2)
    static let idle = #"{"out":[],"events":[],"timer":null}"#

    func run(_ impl: String, options: ExternalNodeOptions? = allowed, extra: String = "") async throws -> RunResult {
        let s = try Self.scenario(impl, extra: extra)
        return try await offThePool { ScenarioRunner.run(s, seed: 3, recordTrace: true, external: options) }
    }

    @Test func parsesImplementations() throws {
        func impl(_ text: String) throws -> NodeImpl { try Self.scenario(text).nodes[0].impl }
        #expect(try impl("python") == .python(module: nil))
        #expect(try impl("swift") == .swift)
        #expect(try impl("{python: {module: app.py}}") == .python(module: "app.py"))
        #expect(try impl("{command: [./adapter, --fast]}") == .command(["./adapter", "--fast"]))
        for bad in ["rust", "{command: []}", "{python: {module: ''}}", "{command: [a], python: {}}", "{jvm: x}"] {
            #expect(throws: ScenarioError.self, "impl: \(bad)") { try Self.scenario(bad) }
        }
        #expect(throws: ScenarioError.self) {
            try ScenarioParser.parse(Array("name: v6\nnodes:\n  - {name: x, role: udp, ipv6: true, impl: python}\n".utf8))
        }
    }

    @Test func anIdleAdapterRunsWithoutErrors() async throws {
        let r = try await run(Self.shell("while read l; do echo '\(Self.idle)'; done"))
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(r.summary.contains { $0.contains("2/2 nodes up") })
    }

    @Test func whatTheAdapterSendsCrossesTheNetworkDeterministically() async throws {
        // On init the adapter sends one datagram to s (its bytes: base64 "AAEC" = 00 01 02).
        let send = #"{"out":[{"send":{"to":{"host":"10.0.0.2","port":8888},"data":"AAEC"}}],"events":[],"timer":null}"#
        let impl = Self.shell("read l; echo '\(send)'; while read l; do echo '\(Self.idle)'; done")
        let a = try await run(impl)
        let b = try await run(impl)
        #expect(a.errors.isEmpty, "\(a.errors)")
        #expect(a.records.contains { $0.kind == .send && $0.node == 0 && $0.size == 3 })
        #expect(a.records.contains { $0.kind == .deliver && $0.node == 1 && $0.other == 0 })
        #expect(a.traceHash == b.traceHash)
    }

    @Test func refusedWithoutOptions() async throws {
        let r = try await run("python", options: nil)
        #expect(!r.passed)
        #expect(r.errors.first?.contains("not allowed in this run") == true, "\(r.errors)")
    }

    @Test func pythonWithoutASetUpSaysWhatToInstall() async throws {
        let r = try await run("python", options: ExternalNodeOptions(python: nil))
        #expect(r.errors.first?.contains("scripts/setup") == true, "\(r.errors)")
    }

    @Test(arguments: [
        ("{command: [no-such-adapter-here]}", "not found on PATH"),
        (shell("read l; echo garbage"), "not one JSON object: garbage"),
        (shell("exit 7"), "status 7"),
        (shell("read l; sleep 20"), "no reply within 2 s"),
        (shell(#"read l; echo '{"out":[{"fly":{}}],"events":[],"timer":null}'; cat > /dev/null"#), "unknown action \"fly\""),
        (shell(#"read l; echo '{"out":[],"events":[],"timer":"soon"}'; cat > /dev/null"#), "timer is neither a number nor null"),
        (shell(#"read l; echo '{"out":[{"send":{"to":{"host":"10.0.0.2"},"data":"AAEC"}}]}'; cat > /dev/null"#), "send.to is not {host, port}"),
        (shell(#"read l; echo '{"out":[],"error":"boom"}'; cat > /dev/null"#), "reported an error: boom"),
        (shell(#"read l; echo "on stderr" >&2; echo nope"#), "on stderr"),
    ])
    func brokenAdaptersEndTheRunWithTheirReason(impl: String, reason: String) async throws {
        let r = try await run(impl)
        #expect(!r.passed)
        #expect(r.errors.count == 1)
        #expect(r.errors.first?.contains(reason) == true, "\(r.errors)")
        #expect(r.errors.first?.contains("x: ") == true, "\(r.errors)")
    }

    @Test func aStateQueryThatChangesTheNodeIsAContractError() async throws {
        // Answers `state` with an action: state must be read-only.
        let script = #"while read l; do if echo "$l" | grep -q state; then echo '{"out":[{"close":{"conn":1}}],"events":[],"timer":null,"state":{"peers":[]}}'; else echo '{"out":[],"events":[],"timer":null}'; fi; done"#
        let r = try await run(Self.shell(script), extra: "expect:\n  - {name: q, peer_count: {nodes: x, min: 0, max: 0, at: 5s}}")
        #expect(r.errors.first?.contains("`state` must not change the node") == true, "\(r.errors)")
    }
}
