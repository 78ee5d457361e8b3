/// What a handler knows about the message it is handling, and shortcuts back into the
/// engine (subscribe the sender, send to it). Valid only during the handler call.
public struct HandlerContext {
    /// `unowned(unsafe)`: the context lives only for the handler call, during which the
    /// engine is running it (a checked `unowned` costs a retain and release per frame).
    public unowned(unsafe) let node: NodeEngine
    /// The connection or address the message came from; replies go there.
    public let origin: Endpoint
    /// The remote address (`host` of the handler keys).
    public let remote: Address
    /// The key the handler was found under; nil for the default handler.
    public let key: HandlerKey?

    /// The sender's peer record, if it is a known peer.
    public var peer: Peer? { node.peer(at: remote) }

    /// Subscribes the sender to `topic` (netaio `subscribe(key, writer/addr)`).
    public func subscribe(_ topic: [UInt8]) { node.subscribe(topic, origin) }
    public func unsubscribe(_ topic: [UInt8]) { node.unsubscribe(topic, origin) }
}

public enum NodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Peer management needs `localPeer` (netaio asserts).
    case noLocalPeer
    /// The peer plugin cannot pack the local peer.
    case unpackableLocalPeer(PluginError)

    public var description: String {
        switch self {
        case .noLocalPeer: "peer management needs a local peer"
        case .unpackableLocalPeer(let e): "the local peer cannot be packed: \(e)"
        }
    }
}

/// A request that timed out, as handed to the timeout hook (netaio's
/// `timeout_error_handler(client, 'request_timeout', server, error, context)`).
public struct RequestTimeout: Sendable, Equatable {
    public let id: RequestID
    public let uri: [UInt8]
    public let type: MessageType
    public let endpoint: Endpoint
    /// The remote address of the endpoint when it was sent (the server for a TCP client).
    public let remote: Address
    public let timeout: Double
    public var error: RequestError { .timedOut(uri: uri, endpoint: endpoint, timeout: timeout) }
}

/// A TCP receive buffer: appended at the end, consumed from the front.
struct StreamBuffer {
    private var bytes: [UInt8] = []
    private var start = 0

    var available: Int { bytes.count - start }

    mutating func append(_ chunk: some Sequence<UInt8>) { bytes.append(contentsOf: chunk) }

    /// The frame length from the header at the front, once 9 bytes are buffered.
    func frameLength() -> Int? {
        guard available >= Header.size else { return nil }
        return FrameDecoder.frameLength(header: bytes[start..<(start + Header.size)])
    }

    mutating func take(_ count: Int) -> [UInt8] {
        let out = Array(bytes[start..<(start + count)])
        start += count
        if start == bytes.count {
            bytes.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 65536 && start * 2 > bytes.count {
            bytes.removeFirst(start)
            start = 0
        }
        return out
    }
}
