/// netaio's `HMACAuthPlugin` (docs/PROTOCOL.md §5.3): a MAC over `ts ‖ body block` with
/// `SHA256(secret)` as key and a 16-byte nonce as diversifier.
///
/// Byte-compatible with Python, including its quirks: an existing 16-byte nonce and an
/// existing ts are reused by `make` (Q4); `check` treats a missing ts or the int 0 as
/// invalid but uses ts bytes of any length verbatim (Q9); the header and the other auth
/// fields are not covered (Q2). Deliberate differences: non-bytes nonce/MAC/ts make
/// `check` return false where Python raises (and where Python accepts a MAC given as a
/// list of 32 ints). Optional freshness checking (`HMACFreshness`) is off by default (Q8).
public struct HMACAuthPlugin: AuthPlugin {
    /// `SHA256(secret)`.
    public let secretKey: [UInt8]
    /// SHA256(secretKey), the first part of every derived MAC key: hashed once here.
    let secretKeyDigest: [UInt8]
    public let hmacField: String
    public let nonceField: String
    public let tsField: String
    /// Opt-in timestamp window and replay cache; nil = netaio's behaviour.
    public let freshness: HMACFreshness?

    public static let nonceSize = NetaioCrypto.ivSize

    public init(
        secret: [UInt8], hmacField: String = "hmac", nonceField: String = "nonce", tsField: String = "ts",
        freshness: HMACFreshness? = nil
    ) {
        secretKey = NetaioCrypto.sha256(secret)
        secretKeyDigest = NetaioCrypto.sha256(secretKey)
        self.hmacField = hmacField
        self.nonceField = nonceField
        self.tsField = tsField
        self.freshness = freshness
    }

    /// A text secret is used as its UTF-8 bytes, as in Python.
    public init(
        secret: String, hmacField: String = "hmac", nonceField: String = "nonce", tsField: String = "ts",
        freshness: HMACFreshness? = nil
    ) {
        self.init(secret: Array(secret.utf8), hmacField: hmacField, nonceField: nonceField, tsField: tsField, freshness: freshness)
    }

    public var isPeerSpecific: Bool { false }

    public func make(
        _ fields: inout AuthFields, body: Body, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?
    ) throws(PluginError) {
        let nonce = try existingNonce(fields) ?? context.random.bytes(Self.nonceSize)
        let ts = try timestampBytes(fields[tsField], clock: context.clock)
        let mac = NetaioCrypto.hmac(keyDigest: secretKeyDigest, iv: nonce, parts: [ts, body.encode()])
        // Python writes back the nonce object it used: a reused bytearray stays a bytearray.
        if fields.bytes(nonceField) != nonce { fields[nonceField] = .bytes(nonce) }
        fields[tsField] = .bytes(ts)
        fields[hmacField] = .bytes(mac)
    }

    public func check(
        _ fields: AuthFields, body: Body, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?
    ) -> Bool {
        guard let ts = fields[tsField], let tsBytes = Self.checkedTimestampBytes(ts),
              let nonce = fields[nonceField]?.byteArrayValue,
              let mac = fields[hmacField]?.byteArrayValue
        else { return false }
        guard NetaioCrypto.checkHMAC(keyDigest: secretKeyDigest, iv: nonce, parts: [tsBytes, body.encode()], mac: mac) else {
            return false
        }
        guard let freshness else { return true }
        return freshness.admit(timestamp: tsBytes, mac: mac, now: context.clock.now())
    }

    /// `make_error_msg("HMAC auth failed")`: AUTH_ERROR, uri `ERROR`.
    public func error() -> Message { .error("HMAC auth failed") }

    /// The nonce to reuse. Python tests `len(nonce) != 16`: any value with another
    /// length (or an absent field) is replaced with fresh bytes; a 16-byte bytes value is
    /// reused; Python then raises for a non-bytes value of length 16 or one without a
    /// length (int, None, ...), and so do we.
    private func existingNonce(_ fields: AuthFields) throws(PluginError) -> [UInt8]? {
        guard let value = fields[nonceField] else { return nil }
        if let bytes = value.byteArrayValue { return bytes.count == Self.nonceSize ? bytes : nil }
        if let length = Self.pythonLength(value), length != Self.nonceSize { return nil }
        throw .fieldNotBytes(name: nonceField, type: value.typeName)
    }

    /// Python's `len()` of a packify value, nil where it raises.
    private static func pythonLength(_ value: PackifyValue) -> Int? {
        switch value {
        case .string(let s): s.unicodeScalars.count
        case .list(let a), .tuple(let a), .set(let a): a.count
        case .dict(let e): e.count
        default: nil
        }
    }

    /// `make`'s ts: the existing field (an int, or bytes read as a big-endian unsigned
    /// integer) or `int(now)`, as 4 big-endian bytes. Python raises past 2^32 - 1.
    private func timestampBytes(_ existing: PackifyValue?, clock: any UnixClock) throws(PluginError) -> [UInt8] {
        let value: UInt64
        switch existing {
        case nil:
            let now = clock.now()
            guard let seconds = wholeSeconds(now), seconds >= 0 else { throw .timestampOutOfRange("clock reads \(now)") }
            value = UInt64(seconds)
        case .int(let i)?:
            guard !i.isNegative, i.magnitude.count <= 4 else { throw .timestampOutOfRange("ts field is \(i)") }
            value = i.magnitude.reduce(0) { $0 << 8 | UInt64($1) }
        case .bool(let b)?:
            value = b ? 1 : 0  // a Python bool is an int
        case .bytes(let b)?, .bytearray(let b)?:
            let significant = b.drop(while: { $0 == 0 })
            guard significant.count <= 4 else { throw .timestampOutOfRange("ts field is \(b.count) bytes") }
            value = significant.reduce(0) { $0 << 8 | UInt64($1) }
        case let other?:
            throw .fieldNotBytes(name: tsField, type: other.typeName)
        }
        guard value <= UInt64(UInt32.max) else { throw .timestampOutOfRange("\(value) is past 2^32 - 1") }
        return (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * (3 - $0))) }
    }

    /// `check`'s ts bytes, or nil for "invalid": Python rejects a value equal to 0 (the
    /// int 0, False, 0.0), encodes other ints as 4 bytes (raising past 2^32 - 1) and
    /// uses bytes verbatim whatever their length.
    static func checkedTimestampBytes(_ ts: PackifyValue) -> [UInt8]? {
        switch ts {
        case .bytes(let b), .bytearray(let b):
            return b
        case .bool(let b):
            return b ? [0, 0, 0, 1] : nil
        case .int(let i):
            guard !i.isZero, !i.isNegative, i.magnitude.count <= 4 else { return nil }
            return [UInt8](repeating: 0, count: 4 - i.magnitude.count) + i.magnitude
        default:
            return nil  // Python: == 0 for 0.0, else a TypeError when concatenating
        }
    }
}
