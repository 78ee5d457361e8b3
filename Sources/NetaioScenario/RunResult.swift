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

    public var passed: Bool { verdicts.allSatisfy(\.passed) }
    public var failures: [Verdict] { verdicts.filter { !$0.passed } }
}
