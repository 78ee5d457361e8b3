import NetaioCore

/// How a request attempt failed, for a request step's `retry_on` (docs/scenarios.md).
/// One rule for the simulator and the real transport, so both retry the same attempts.
public enum RetryCondition: String, Sendable, CaseIterable, Comparable {
    /// No reply within the attempt's timeout (netaio's TimeoutError).
    case timeout
    /// An ERROR, AUTH_ERROR or other error-type reply: the responder could not accept
    /// the frame (corrupted in transit, failed authentication, store full).
    case error
    /// A NOT_FOUND or NOT_PERMITTED reply: an answer about the resource itself.
    case notFound = "not_found"

    /// The condition an error reply of this type falls under.
    public init(errorReply type: MessageType) {
        self = (type == .notFound || type == .notPermitted) ? .notFound : .error
    }

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

extension RequestStep {
    /// Whether an attempt that failed under `condition` is sent again: its kind is in
    /// `retry_on` and `attempts` (made so far, the failed one included) leaves a retry.
    public func retries(after condition: RetryCondition, attempts: Int) -> Bool {
        retryOn.contains(condition) && attempts <= retries
    }
}

extension RetryCondition {
    /// The engine's request failures that `retry_on` can name; nil for the others
    /// (connection closed, cancelled, not sent), which are never retried.
    public init?(_ error: RequestError) {
        switch error {
        case .timedOut: self = .timeout
        case .errorReply(let reply): self.init(errorReply: reply.type)
        case .connectionClosed, .cancelled, .sendFailed: return nil
        }
    }

    /// The timeline line of a retry: "request R timed out; retry N" (the wording before
    /// `retry_on` existed, kept so traces and their hashes stay the same) or
    /// "request R got ERROR; retry N".
    public static func retryNote(_ request: String, errorReply: Message?, attempt: Int) -> String {
        "request \(request) \(errorReply.map { "got \($0.type)" } ?? "timed out"); retry \(attempt)"
    }
}
