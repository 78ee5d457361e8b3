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

/// Issue 16's adoption features: the catalogue, expected-failure lists, the closing line.
@Suite(.serialized)
struct AdoptionFeatureTests {
    static func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("expected-\(UUID().uuidString).txt")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static var closingLine: Regex<(Substring)> { #/^\d+ passed, \d+ failed, \d+ skipped$/# }

    @Test func listPrintsTheCatalogueWithoutATarget() throws {
        let out = try BuiltProducts.run("netaio", ["conformance", "--list"])
        #expect(out.status == 0, "\(out.stderr)")
        for c in ConformanceCases.all {
            #expect(out.stdout.contains("\(c.id.padding(toLength: 5, withPad: " ", startingAt: 0)) \(c.level.rawValue)"), "\(c.id) missing")
            #expect(out.stdout.contains("rule: \(c.rule)"))
        }
        #expect(out.stdout.contains("R-10  strict        robustness tcp     more idle connections than the connection limit"))
        #expect(out.stdout.contains("needs: connectionLimit"))
        let json = try BuiltProducts.run("netaio", ["conformance", "--list", "--json"])
        let root = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((root["cases"] as? [[String: Any]])?.map { $0["id"] as? String } == ConformanceCases.all.map(\.id))
        #expect(try BuiltProducts.run("netaio", ["conformance", "--list", "tcp://127.0.0.1:9"]).status == 64)
        #expect(try BuiltProducts.run("netaio", ["conformance"]).status == 64)
    }

    /// Ids are stable: the ones published before issue 16 are all still there.
    @Test func publishedIDsStay() {
        let ids = Set(ConformanceCases.all.map(\.id))
        let published = (1...7).map { "F-0\($0)" } + (1...9).map { "C-0\($0)" } + (1...6).map { "P-0\($0)" } + (1...4).map { "E-0\($0)" }
            + (1...4).map { "K-0\($0)" } + (1...9).map { "H-0\($0)" } + ["H-10"] + (1...4).map { "S-0\($0)" } + (1...3).map { "X-0\($0)" }
            + (1...7).map { "D-0\($0)" } + (1...9).map { "R-0\($0)" }
        #expect(Set(published).isSubset(of: ids))
    }

    @Test func expectedFailureDoesNotFailTheRun() throws {
        let list = try Self.file("# known broken\nC-01   # nothing listens there\n\n")
        let out = try BuiltProducts.run("netaio", ["conformance", "udp://127.0.0.1:1", "--case", "C-01", "--timeout", "0.3", "--expected-failures", list])
        #expect(out.status == 0, "\(out.stdout)")
        #expect(out.stdout.contains("expected failure (listed)"))
        let last = try #require(out.stdout.split(separator: "\n").last.map(String.init))
        #expect(last == "0 passed, 0 failed, 0 skipped")
        #expect(last.wholeMatch(of: Self.closingLine) != nil)
    }

    @Test func listedCaseThatPassesFailsTheRun() throws {
        let iut = try ImplementationProcess(executable: BuiltProducts.url(of: "netaio"), arguments: ["serve", "--host", "127.0.0.1", "--port", "0"])
        defer { iut.stop() }
        let list = try Self.file("C-01\n")
        let out = try BuiltProducts.run("netaio", [
            "conformance", "tcp://127.0.0.1:\(iut.port)", "--case", "C-01", "--case", "C-02", "--case", "H-01", "--expected-failures", list, "--report", "junit:-",
        ])
        #expect(out.status == 1, "\(out.stdout)")
        #expect(out.stdout.contains("UNEXPECTED PASS"))
        #expect(out.stdout.contains("<failure message=\"listed as an expected failure but did not fail (pass)\""))
        let table = out.stdout.components(separatedBy: "<?xml")[0]
        let last = try #require(table.split(separator: "\n").last.map(String.init))
        #expect(last == "1 passed, 1 failed, 1 skipped", "\(table)")
    }

    @Test func badExpectedFailureFiles() throws {
        let unknown = try Self.file("Z-99\n")
        let bad = try BuiltProducts.run("netaio", ["conformance", "udp://127.0.0.1:1", "--case", "C-01", "--expected-failures", unknown])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("unknown case id \"Z-99\""), "\(bad.stderr)")
        let missing = try BuiltProducts.run("netaio", ["conformance", "udp://127.0.0.1:1", "--expected-failures", "/nonexistent/list.txt"])
        #expect(missing.status == 66)
    }
}
