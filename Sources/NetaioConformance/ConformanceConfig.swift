/// What the suite knows about the implementation under test: the keys it was started
/// with (the same flags as `netaio serve`/`node`) and the suite's timing.
public struct ConformanceConfig: Sendable {
    /// Outer HMACAuthPlugin secret (`--hmac-secret`).
    public var hmacSecret: String?
    /// Outer TapescriptAuthPlugin instead of HMAC (`--tapescript-seed`): netaio's README
    /// single-sig lock on this seed's verify key, witnesses signed with it, both ways.
    public var tapescriptSeed: [UInt8]?
    /// Outer Sha256StreamCipherPlugin key, encrypt_uri true (`--cipher-key`).
    public var cipherKey: String?
    /// Inner HMAC on the resource handlers, field `hmac2` (serve.py `--inner-hmac-secret`).
    public var innerHMACSecret: String?
    /// Inner stream cipher on the resource handlers, field `iv2`, encrypt_uri false.
    public var innerCipherKey: String?
    /// The handlers use an inner X25519 layer (needs peer management).
    public var x25519 = false
    /// Peer management is on (`--manage-peers`), with this app id.
    public var managePeers = false
    public var appID = "netaio"
    /// How long to wait for a reply.
    public var replyTimeout = 2.0
    /// How long silence must last to count as "no reply".
    public var silence = 0.4
    /// Connections opened by the idle-connections case.
    public var idleConnections = 200
    /// The implementation's connection limit (`--max-connections`): R-10 holds more idle
    /// connections than this open while a well-behaved client must be served.
    public var maxConnections: Int?
    /// R-10's well-behaved request cycles (a fresh connection and one CREATE_URI each).
    public var exhaustionCycles = 20

    public init() {}
}

/// Which cases a configuration can run.
public enum Requirement: String, Sendable, CustomStringConvertible {
    case hmac, tapescript, cipher, noOuterAuth, noInnerLayers, innerHMAC, innerCipher, x25519, peers, connectionLimit

    public var description: String {
        switch self {
        case .hmac: "needs --hmac-secret (the implementation's outer HMAC secret)"
        case .tapescript: "needs --tapescript-seed (the implementation's outer TapescriptAuthPlugin seed)"
        case .cipher: "needs --cipher-key (the implementation's outer stream cipher key)"
        case .noOuterAuth: "only without an outer auth plugin (the raw frame would be rejected first)"
        case .noInnerLayers: "only without inner layers on the resource handlers"
        case .innerHMAC: "needs --inner-hmac-secret"
        case .innerCipher: "needs --inner-cipher-key"
        case .x25519: "needs --x25519 (handlers with an inner X25519 layer) and --manage-peers"
        case .peers: "needs --manage-peers"
        case .connectionLimit: "needs --max-connections N (the implementation's connection limit)"
        }
    }

    func met(by c: ConformanceConfig) -> Bool {
        switch self {
        case .hmac: c.hmacSecret != nil
        case .tapescript: c.tapescriptSeed != nil
        case .cipher: c.cipherKey != nil
        case .noOuterAuth: c.hmacSecret == nil && c.tapescriptSeed == nil
        case .noInnerLayers: c.innerHMACSecret == nil && c.innerCipherKey == nil && !c.x25519
        case .innerHMAC: c.innerHMACSecret != nil
        case .innerCipher: c.innerCipherKey != nil
        case .x25519: c.x25519 && c.managePeers
        case .peers: c.managePeers
        case .connectionLimit: c.maxConnections != nil
        }
    }
}
