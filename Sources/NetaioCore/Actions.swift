/// What the engine asks its driver (socket adapter, simulator, test harness) to do.
/// Actions are emitted in a deterministic order; perform them in that order.
public enum Action: Sendable, Equatable {
    /// TCP client: open a connection to `address`, then report `connected(_:)` or `closed(_:)`.
    case open(ConnectionID, to: Address)
    /// Write a frame on a connection, or send it as one datagram to an address.
    case send([UInt8], to: Endpoint)
    /// UDP: send one datagram to a multicast group (`group.port` is the destination port).
    case multicast([UInt8], group: Address)
    /// Close a connection. The engine has already forgotten it.
    case close(ConnectionID)
    /// Call `timerFired(_:)` once the engine's clock reaches `deadline` (Unix seconds).
    case armTimer(TimerID, deadline: Double)
    case cancelTimer(TimerID)
    /// Something for the application.
    case event(Event)
}

/// Things the application hears about.
public enum Event: Sendable, Equatable {
    /// A request got its success reply (RESPOND_URI for REQUEST_URI, else OK), inner layers removed.
    case requestCompleted(RequestID, Message)
    /// A request failed: timeout, error reply, closed connection, unsendable request.
    case requestFailed(RequestID, RequestError)
    case peerAdded(Peer)
    case peerRemoved(Peer, reason: PeerRemovalReason)
    /// Input the engine dropped or a message it could not send, with the reason.
    case dropped(Drop)
}

public enum RequestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No reply in time (netaio's `TimeoutError`).
    case timedOut(uri: [UInt8], endpoint: Endpoint, timeout: Double)
    /// The other side answered with an error type (ERROR, AUTH_ERROR, NOT_FOUND, NOT_PERMITTED, …).
    case errorReply(Message)
    /// The connection closed before a reply arrived.
    case connectionClosed
    /// Abandoned by `cancelRequest` or `stop`.
    case cancelled
    /// The request could not be prepared or sent (plugin failure, size limit, unknown endpoint).
    case sendFailed(String)

    public var description: String {
        switch self {
        case .timedOut(let uri, let endpoint, let timeout):
            "Request for URI \(String(decoding: uri, as: UTF8.self)) @ \(endpoint) timed out after \(timeout)s"
        case .errorReply(let m): "error reply \(m.type): \(String(decoding: m.content, as: UTF8.self))"
        case .connectionClosed: "connection closed before the reply"
        case .sendFailed(let why): "request not sent: \(why)"
        case .cancelled: "request cancelled"
        }
    }
}

public enum PeerRemovalReason: Sendable, Equatable {
    /// The peer sent DISCONNECT.
    case disconnect
    /// Nothing heard from it for longer than the peer timeout.
    case timedOut
    /// Its TCP connection closed.
    case connectionClosed
    /// Its last address now belongs to another peer id.
    case addressTaken
    /// Removed by the application.
    case removed
    /// The node did not say why (an external node, docs/external-nodes.md).
    case unknown
}

/// A record of something dropped, for logs and tests.
public struct Drop: Sendable, Equatable, CustomStringConvertible {
    public var reason: DropReason
    public var endpoint: Endpoint?
    public init(_ reason: DropReason, endpoint: Endpoint?) {
        self.reason = reason
        self.endpoint = endpoint
    }
    public var description: String { "\(reason.code) \(endpoint.map { "from/to \($0)" } ?? ""): \(reason)" }
}

public enum DropReason: Sendable, Equatable, CustomStringConvertible {
    /// The frame could not be decoded (unknown type, bad auth block, bad body…).
    case undecodable(WireError)
    case checksumMismatch
    /// A TCP frame header announced more than `maxFrameLength` bytes; the connection is closed.
    case frameTooLarge(Int)
    case outerAuthFailed
    case innerAuthFailed
    case decryptFailed(PluginError)
    /// A message of this engine could not be prepared (plugin error, size limit).
    case sendFailed(String)
    case unknownEndpoint
    /// UDP `ignore_own_ip`.
    case ownAddress
    /// An error-type message would have been answered with an error-type message (storm guard).
    case errorReplySuppressed(MessageType)
    /// A handler threw; an ERROR reply was sent instead.
    case handlerFailed(String)
    /// A peer-management message whose content is not a valid peer record.
    case invalidPeerRecord(String)
    /// A new peer while the peer table is full.
    case peerTableFull
    /// DISCONNECT for a peer from an address that peer does not use.
    case disconnectNotFromPeer
    /// A reply that matched a pending request but failed its inner auth or decryption.
    case requestReplyRejected

    public var code: String {
        switch self {
        case .undecodable: "undecodable"
        case .checksumMismatch: "checksum_mismatch"
        case .frameTooLarge: "frame_too_large"
        case .outerAuthFailed: "outer_auth_failed"
        case .innerAuthFailed: "inner_auth_failed"
        case .decryptFailed: "decrypt_failed"
        case .sendFailed: "send_failed"
        case .unknownEndpoint: "unknown_endpoint"
        case .ownAddress: "own_address"
        case .errorReplySuppressed: "error_reply_suppressed"
        case .handlerFailed: "handler_failed"
        case .invalidPeerRecord: "invalid_peer_record"
        case .peerTableFull: "peer_table_full"
        case .disconnectNotFromPeer: "disconnect_not_from_peer"
        case .requestReplyRejected: "request_reply_rejected"
        }
    }

    public var description: String {
        switch self {
        case .undecodable(let e): "undecodable frame: \(e)"
        case .checksumMismatch: "checksum mismatch"
        case .frameTooLarge(let n): "frame of \(n) bytes exceeds the limit"
        case .outerAuthFailed: "outer auth check failed"
        case .innerAuthFailed: "handler auth check failed"
        case .decryptFailed(let e): "decryption failed: \(e)"
        case .sendFailed(let why): "not sent: \(why)"
        case .unknownEndpoint: "no such connection"
        case .ownAddress: "datagram from the node's own address"
        case .errorReplySuppressed(let t): "\(t) reply to an error-type message not sent"
        case .handlerFailed(let why): "handler failed: \(why)"
        case .invalidPeerRecord(let why): "invalid peer record: \(why)"
        case .peerTableFull: "peer table full"
        case .disconnectNotFromPeer: "DISCONNECT from an address the peer does not use"
        case .requestReplyRejected: "reply to a request failed its inner auth or decryption"
        }
    }
}
