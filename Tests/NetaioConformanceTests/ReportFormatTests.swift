import Foundation
import NetaioConformance
import Testing

/// The catalogue and the report formats, without any implementation.
struct ReportFormatTests {
    @Test func caseIDsAreUniqueAndCiteARule() {
        let all = ConformanceCases.all
        #expect(Set(all.map(\.id)).count == all.count)
        #expect(all.allSatisfy { $0.rule.contains("PROTOCOL.md") || $0.rule.contains("issue 7") })
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
