@_exported import NetaioPlugins
import OrderedCollections

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

/// A `HandlerKey` as the handler tables store it: the uri inline (see `ByteKey`), since
/// every received frame is looked up under two or three keys.
struct HandlerTableKey: Hashable {
    var type: MessageType
    var uri: ByteKey?
    var host: Address?

    init(_ type: MessageType, uri: ByteKey?, host: Address?) {
        self.type = type
        self.uri = uri
        self.host = host
    }

    init(_ key: HandlerKey) {
        self.init(key.type, uri: key.uri.map(ByteKey.init), host: key.host)
    }
}

/// A dictionary that iterates in insertion order, so nothing the engine emits depends on
/// hashing. A thin layer over swift-collections' `OrderedDictionary` (one hash lookup per
/// access, values changed in place) with only what the engine needs.
struct OrderedMap<Key: Hashable, Value> {
    private var storage = OrderedDictionary<Key, Value>()

    var count: Int { storage.count }
    var isEmpty: Bool { storage.isEmpty }
    /// The keys in insertion order (a snapshot: mutating the map while iterating is fine).
    var keys: OrderedSet<Key> { storage.keys }
    var values: [Value] { Array(storage.values) }

    subscript(key: Key) -> Value? {
        get { storage[key] }
        set { storage[key] = newValue }
    }

    @discardableResult
    mutating func removeValue(forKey key: Key) -> Value? { storage.removeValue(forKey: key) }

    func contains(_ key: Key) -> Bool { storage.index(forKey: key) != nil }
}

/// Peer ids, uris and app ids as dictionary keys. Up to 32 bytes are kept inline, so a
/// hash-table probe compares words instead of chasing a pointer to an array buffer (with a
/// thousand simulated nodes those cache misses were a tenth of the run), and hashing takes
/// a few words instead of feeding the hasher byte by byte as `Array` does.
struct ByteKey: Hashable {
    private var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0
    private let count: Int
    private let spill: [UInt8]?  // keys longer than 32 bytes

    init(_ bytes: [UInt8]) {
        count = bytes.count
        guard bytes.count <= 32 else {
            spill = bytes
            return
        }
        spill = nil
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { dest in
            bytes.withUnsafeBytes { src in
                if let base = src.baseAddress { dest.baseAddress!.copyMemory(from: base, byteCount: src.count) }
            }
        }
        (w0, w1, w2, w3) = words
    }

    var bytes: [UInt8] {
        if let spill { return spill }
        let words = (w0, w1, w2, w3)
        return withUnsafeBytes(of: words) { Array($0.prefix(count)) }
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        if let spill {
            spill.withUnsafeBytes { hasher.combine(bytes: $0) }
        } else {
            hasher.combine(w0)
            if count > 8 { hasher.combine(w1) }
            if count > 16 { hasher.combine(w2) }
            if count > 24 { hasher.combine(w3) }
        }
    }
}

extension OrderedMap where Key == ByteKey {
    subscript(bytes: [UInt8]) -> Value? {
        get { self[ByteKey(bytes)] }
        set { self[ByteKey(bytes)] = newValue }
    }

    @discardableResult
    mutating func removeValue(forKey bytes: [UInt8]) -> Value? { removeValue(forKey: ByteKey(bytes)) }
}
