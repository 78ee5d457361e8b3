import Foundation
import Testing
import NetaioTestSupport

/// `netaio scenario run|check` as scripts use it: exit codes, verdicts, the replay command,
/// sweeps, reports, trace and picture files.
@Suite struct ScenarioCommandTests {
    let passing = Fixtures.url("Fixtures/scenarios/01-two-node-udp-discovery.yaml").path

    func temporary(_ name: String, _ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("netaio-\(getpid())-\(name)")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func passingScenarioExitsZeroWithVerdicts() throws {
        let out = try BuiltProducts.run("netaio", ["scenario", "run", passing])
        #expect(out.status == 0)
        #expect(out.stdout.contains("PASS  by 2s both nodes know each other"))
        #expect(out.stdout.contains("trace hash: "))
    }

    @Test func failingScenarioPrintsTheReplayCommand() throws {
        let file = try temporary("fail.yaml", """
            duration: 10s
            nodes:
              - {name: a, role: udp, peers: true}
              - {name: b, role: udp, peers: true, start: 5s}
            expect:
              - all_know: {by: 2s}
            """)
        let out = try BuiltProducts.run("netaio", ["scenario", "run", file, "--seed", "17"])
        #expect(out.status == 1)
        #expect(out.stdout.contains("FAIL"))
        #expect(out.stderr.contains("netaio scenario run \(file) --seed 17"))
    }

    @Test func invalidFileExits65WithLineAndField() throws {
        let file = try temporary("bad.yaml", "duration: 10s\nnodes:\n  - {name: a, role: satellite}\n")
        let out = try BuiltProducts.run("netaio", ["scenario", "run", file])
        #expect(out.status == 65)
        #expect(out.stderr.contains("line 3"))
        #expect(out.stderr.contains("nodes[0].role"))
        #expect(try BuiltProducts.run("netaio", ["scenario", "check", file]).status == 65)
        #expect(try BuiltProducts.run("netaio", ["scenario", "run", "/nonexistent.yaml"]).status == 66)
        #expect(try BuiltProducts.run("netaio", ["scenario", "run", passing, "--seeds", "5..1"]).status == 64)
    }

    @Test func sweepShowsProgressAndReportsJUnit() throws {
        let out = try BuiltProducts.run("netaio", ["scenario", "run", passing, "--seeds", "1..3", "--report", "junit"])
        #expect(out.status == 0)
        #expect(out.stderr.contains("[3/3] seed 3: pass"))
        #expect(out.stdout.hasPrefix("<?xml"))
        #expect(out.stdout.components(separatedBy: "<testsuite ").count == 4)
    }

    @Test func jsonReportTraceAndTimelineFiles() throws {
        let trace = FileManager.default.temporaryDirectory.appendingPathComponent("netaio-\(getpid()).jsonl").path
        let page = FileManager.default.temporaryDirectory.appendingPathComponent("netaio-\(getpid()).html").path
        let out = try BuiltProducts.run("netaio", ["scenario", "run", passing, "--report", "json", "--trace", trace, "--timeline", page])
        #expect(out.status == 0)
        let report = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any]
        #expect(report?["passed"] as? Bool == true)
        let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
        #expect(lines.count > 10)
        #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("ADVERTISE_PEER"))
    }
}
