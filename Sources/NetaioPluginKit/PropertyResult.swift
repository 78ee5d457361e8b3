/// How one contract property came out.
public enum Verdict: String, Sendable, Codable, Comparable {
    /// The plugin keeps the contract.
    case pass
    /// The plugin breaks the contract: a node using it misbehaves or loses security.
    case fail
    /// A non-strict deviation: tolerated because netaio 0.0.9's own plugins do it, but
    /// worth knowing (e.g. `check` raising on malformed fields, which closes a TCP connection).
    case warn
    /// A fact about the plugin, neither good nor bad (e.g. "encrypts the uri").
    case info
    /// Not applicable to this plugin or configuration (the message says why).
    case skip

    private var rank: Int { [.fail: 0, .warn: 1, .pass: 2, .info: 3, .skip: 4][self]! }
    public static func < (a: Verdict, b: Verdict) -> Bool { a.rank < b.rank }
}

/// One property of a plugin contract, checked: its stable name (e.g. `auth.tamper-body`),
/// what it means, the verdict and a message saying what was seen.
public struct PropertyResult: Sendable, Equatable {
    public var name: String
    public var title: String
    public var verdict: Verdict
    public var message: String
    /// How to reproduce a randomized failure (seed and iteration), when there is one.
    public var replay: String?

    public init(name: String, title: String, verdict: Verdict, message: String, replay: String? = nil) {
        self.name = name
        self.title = title
        self.verdict = verdict
        self.message = message
        self.replay = replay
    }
}

/// All properties checked for one plugin (or one Python/Swift pair).
public struct ValidationReport: Sendable {
    public var subject: String
    public var results: [PropertyResult]

    public init(subject: String, results: [PropertyResult] = []) {
        self.subject = subject
        self.results = results
    }

    /// True when no property failed (warnings, info and skips do not count).
    public var passed: Bool { !results.contains { $0.verdict == .fail } }

    public func result(_ name: String) -> PropertyResult? { results.first { $0.name == name } }

    public var failures: [PropertyResult] { results.filter { $0.verdict == .fail } }

    public static func + (a: ValidationReport, b: ValidationReport) -> ValidationReport {
        ValidationReport(subject: a.subject, results: a.results + b.results)
    }
}
