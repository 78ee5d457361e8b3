import Foundation
import NetaioConformance
import NetaioTestSupport
import Testing

/// The suite against our own `netaio serve`/`netaio node` (every strict case passes) and
/// against the real Python netaio 0.0.9 (verdicts equal the checked-in expected results,
/// and every Python deviation is explained in docs/conformance.md).
@Suite(.serialized)
struct SwiftImplementationConformanceTests {
    @Test(arguments: try ConformanceRun.all().filter { !$0.pythonOnly }.map(\.name))
    func everyStrictCasePasses(run name: String) throws {
        let run = try #require(try ConformanceRun.all().first { $0.name == name })
        let report = try run.run(executable: BuiltProducts.url(of: "netaio"), prefix: [run.program])
        let failures = report.results.filter { $0.verdict == .fail }
        #expect(failures.isEmpty, "\(name): \(failures.map { "\($0.id) \($0.detail)" })\n\(report.table())")
        #expect(report.results.contains { $0.verdict == .pass })
    }
}

@Suite(.enabled(if: PythonOracle.enabled, PythonOracle.skipReason), .serialized)
struct PythonImplementationConformanceTests {
    static let expectedURL = Fixtures.url("Fixtures/conformance/python-netaio-0.0.9.json")

    /// run name → case id → verdict.
    static func expected() throws -> [String: [String: String]] {
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: expectedURL)) as! [String: Any]
        return root["runs"] as! [String: [String: String]]
    }

    @Test func verdictsMatchTheCheckedInResults() throws {
        let runs = try ConformanceRun.all()
        var actual: [String: [String: String]] = [:]
        var details: [String: String] = [:]
        for run in runs {
            let report = try run.run(
                executable: PythonOracle.pythonPath, prefix: [Fixtures.url("scripts/python-peers/\(run.program).py").path])
            actual[run.name] = Dictionary(uniqueKeysWithValues: report.results.map { ($0.id, $0.verdict.rawValue) })
            for r in report.results { details["\(run.name) \(r.id)"] = r.detail }
        }
        if ProcessInfo.processInfo.environment["NETAIO_UPDATE_CONFORMANCE"] == "1" {
            let root: [String: Any] = [
                "about": "Verdicts of `netaio conformance` against the real Python netaio 0.0.9 (scripts/python-peers), per run of runs.json. Regenerate: NETAIO_UPDATE_CONFORMANCE=1 swift test --filter PythonImplementationConformanceTests. Every fail / non-strict verdict is explained in docs/conformance.md.",
                "runs": actual,
            ]
            try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys]).write(to: Self.expectedURL)
        }
        let expected = try Self.expected()
        for run in runs {
            let want = expected[run.name] ?? [:], got = actual[run.name] ?? [:]
            for id in Set(want.keys).union(got.keys).sorted() where want[id] != got[id] {
                Issue.record("\(run.name) \(id): expected \(want[id] ?? "absent"), got \(got[id] ?? "absent") — \(details["\(run.name) \(id)"] ?? "")")
            }
        }
        // Every Python deviation is explained in the docs.
        let doc = try String(contentsOf: Fixtures.url("docs/conformance.md"), encoding: .utf8)
        let deviating = Set(actual.values.flatMap { $0.filter { $0.value == "fail" || $0.value == "non-strict" }.keys })
        for id in deviating.sorted() {
            #expect(doc.contains("| \(id) |"), "docs/conformance.md does not explain Python's \(id) result")
        }
    }
}
