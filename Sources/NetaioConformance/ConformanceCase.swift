import Foundation

/// How much a case matters: a strict case failing makes the run fail; a non-strict one
/// is a tolerated deviation (reported as "non-strict"); informational cases only observe.
public enum CaseLevel: String, Sendable { case strict, nonStrict = "non-strict", informational }

public enum CaseVerdict: String, Sendable { case pass, fail, nonStrict = "non-strict", informational, skipped }

public enum CaseGroup: String, CaseIterable, Sendable {
    case framing, crud, pubsub, errors, checksum, hmac, tapescript, cipher, x25519, peers, robustness
}

/// What a case's body found.
public enum CaseOutcome: Sendable {
    case pass(String)
    case fail(String)
    /// Informational cases: what was observed.
    case observed(String)
    case skip(String)
    /// A well-behaved client stopped being served: a strict failure whatever the level.
    case stoppedServing(String)
}

/// One numbered conformance case.
public struct ConformanceCase: Sendable {
    public let id: String
    public let group: CaseGroup
    public let title: String
    /// The protocol rule checked (docs/PROTOCOL.md sections, the reference behaviour in docs/conformance.md).
    public let rule: String
    public let level: CaseLevel
    public let transports: Set<Wire.Kind>
    public let requires: [Requirement]
    let body: @Sendable (CaseRun) throws -> CaseOutcome

    init(
        _ id: String, _ group: CaseGroup, _ title: String, rule: String, level: CaseLevel = .strict,
        transports: Set<Wire.Kind> = [.tcp, .udp], requires: [Requirement] = [], body: @escaping @Sendable (CaseRun) throws -> CaseOutcome
    ) {
        self.id = id
        self.group = group
        self.title = title
        self.rule = rule
        self.level = level
        self.transports = transports
        self.requires = requires
        self.body = body
    }
}

public struct CaseResult: Sendable {
    public let id: String
    public let group: CaseGroup
    public let title: String
    public let rule: String
    public let level: CaseLevel
    public let verdict: CaseVerdict
    public let detail: String
    public let seconds: Double
}

/// Failures inside a case body (a missing or wrong reply).
struct CaseFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
