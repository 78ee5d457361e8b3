import Foundation
import NetaioConformance
import NetaioTestSupport
import Testing

/// Issue 16: implementations with a known bug (the mutants of scripts/mutants) fail the
/// cases written to catch them, while the honest implementations pass the same cases.
/// Shared helpers for the mutant tests live here too.
@Suite(.enabled(if: PythonOracle.enabled, PythonOracle.skipReason), .serialized)
struct MutantConformanceTests {
    static func config(hmac: String? = nil) -> ConformanceConfig {
        var c = ConformanceConfig()
        c.hmacSecret = hmac
        c.silence = 0.3
        c.replyTimeout = 2
        return c
    }

    static func run(_ script: String, _ flags: [String], transport: String, cases: Set<String>, config: ConformanceConfig) throws -> ConformanceReport {
        let iut = try ImplementationProcess(
            executable: PythonOracle.pythonPath, arguments: [Fixtures.url(script).path, "--host", "127.0.0.1", "--port", "0"] + flags)
        defer { iut.stop() }
        var selection = ConformanceSelection()
        selection.cases = cases
        return ConformanceRunner.run(ConformanceTarget("\(transport)://127.0.0.1:\(iut.port)")!, config: config, selection: selection)
    }

    static let authMatrix: Set<String> = ["H-11", "H-12", "H-13", "H-14"]

    /// The "keep-alive" variant: a message with no uri and no content skips the check.
    /// Caught by the matrix's empty-body probes (an empty uri appears nowhere else).
    @Test func emptyBodyAuthBypassIsCaught() throws {
        let mutant = try Self.run("scripts/mutants/serve_hmac_skips_empty_body.py", ["--hmac-secret", "s"], transport: "tcp", cases: Self.authMatrix, config: Self.config(hmac: "s"))
        for id in Self.authMatrix.sorted() {
            let r = try #require(mutant.result(id))
            #expect(r.verdict == .fail, "\(id) \(r.detail)")
            #expect(r.detail.contains("empty uri and content"), "\(id) \(r.detail)")
        }
    }

    /// Hole 1: a server/node whose HMAC check is skipped for empty content passed the whole
    /// suite before; every auth-matrix case catches it now, the older H cases still do not.
    @Test(arguments: [("serve", "tcp"), ("node", "udp")])
    func emptyContentAuthBypassIsCaught(program: String, transport: String) throws {
        let flags = ["--hmac-secret", "s"]
        let mutant = try Self.run("scripts/mutants/\(program)_hmac_skips_empty_content.py", flags, transport: transport, cases: Self.authMatrix.union(["H-02", "H-04"]), config: Self.config(hmac: "s"))
        for id in Self.authMatrix.sorted() {
            let r = try #require(mutant.result(id))
            #expect(r.verdict == .fail, "\(id) \(r.detail)")
            #expect(r.detail.contains("empty content"), "\(id) \(r.detail)")
        }
        #expect(mutant.result("H-02")?.verdict == .pass)  // the hole: non-empty probes only
        #expect(!mutant.passed)

        let honest = try Self.run("scripts/python-peers/\(program).py", flags, transport: transport, cases: Self.authMatrix, config: Self.config(hmac: "s"))
        for id in Self.authMatrix.sorted() { #expect(honest.result(id)?.verdict == .pass, "\(id) \(honest.result(id)?.detail ?? "")") }
    }
}
