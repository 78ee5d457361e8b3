import Foundation
import Testing
import NetaioScenario
import NetaioTestSupport

/// Every scenario in Fixtures/scenarios passes with its own seed. The 1,000-node one is
/// run by scripts/test with the release build of `netaio` (a debug run takes minutes).
@Suite struct ScenarioFixtureTests {
    static let files: [String] = {
        let dir = Fixtures.url("Fixtures/scenarios")
        let all = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return all.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".json")) && !$0.hasPrefix("golden") }.sorted()
    }()

    @Test func thereAreAtLeastTwelveScenarios() {
        #expect(Self.files.filter { $0.hasSuffix(".yaml") }.count >= 12)
    }

    @Test(arguments: files.filter { !$0.contains("1000") })
    func scenarioPasses(_ file: String) throws {
        let s = try DeterminismTests.scenario(file)
        let r = ScenarioRunner.run(s, seed: s.seed)
        for v in r.failures { Issue.record("\(file): \(v.name): \(v.detail)") }
        #expect(r.passed)
        #expect(!r.verdicts.isEmpty)
    }

    @Test func theJSONFormIsTheSameScenario() throws {
        let yaml = try DeterminismTests.scenario("06-tcp-client-server-discovery.yaml")
        let json = try DeterminismTests.scenario("06-tcp-client-server-discovery.json")
        #expect(ScenarioRunner.run(yaml, seed: 3).traceHash == ScenarioRunner.run(json, seed: 3).traceHash)
    }

    @Test func aFailingExpectationFails() throws {
        // The same two-node scenario with an impossible deadline must fail, not pass vacuously.
        let text = """
            duration: 10s
            nodes:
              - {name: a, role: udp, peers: true}
              - {name: b, role: udp, peers: true, start: 5s}
            expect:
              - all_know: {by: 1s}
              - never_peer: {nodes: a, peers: b}
            """
        let r = ScenarioRunner.run(try ScenarioParser.parse(Array(text.utf8)), seed: 1)
        #expect(r.failures.count == 2)
    }
}
