#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A remote endpoint as netaio records it: Python's `(host, port)` tuple. `host` is the
/// text form of an IPv4 or IPv6 address (or, for a TCP client, whatever name it was told
/// to connect to), kept verbatim because netaio compares these tuples by value.
public struct Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var host: String {
        didSet {
            host = Self.inline(host)
            hostHash = Self.fingerprint(host)
        }
    }
    public var port: UInt16
    /// FNV-1a of the host's UTF-8 bytes, made once: addresses are hashed and compared for
    /// every received frame (peer lookups, handler keys, the own-address check), and
    /// hashing a string walks its bytes each time.
    public private(set) var hostHash: UInt64

    public init(host: String, port: UInt16) {
        self.host = Self.inline(host)
        self.port = port
        hostHash = Self.fingerprint(host)
    }

    /// The host as a small string (bytes inline, no storage object) when it fits, as
    /// every numeric IPv4 host does. Built text (interpolation, parsing) is usually
    /// stored on the heap even when short, and then each copy of the address — several
    /// per received frame — is an atomic retain and release of that storage.
    private static func inline(_ host: String) -> String {
        guard host.utf8.count <= 15 else { return host }
        var host = host
        return host.withUTF8 { String(decoding: $0, as: UTF8.self) }
    }

    /// Equal hosts are equal byte for byte, as Python compares `str`s (not by Unicode
    /// canonical equivalence, as Swift's `String ==` would).
    public static func == (a: Address, b: Address) -> Bool {
        a.port == b.port && a.hasSameHost(as: b)
    }

    /// Whether both name the same host (ports aside), byte for byte.
    public func hasSameHost(as other: Address) -> Bool {
        hostHash == other.hostHash && Self.sameBytes(host, other.host)
    }

    private static func sameBytes(_ a: String, _ b: String) -> Bool {
        // Equal representations hold equal bytes: a small string (up to 15 UTF-8 bytes,
        // every numeric host) keeps its bytes inline, and a large one the same storage.
        // Unequal ones may still match (the same text stored both ways): compare bytes.
        if sameRepresentation(a, b) { return true }
        let same = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in
                x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
            }
        }
        if let same, let same { return same }
        return a.utf8.elementsEqual(b.utf8)  // bridged strings without contiguous storage
    }

    private static func sameRepresentation(_ a: String, _ b: String) -> Bool {
        #if _pointerBitWidth(_64)
        // A String is two words on 64-bit platforms.
        let x = unsafeBitCast(a, to: (UInt64, UInt64).self)
        let y = unsafeBitCast(b, to: (UInt64, UInt64).self)
        return x.0 == y.0 && x.1 == y.1
        #else
        return false  // the byte comparison decides
        #endif
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(hostHash ^ (UInt64(port) &* 0x9E37_79B9_7F4A_7C15))
    }

    private static func fingerprint(_ host: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in host.utf8 {
            h = (h ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return h
    }

    public enum Family: Sendable { case ipv4, ipv6 }

    /// The address family when `host` is a numeric IPv4 or IPv6 address, else nil (a name).
    public var family: Family? {
        if Self.parse(host, family: AF_INET, size: 4) != nil { return .ipv4 }
        if Self.parse(host, family: AF_INET6, size: 16) != nil { return .ipv6 }
        return nil
    }

    /// The same address with `host` in canonical text (`inet_ntop`: lower-case IPv6
    /// with the longest zero run compressed), the form sockets report. Names stay as they are.
    public var canonical: Address {
        for (family, size, textSize) in [(AF_INET, 4, 16), (AF_INET6, 16, 46)] {
            guard let raw = Self.parse(host, family: family, size: size) else { continue }
            var text = [CChar](repeating: 0, count: textSize)
            let ok = raw.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &text, socklen_t(textSize)) } != nil
            if ok { return Address(host: String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), port: port) }
        }
        return self
    }

    /// Parses `"host:port"` or `"[v6]:port"` (IPv6 must be bracketed: a bare `"::1:80"`
    /// is ambiguous). Nil when malformed.
    public init?(parsing text: String) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":"), text.firstIndex(of: ":") == colon else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = UInt16(portText) else { return nil }
        self.init(host: String(host), port: port)
    }

    /// `host:port`, with IPv6 hosts in brackets.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    public static func < (a: Address, b: Address) -> Bool {
        (a.host.utf8.lexicographicallyPrecedes(b.host.utf8)) || (a.hasSameHost(as: b) && a.port < b.port)
    }

    private static func parse(_ host: String, family: Int32, size: Int) -> [UInt8]? {
        var raw = [UInt8](repeating: 0, count: size)
        let result = raw.withUnsafeMutableBytes { inet_pton(family, host, $0.baseAddress) }
        return result == 1 ? raw : nil
    }
}
