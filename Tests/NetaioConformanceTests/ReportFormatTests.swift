import Foundation
import NetaioConformance
import NetaioTestSupport
import Testing

/// The catalogue and the report formats, without any implementation.
struct ReportFormatTests {
    @Test func caseIDsAreUniqueAndCiteARule() {
        let all = ConformanceCases.all
        #expect(Set(all.map(\.id)).count == all.count)
        #expect(all.allSatisfy { $0.rule.contains("docs/PROTOCOL.md") || $0.rule.contains("docs/conformance.md") })
        #expect(Set(all.map(\.group)) == Set(CaseGroup.allCases))
    }

    @Test func targetsParse() {
        #expect(ConformanceTarget("tcp://127.0.0.1:8888")?.port == 8888)
        #expect(ConformanceTarget("udp://[::1]:9")?.host == "::1")
        #expect(ConformanceTarget("http://x:1") == nil)
        #expect(ConformanceTarget("tcp://x") == nil)
        #expect(ConformanceTarget("tcp://x:0") == nil)
    }

    @Test func unreachableImplementationFailsStrictlyAndReportsRender() throws {
        // Port 1 on loopback: nothing listens, so every runnable case fails.
        var selection = ConformanceSelection()
        selection.cases = ["C-01", "H-01", "R-04"]
        var config = ConformanceConfig()
        config.replyTimeout = 0.5
        let report = ConformanceRunner.run(ConformanceTarget("udp://127.0.0.1:1")!, config: config, selection: selection)
        #expect(!report.passed)
        #expect(report.result("C-01")?.verdict == .fail)
        #expect(report.result("H-01")?.verdict == .skipped)
        #expect(report.result("R-04")?.verdict == .skipped)  // TCP only
        let xml = report.junit()
        #expect(xml.contains("<failure message="))
        #expect(xml.contains("<skipped message="))
        #expect(xml.contains("name=\"C-01 CREATE_URI answers OK with the uri\""))
        let json = try #require(JSONSerialization.jsonObject(with: Data(try report.json().utf8)) as? [String: Any])
        #expect(json["passed"] as? Bool == false)
        #expect((json["cases"] as? [[String: Any]])?.count == 3)
        #expect(report.table().contains("C-01  FAIL"))
    }
}

/// `netaio conformance` as scripts call it: exit codes and the report flags.
struct ConformanceCommandTests {
    @Test func strictFailureExitsOneAndWritesJUnit() throws {
        let out = try BuiltProducts.run("netaio", ["conformance", "udp://127.0.0.1:1", "--case", "C-01", "--timeout", "0.3", "--report", "junit:-"])
        #expect(out.status == 1, "\(out.stderr)")
        #expect(out.stdout.contains("C-01  FAIL"))
        #expect(out.stdout.contains("<testsuites name=\"netaio conformance udp://127.0.0.1:1\" tests=\"1\" failures=\"1\""))
    }

    @Test func badArgumentsExit64() throws {
        #expect(try BuiltProducts.run("netaio", ["conformance", "http://x:1"]).status == 64)
        #expect(try BuiltProducts.run("netaio", ["conformance", "tcp://127.0.0.1:9", "--group", "nope"]).status == 64)
        #expect(try BuiltProducts.run("netaio", ["conformance", "tcp://127.0.0.1:9", "--case", "Z-99"]).status == 64)
    }
}
