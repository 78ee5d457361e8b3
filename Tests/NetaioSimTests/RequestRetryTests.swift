import Foundation
import Testing
import NetaioScenario
import NetaioSim

/// `retry_on` of request steps (docs/scenarios.md "Requests and retries"): a request
/// corrupted in transit is answered ERROR "invalid message", which ends it unless
/// `retry_on` names `error`; timeouts stay retried by default.
@Suite struct RequestRetryTests {
    /// Every datagram from client to server has a byte flipped until 3 s; the CREATE's
    /// 200-byte content makes nearly every flip a checksum failure (answered ERROR)
    /// rather than a broken header (dropped, a timeout).
    static func scenario(retryOn: String?) -> String {
        let content = String(repeating: "x", count: 200)
        return """
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
                request: {name: put, from: client, to: server, uri: doc, type: create, content: \(content), timeout: 1s, retries: 30\(retryOn.map { ", retry_on: \($0)" } ?? "")}
              - at: 3s
                link: {from: client, to: server, corrupt: 0}
            expect:
              - request_succeeds: {request: put, within: 5s}
            """
    }

    static func run(retryOn: String?) throws -> RunResult {
        ScenarioRunner.run(try ScenarioParser.parse(Array(scenario(retryOn: retryOn).utf8)), seed: 5, recordTrace: true)
    }

    static func notes(_ r: RunResult) -> [String] { r.records.filter { $0.kind == .note }.map(\.detail) }

    @Test func corruptedRequestsAreRetriedWhenRetryOnNamesError() throws {
        let r = try Self.run(retryOn: "[timeout, error]")
        #expect(r.passed, "\(r.failures.map(\.detail))")
        #expect(Self.notes(r).contains { $0.hasPrefix("request put got ERROR; retry ") }, "\(Self.notes(r))")
    }

    @Test func byDefaultAnErrorReplyEndsTheRequest() throws {
        let r = try Self.run(retryOn: nil)
        let verdict = try #require(r.verdicts.first)
        #expect(!verdict.passed)
        #expect(verdict.detail.contains("error reply ERROR: invalid message"), "\(verdict.detail)")
        #expect(!Self.notes(r).contains { $0.contains("got ERROR; retry") })
        // `not_found` alone does not cover ERROR either.
        #expect(!(try Self.run(retryOn: "not_found")).passed)
    }

    @Test func theSameScenarioAndSeedGiveTheSameTrace() throws {
        #expect(try Self.run(retryOn: "error").traceHash == (try Self.run(retryOn: "error")).traceHash)
    }

    @Test func retryOnIsParsedStrictly() throws {
        func parse(_ value: String) throws -> RequestStep? {
            let s = try ScenarioParser.parse(Array(Self.scenario(retryOn: value).utf8))
            for step in s.timeline { if case .request(let r) = step.action { return r } }
            return nil
        }
        #expect(try parse("error")?.retryOn == [.error])
        #expect(try parse("[timeout, not_found, error]")?.retryOn == [.timeout, .error, .notFound])
        #expect(try ScenarioParser.parse(Array(Self.scenario(retryOn: nil).utf8)).timeline.contains {
            if case .request(let r) = $0.action { return r.retryOn == [.timeout] }
            return false
        })
        for bad in ["sometimes", "[]", "[timeout, 5]"] {
            #expect(throws: ScenarioError.self, "retry_on: \(bad)") { _ = try parse(bad) }
        }
    }

    @Test func theRetryRuleIsSharedByBothRuns() throws {
        let s = try ScenarioParser.parse(Array(Self.scenario(retryOn: nil).utf8))
        guard case .request(var step) = s.timeline.first?.action else { Issue.record("no request step"); return }
        step.retries = 2
        #expect(step.retries(after: .timeout, attempts: 2))
        #expect(!step.retries(after: .timeout, attempts: 3))
        #expect(!step.retries(after: .error, attempts: 1))
        step.retryOn = [.error, .notFound]
        #expect(step.retries(after: .error, attempts: 1) && step.retries(after: .notFound, attempts: 1))
        #expect(!step.retries(after: .timeout, attempts: 1))
        #expect(RetryCondition(errorReply: .authError) == .error && RetryCondition(errorReply: .notPermitted) == .notFound)
    }
}
