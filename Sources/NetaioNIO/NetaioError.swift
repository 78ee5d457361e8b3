import NetaioCore

/// What the async API throws. Scripts and callers can tell a timeout from an error
/// reply from a connection problem.
public enum NetaioError: Error, Sendable, CustomStringConvertible {
    /// No reply within the timeout (netaio's `TimeoutError`).
    case timedOut(uri: [UInt8], timeout: Double)
    /// The other side answered with an error type (ERROR, NOT_FOUND, AUTH_ERROR, …).
    case errorReply(Message)
    /// Could not connect, bind or resolve.
    case connectionFailed(String)
    /// The connection closed before the reply came.
    case connectionClosed
    /// The request could not be prepared or sent (plugin failure, size limit, unknown server).
    case sendFailed(String)
    /// Abandoned because the node shut down.
    case cancelled

    init(_ error: RequestError) {
        switch error {
        case .timedOut(let uri, _, let timeout): self = .timedOut(uri: uri, timeout: timeout)
        case .errorReply(let m): self = .errorReply(m)
        case .connectionClosed: self = .connectionClosed
        case .cancelled: self = .cancelled
        case .sendFailed(let why): self = .sendFailed(why)
        }
    }

    public var description: String {
        switch self {
        case .timedOut(let uri, let timeout):
            "request for URI \(String(decoding: uri, as: UTF8.self)) timed out after \(timeout)s"
        case .errorReply(let m): "error reply \(m.type): \(String(decoding: m.content, as: UTF8.self))"
        case .connectionFailed(let why): "connection failed: \(why)"
        case .connectionClosed: "connection closed before the reply"
        case .sendFailed(let why): "not sent: \(why)"
        case .cancelled: "cancelled (node shut down)"
        }
    }
}
