import Foundation

/// Which cases to run: by group and/or id (`--group`, `--case`, `--skip`).
public struct ConformanceSelection: Sendable {
    public var groups: Set<CaseGroup> = []
    public var cases: Set<String> = []
    public var skipped: Set<String> = []
    public init() {}

    func includes(_ c: ConformanceCase) -> Bool {
        if skipped.contains(c.id) { return false }
        if groups.isEmpty && cases.isEmpty { return true }
        return groups.contains(c.group) || cases.contains(c.id)
    }
}

public struct ConformanceReport: Sendable {
    public let target: String
    public let results: [CaseResult]
    public let seconds: Double
    /// Case ids expected to fail (`--expected-failures FILE`): their failures do not fail
    /// the run, but a listed case that ran and did not fail does (the list cannot go stale).
    public var expectedFailures: Set<String> = []

    public init(target: String, results: [CaseResult], seconds: Double, expectedFailures: Set<String> = []) {
        self.target = target
        self.results = results
        self.seconds = seconds
        self.expectedFailures = expectedFailures
    }

    /// True when no strict case failed unexpectedly and no expected failure passed.
    public var passed: Bool { unexpectedFailures.isEmpty && unexpectedPasses.isEmpty }
    public func result(_ id: String) -> CaseResult? { results.first { $0.id == id } }

    /// Strict failures not listed as expected.
    public var unexpectedFailures: [CaseResult] { results.filter { $0.verdict == .fail && !expectedFailures.contains($0.id) } }
    /// Listed as expected failures, but ran and did not fail.
    public var unexpectedPasses: [CaseResult] {
        results.filter { expectedFailures.contains($0.id) && $0.verdict != .fail && $0.verdict != .skipped }
    }
    /// Listed and failing, as expected.
    public var expectedFailuresSeen: [CaseResult] { results.filter { $0.verdict == .fail && expectedFailures.contains($0.id) } }
}

/// A list of case ids expected to fail: one id per line; `#` starts a comment, blank
/// lines are ignored (the protobuf conformance suite's convention).
public enum ExpectedFailures {
    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func parse(_ text: String) throws(ParseError) -> Set<String> {
        let known = Set(ConformanceCases.all.map(\.id))
        var ids: Set<String> = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if line.isEmpty { continue }
            guard known.contains(line) else { throw ParseError(description: "line \(n + 1): unknown case id \"\(line)\"") }
            ids.insert(line)
        }
        return ids
    }
}

public enum ConformanceRunner {
    /// Runs the selected cases in catalogue order, each with fresh connections; a canary
    /// client lives for the whole run.
    public static func run(
        _ target: ConformanceTarget, config: ConformanceConfig, selection: ConformanceSelection = ConformanceSelection(),
        expectedFailures: Set<String> = [], progress: ((CaseResult) -> Void)? = nil
    ) -> ConformanceReport {
        let start = Date()
        let canary = Canary(target: target, config: config)
        defer { canary.close() }
        var results: [CaseResult] = []
        for c in ConformanceCases.all where selection.includes(c) {
            let result = runOne(c, target: target, config: config, canary: canary)
            progress?(result)
            results.append(result)
        }
        return ConformanceReport(target: target.description, results: results, seconds: Date().timeIntervalSince(start), expectedFailures: expectedFailures)
    }

    static func runOne(_ c: ConformanceCase, target: ConformanceTarget, config: ConformanceConfig, canary: Canary) -> CaseResult {
        let start = Date()
        func result(_ verdict: CaseVerdict, _ detail: String) -> CaseResult {
            CaseResult(id: c.id, group: c.group, title: c.title, rule: c.rule, level: c.level, verdict: verdict, detail: detail, seconds: Date().timeIntervalSince(start))
        }
        guard c.transports.contains(target.kind) else {
            return result(.skipped, "\(c.transports.map(\.rawValue).sorted().joined(separator: "/")) only")
        }
        if let missing = c.requires.first(where: { !$0.met(by: config) }) { return result(.skipped, missing.description) }
        let run = CaseRun(target: target, config: config, caseID: c.id, canary: canary)
        defer { run.finish() }
        let outcome: CaseOutcome
        do {
            outcome = try c.body(run)
        } catch {
            outcome = .fail("\(error)")
        }
        switch outcome {
        case .pass(let d): return result(c.level == .informational ? .informational : .pass, d)
        case .observed(let d): return result(.informational, d)
        case .skip(let d): return result(.skipped, d)
        case .stoppedServing(let d): return result(.fail, d)
        case .fail(let d):
            switch c.level {
            case .strict: return result(.fail, d)
            case .nonStrict: return result(.nonStrict, d)
            case .informational: return result(.informational, d)
            }
        }
    }
}
