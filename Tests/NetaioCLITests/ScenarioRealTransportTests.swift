import Foundation
import Testing
import NetaioTestSupport

/// `netaio scenario run --transport real`: fixtures on real loopback sockets (compressed
/// 4× so the three take about 15 s of wall clock each, run in parallel), unhonoured
/// faults reported as a failing verdict, big scenarios refused.
@Suite struct ScenarioRealTransportTests {
    func real(_ fixture: String, _ extra: [String] = []) throws -> BuiltProducts.Outcome {
        let path = Fixtures.url("Fixtures/scenarios/\(fixture)").path
        return try BuiltProducts.run("netaio", ["scenario", "run", path, "--transport", "real", "--time-scale", "4"] + extra)
    }

    @Test(arguments: ["01-two-node-udp-discovery.yaml", "06-tcp-client-server-discovery.yaml", "07-hmac-mismatch-isolation.yaml"])
    func fixturePassesOnLoopback(_ fixture: String) throws {
        let out = try real(fixture)
        #expect(out.status == 0, "\(fixture):\n\(out.stdout)\n\(out.stderr)")
        #expect(out.stdout.contains("real transport: loopback sockets"))
        #expect(out.stdout.contains("not deterministic"))
        #expect(out.stdout.contains("PASS  real transport: every fault honoured"))
        #expect(out.stdout.contains("PASS  real transport: kept up with the time scale"))
        #expect(!out.stdout.contains("FAIL  "))
    }

    /// Twenty nodes advertising to each other every 0.1 virtual seconds at ×20 need far
    /// more than the one shared event-loop thread can do (debug build): starts and
    /// datagrams run tens of virtual seconds late, and the run says so instead of
    /// passing quietly. (Twelve nodes were enough until the engine got faster: they now
    /// fall behind by about the 1 s threshold, a coin toss; traffic grows with the square
    /// of the count, and twenty fall ~27 s behind.)
    @Test func aLoopThatFallsBehindFailsItsVerdict() throws {
        let file = try temporary("overload-real.yaml", """
            name: overloaded loop
            duration: 2s
            nodes:
              - {name: n, role: udp, count: 20, peers: {advertise_every: 0.1s}}
            """)
        let out = try BuiltProducts.run("netaio", ["scenario", "run", file, "--transport", "real", "--time-scale", "20"])
        #expect(out.status == 1, "\(out.stdout)\n\(out.stderr)")
        #expect(out.stdout.contains("FAIL  real transport: kept up with the time scale"), "\(out.stdout)")
        #expect(out.stdout.contains("NOT KEPT UP: the shared event loop fell behind"))
    }

    @Test func requestVerdictComesFromARealReply() throws {
        let out = try real("01-two-node-udp-discovery.yaml")
        #expect(out.stdout.contains("PASS  request bob -> alice succeeds within 1s with alice's content"))
        #expect(out.stdout.contains("start alice as alice on 127.0.0.1:"))
    }

    func temporary(_ name: String, _ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("netaio-\(getpid())-\(name)")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func unhonouredFaultsFailTheirVerdict() throws {
        let file = try temporary("unhonoured-real.yaml", """
            name: skewed and throttled pair
            duration: 2s
            network: {bandwidth: 1MB/s}
            nodes:
              - {name: a, role: udp, peers: {advertise_every: 1s}, clock: {skew: 2}}
              - {name: b, role: udp, peers: {advertise_every: 1s}}
            expect:
              - all_know: {by: 1s}
            """)
        let out = try BuiltProducts.run("netaio", ["scenario", "run", file, "--transport", "real", "--time-scale", "4"])
        #expect(out.status == 1, "\(out.stdout)\n\(out.stderr)")
        #expect(out.stdout.contains("FAIL  real transport: every fault honoured"))
        #expect(out.stdout.contains("NOT HONOURED: clock skew/drift of a"))
        #expect(out.stdout.contains("NOT HONOURED: network defaults: bandwidth 1000000 B/s on datagrams"))
        // The discovery itself happened for real; only the fault verdict fails.
        #expect(out.stdout.contains("PASS  all_know"))
        #expect(out.stderr.contains("not deterministic"))
    }

    /// The shim really cuts datagrams: partitioned before b starts, neither learns the
    /// other; after the heal they meet at the next advertisement.
    @Test func shimPartitionsDatagrams() throws {
        let file = try temporary("partition-real.yaml", """
            name: partitioned pair
            duration: 8s
            nodes:
              - {name: a, role: udp, peers: {advertise_every: 1s}}
              - {name: b, role: udp, peers: {advertise_every: 1s}, start: 1s}
            timeline:
              - at: 0.5s
                partition: {name: split, a: a, b: b}
              - at: 4s
                heal: split
            expect:
              - not_knows: {nodes: a, peers: b, at: 3.5s}
              - not_knows: {nodes: b, peers: a, at: 3.5s}
              - all_know: {by: 8s}
            """)
        let out = try BuiltProducts.run("netaio", ["scenario", "run", file, "--transport", "real", "--time-scale", "4"])
        #expect(out.status == 0, "\(out.stdout)\n\(out.stderr)")
        #expect(out.stdout.contains("shim_partitioned"))
        #expect(out.stdout.contains("PASS  real transport: every fault honoured"))
    }

    /// `retry_on: [timeout, error]` on real sockets: the shim flips a byte of every
    /// datagram from client to server until 3 s, the server answers each damaged CREATE
    /// ERROR "invalid message", and the request is sent again until one gets through
    /// (the simulator side: NetaioSimTests/RequestRetryTests).
    @Test func corruptedRequestsAreRetriedWhenRetryOnNamesError() throws {
        let content = String(repeating: "x", count: 200)
        let file = try temporary("retry-on-error-real.yaml", """
            name: retry after corruption
            duration: 20s
            network:
              latency: 100ms
              links:
                - {from: client, to: server, corrupt: 100%}
            nodes:
              - {name: server, role: udp}
              - {name: client, role: udp}
            timeline:
              - at: 1s
                request: {name: put, from: client, to: server, uri: doc, type: create, content: \(content), timeout: 1s, retries: 30, retry_on: [timeout, error]}
              - at: 3s
                link: {from: client, to: server, corrupt: 0}
            expect:
              - request_succeeds: {request: put, within: 5s}
            """)
        let out = try BuiltProducts.run("netaio", ["scenario", "run", file, "--transport", "real", "--time-scale", "4"])
        #expect(out.status == 0, "\(out.stdout)\n\(out.stderr)")
        #expect(out.stdout.contains("request put got ERROR; retry 1"), "\(out.stdout)")
        #expect(out.stdout.contains("shim_corrupted"))
    }

    /// A crash on real sockets kills the node: the server sees the client's connection
    /// end (no DISCONNECT) and removes it with reason connection_closed, as the simulator
    /// does for the same file, and nothing is listed as not honoured.
    @Test func tcpCrashIsARealKillOnBothTransports() throws {
        let file = try temporary("tcp-crash-real.yaml", """
            name: crashed TCP client
            duration: 8s
            nodes:
              - {name: server, role: tcp_server, peers: true}
              - {name: c, role: tcp_client, count: 2, connect: server, peers: true, start: 1s}
            timeline:
              - at: 3s
                crash: c2
            expect:
              - knows: {nodes: server, peers: c, by: 2.5s}
              - peer_removed: {nodes: server, peers: c2, by: 4s, reason: connection_closed}
              - knows: {nodes: server, peers: c1, by: 8s}
            """)
        let real = try BuiltProducts.run("netaio", ["scenario", "run", file, "--transport", "real", "--time-scale", "4"])
        #expect(real.status == 0, "\(real.stdout)\n\(real.stderr)")
        #expect(real.stdout.contains("PASS  peer_removed (line 11)"), "\(real.stdout)")
        #expect(real.stdout.contains("PASS  real transport: every fault honoured"))
        let simulated = try BuiltProducts.run("netaio", ["scenario", "run", file])
        #expect(simulated.status == 0, "\(simulated.stdout)")
    }

    @Test func bigScenarioIsRefusedWithTheLimit() throws {
        let out = try real("12-discovery-1000-nodes.yaml")
        #expect(out.status == 64)
        #expect(out.stderr.contains("limited to 64 nodes"))
    }
}
