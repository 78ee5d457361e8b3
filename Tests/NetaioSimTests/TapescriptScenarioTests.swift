import Foundation
import Testing
import NetaioScenario
import NetaioSim

/// `auth: {tapescript: {...}}` in scenarios: netaio's README TapescriptAuthPlugin as the
/// outer auth layer of simulated nodes. Nodes sharing the seed talk; a node with another
/// seed is refused; a lock for another key refuses even the right witnesses.
@Suite struct TapescriptScenarioTests {
    static let seed = String(repeating: "4e", count: 32)
    static let otherSeed = String(repeating: "4f", count: 32)

    static func scenario(serverAuth: String, clientAuth: String) -> String {
        """
        duration: 20s
        network:
          latency: 5ms
        nodes:
          - name: server
            role: udp
            auth: \(serverAuth)
            resources: {doc: signed}
          - name: client
            role: udp
            auth: \(clientAuth)
        timeline:
          - at: 1s
            request: {name: get, from: client, to: server, uri: doc, timeout: 2s}
        expect:
          - request_succeeds: {request: get, within: 5s}
        """
    }

    static func run(_ text: String) throws -> RunResult {
        ScenarioRunner.run(try ScenarioParser.parse(Array(text.utf8)), seed: 3)
    }

    @Test func sameSeedTalks() throws {
        let auth = "{tapescript: {seed: \(Self.seed)}}"
        let r = try Self.run(Self.scenario(serverAuth: auth, clientAuth: auth))
        #expect(r.passed, "\(r.failures.map(\.detail))")
    }

    @Test func anotherSeedIsRefused() throws {
        let r = try Self.run(Self.scenario(
            serverAuth: "{tapescript: {seed: \(Self.seed)}}", clientAuth: "{tapescript: {seed: \(Self.otherSeed)}}"))
        #expect(!r.passed)
        #expect(r.failures.map(\.detail).joined().contains("tapescript auth failed"), "\(r.failures.map(\.detail))")
    }

    @Test func anExplicitLockForAnotherKeyRefuses() throws {
        // push <32 zero bytes> check_sig x00: no seed signs for that key.
        let lock = "0320" + String(repeating: "00", count: 32) + "2300"
        let auth = "{tapescript: {seed: \(Self.seed), lock: \(lock)}}"
        let r = try Self.run(Self.scenario(serverAuth: auth, clientAuth: "{tapescript: {seed: \(Self.seed)}}"))
        #expect(!r.passed)
        #expect(r.failures.map(\.detail).joined().contains("tapescript auth failed"), "\(r.failures.map(\.detail))")
    }

    @Test func settingsAreParsedStrictly() throws {
        for bad in ["{tapescript: {seed: 00}}", "{tapescript: {}}", "{tapescript: {seed: \(Self.seed), lock: zz}}",
                    "{tapescript: {seed: \(Self.seed), extra: 1}}"] {
            #expect(throws: ScenarioError.self) { _ = try ScenarioParser.parse(Array(Self.scenario(serverAuth: bad, clientAuth: bad).utf8)) }
        }
    }
}
