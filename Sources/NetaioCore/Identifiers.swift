@_exported import NetaioPlugins

/// Which netaio node the engine plays. One engine type serves all three.
public enum Role: Sendable, Equatable {
    /// netaio `TCPServer`: accepts connections, replies on the connection a message came from.
    case tcpServer
    /// netaio `TCPClient`: connects to one or more servers; never replies to what it receives.
    case tcpClient
    /// netaio `UDPNode`: datagrams to and from addresses, multicast, periodic advertisement.
    case udpNode
}

/// A TCP connection, numbered by the engine in the order it learned of it.
public struct ConnectionID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "conn#\(rawValue)" }
}

/// A timer the engine asked its driver to arm.
public struct TimerID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "timer#\(rawValue)" }
}

/// An outstanding request/create/update/delete.
public struct RequestID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "request#\(rawValue)" }
}

/// Where a message comes from or goes to: a TCP connection or a UDP address.
public enum Endpoint: Hashable, Comparable, Sendable, CustomStringConvertible {
    case connection(ConnectionID)
    case address(Address)

    public static func < (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case (.connection(let x), .connection(let y)): x < y
        case (.address(let x), .address(let y)): x < y
        case (.connection, .address): true
        case (.address, .connection): false
        }
    }

    public var description: String {
        switch self {
        case .connection(let c): c.description
        case .address(let a): a.description
        }
    }
}

/// A handler table key, netaio's `keys_extractor` forms: `(type, uri, host)`,
/// `(type, uri)` or `type` alone. Lookup tries them in that order (most specific first).
/// `host` is the remote address: the client's address (TCP server), the server address
/// given to `connect` (TCP client), the datagram source (UDP).
public struct HandlerKey: Hashable, Sendable, CustomStringConvertible {
    public var type: MessageType
    public var uri: [UInt8]?
    public var host: Address?

    public init(_ type: MessageType) {
        self.type = type
        uri = nil
        host = nil
    }

    public init(_ type: MessageType, uri: [UInt8]) {
        self.type = type
        self.uri = uri
        host = nil
    }

    public init(_ type: MessageType, uri: String) { self.init(type, uri: Array(uri.utf8)) }

    public init(_ type: MessageType, uri: [UInt8], host: Address) {
        self.type = type
        self.uri = uri
        self.host = host
    }

    /// The keys a message is looked up under, most specific first.
    public static func lookupOrder(for message: Message, host: Address) -> [HandlerKey] {
        [HandlerKey(message.type, uri: message.uri, host: host), HandlerKey(message.type, uri: message.uri), HandlerKey(message.type)]
    }

    public var description: String {
        var parts = ["\(type)"]
        if let uri { parts.append(String(decoding: uri, as: UTF8.self).debugDescription) }
        if let host { parts.append(host.description) }
        return "(" + parts.joined(separator: ", ") + ")"
    }
}

/// A dictionary that iterates in insertion order, so nothing the engine emits depends on
/// hashing. Small and only what the engine needs.
struct OrderedMap<Key: Hashable, Value> {
    private(set) var keys: [Key] = []
    private var storage: [Key: Value] = [:]

    var count: Int { keys.count }
    var isEmpty: Bool { keys.isEmpty }
    var values: [Value] { keys.map { storage[$0]! } }

    subscript(key: Key) -> Value? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else {
                removeValue(forKey: key)
            }
        }
    }

    @discardableResult
    mutating func removeValue(forKey key: Key) -> Value? {
        guard let old = storage.removeValue(forKey: key) else { return nil }
        keys.remove(at: keys.firstIndex(of: key)!)
        return old
    }

    func contains(_ key: Key) -> Bool { storage[key] != nil }

    /// Changes an existing value in place (one hash lookup, no copy); false if absent.
    @discardableResult
    mutating func modify(_ key: Key, _ body: (inout Value) -> Void) -> Bool {
        guard storage[key] != nil else { return false }
        body(&storage[key]!)
        return true
    }
}
