import NetaioSim

/// The verdict on one expectation or invariant.
public struct Verdict: Sendable {
    public var name: String
    public var passed: Bool
    /// Why it passed or failed, in words.
    public var detail: String
    /// Scenario file line of the expectation, when it has one.
    public var line: Int?
    /// When it was decided (virtual seconds).
    public var time: Double

    /// Public so other runners (NetaioScenarioReal) report with the same types.
    public init(name: String, passed: Bool, detail: String, line: Int?, time: Double) {
        self.name = name
        self.passed = passed
        self.detail = detail
        self.line = line
        self.time = time
    }

    /// An invariant's verdict: it held (`heldWhen` says how often it was checked) or the
    /// violations, in order.
    public static func invariant(_ name: String, violations: [String], heldWhen: String, time: Double) -> Verdict {
        Verdict(
            name: "invariant: \(name)", passed: violations.isEmpty,
            detail: violations.isEmpty ? heldWhen : violations.joined(separator: "; "), line: nil, time: time)
    }
}

/// Everything a run produced.
public struct RunResult: Sendable {
    public var scenario: String
    public var seed: UInt64
    /// SHA-256 of the canonical trace: same scenario + seed → same hash, anywhere.
    public var traceHash: String
    public var verdicts: [Verdict]
    /// Timeline summary lines, in time order.
    public var summary: [String]
    public var eventsProcessed: UInt64
    public var traceRecords: UInt64
    public var virtualSeconds: Double
    /// Counts of traced records by kind name (sends, drops, peers added, …).
    public var counts: [(kind: String, count: UInt64)]
    /// The full trace when recorded (`--trace`, `--timeline`).
    public var records: [TraceRecord]
    public var nodeNames: [String]
    /// Problems that make the run itself unreliable (an external node that could not start,
    /// broke its contract or died): the run fails whatever the verdicts say.
    public var errors: [String] = []

    /// Public so other runners (NetaioScenarioReal) report in the same formats.
    public init(
        scenario: String, seed: UInt64, traceHash: String, verdicts: [Verdict], summary: [String],
        eventsProcessed: UInt64, traceRecords: UInt64, virtualSeconds: Double,
        counts: [(kind: String, count: UInt64)], records: [TraceRecord], nodeNames: [String]
    ) {
        self.scenario = scenario
        self.seed = seed
        self.traceHash = traceHash
        self.verdicts = verdicts
        self.summary = summary
        self.eventsProcessed = eventsProcessed
        self.traceRecords = traceRecords
        self.virtualSeconds = virtualSeconds
        self.counts = counts
        self.records = records
        self.nodeNames = nodeNames
    }

    public var passed: Bool { errors.isEmpty && verdicts.allSatisfy(\.passed) }
    public var failures: [Verdict] { verdicts.filter { !$0.passed } }
}
