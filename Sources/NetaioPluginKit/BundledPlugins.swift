import NetaioPlugins
import NetaioTapescript
import Foundation

/// Subjects for the bundled Swift plugins, configured from the same JSON configs as the
/// Python ones (so a Python plugin and its Swift counterpart are set up alike):
///
///   hmac    {"secret": str | "secret_hex": hex, "hmac_field"?, "nonce_field"?, "ts_field"?}
///   stream  {"key": str | "key_hex": hex, "iv_field"?, "encrypt_uri"? (default true)}
///   x25519  {"seed_hex": 32-byte hex, "encrypt_uri"? (default false)}
///   tapescript {"seed_hex": 32-byte hex, "lock_hex"? (default: netaio's README single-sig
///           lock on the seed's verify key), "nonce_field"?, "ts_field"?, "witness_field"?,
///           "use_peer_lock"?}
///   peer    {}
///
/// Wrong-key plugins come from `alteredKeyMaterial`; X25519's receiver has seed
/// SHA256(seed), and each side knows the other as a peer whose data holds its pubkey.
public enum BundledPlugins {
    public enum Kind: String, CaseIterable, Sendable { case hmac, stream, x25519, tapescript, peer }

    public struct ConfigError: Error, CustomStringConvertible {
        public let description: String
        public init(_ d: String) { description = d }
    }

    /// Which bundled plugin a Python class corresponds to, by its class name.
    public static func counterpart(ofPythonClass name: String) -> Kind? {
        let short = name.split(separator: ".").last.map(String.init) ?? name
        switch short {
        case "HMACAuthPlugin": return .hmac
        case "Sha256StreamCipherPlugin": return .stream
        case "X25519CipherPlugin": return .x25519
        case "DefaultPeerPlugin": return .peer
        case "TapescriptAuthPlugin": return .tapescript
        default: return nil
        }
    }

    public static func defaultConfig(_ kind: Kind) -> [String: Any] {
        switch kind {
        case .hmac: ["secret": "kit-secret"]
        case .stream: ["key": "kit-key"]
        case .x25519, .tapescript: ["seed_hex": Hex.encode(Array(0..<32) as [UInt8])]
        case .peer: [:]
        }
    }

    static func secret(_ config: [String: Any], _ name: String) throws -> [UInt8] {
        if let hex = config["\(name)_hex"] as? String {
            guard let b = Hex.decode(hex) else { throw ConfigError("\(name)_hex is not hex") }
            return b
        }
        guard let text = config[name] as? String else { throw ConfigError("config needs \"\(name)\" (text) or \"\(name)_hex\"") }
        return Array(text.utf8)
    }

    public static func hmac(_ config: [String: Any]) throws -> HMACAuthPlugin {
        HMACAuthPlugin(
            secret: try secret(config, "secret"), hmacField: config["hmac_field"] as? String ?? "hmac",
            nonceField: config["nonce_field"] as? String ?? "nonce", tsField: config["ts_field"] as? String ?? "ts")
    }

    public static func stream(_ config: [String: Any]) throws -> Sha256StreamCipherPlugin {
        Sha256StreamCipherPlugin(key: try secret(config, "key"), ivField: config["iv_field"] as? String ?? "iv", encryptURI: config["encrypt_uri"] as? Bool ?? true)
    }

    public static func tapescript(_ config: [String: Any]) throws -> TapescriptAuthPlugin {
        let seed = try secret(config, "seed")
        let lock: [UInt8]
        if let hex = config["lock_hex"] as? String {
            guard let b = Hex.decode(hex) else { throw ConfigError("lock_hex is not hex") }
            lock = b
        } else {
            do {
                lock = try Tapescript.makeSingleSigLock(pubkey: Tapescript.verifyKey(seed: seed))
            } catch {
                throw ConfigError("seed: \(error.message)")
            }
        }
        return TapescriptAuthPlugin(
            lock: lock, seed: seed, nonceField: config["nonce_field"] as? String ?? "nonce",
            tsField: config["ts_field"] as? String ?? "ts", witnessField: config["witness_field"] as? String ?? "witness",
            usePeerLock: config["use_peer_lock"] as? Bool ?? false)
    }

    /// uri + content bytes netaio's TapescriptAuthPlugin can sign: body.encode() (2 + uri
    /// + content) plus the 16-byte nonce and 4-byte ts must fit a 1,024-byte stack item.
    public static let tapescriptMaxPayload = 1024 - 20 - 2

    public static func x25519(_ config: [String: Any]) throws -> X25519CipherPlugin {
        try X25519CipherPlugin(seed: try secret(config, "seed"), encryptURI: config["encrypt_uri"] as? Bool ?? false)
    }

    /// The config with its key material (secret, key or seed) changed, for wrong-key and
    /// receiver instances: text gets `salt` appended, bytes become SHA256(bytes ‖ salt)
    /// cut to the original length. Nil when the config has no key material.
    public static func alteredKeyMaterial(_ config: [String: Any], salt: String) -> [String: Any]? {
        var out = config
        for name in ["secret", "key", "seed"] {
            if let text = config[name] as? String {
                out[name] = text + salt
                return out
            }
            if let hex = config["\(name)_hex"] as? String, let b = Hex.decode(hex) {
                let digest = NetaioCrypto.sha256(b + Array(salt.utf8))
                let altered = Array((digest + digest).prefix(max(1, b.count)))
                out["\(name)_hex"] = Hex.encode(altered)
                // A tapescript lock goes with its seed: the altered seed gets its own
                // single-sig lock, or the "wrong" plugin would still accept the right key.
                if name == "seed", config["lock_hex"] != nil,
                   let lock = try? Tapescript.makeSingleSigLock(pubkey: Tapescript.verifyKey(seed: altered)) {
                    out["lock_hex"] = Hex.encode(lock)
                }
                return out
            }
        }
        return nil
    }

    /// A peer whose data is `{"pubkey": X25519 public key of seed}` (netaio's convention).
    public static func x25519Peer(seedHex: String, id: String) throws -> Peer {
        guard let seed = Hex.decode(seedHex) else { throw ConfigError("seed_hex is not hex") }
        let keys = try CurveKeys(seed: seed)
        return Peer(id: Array(id.utf8), data: try DefaultPeerPlugin().encodeData(.dict([PackifyDictEntry("pubkey", .bytes(keys.publicKey))])))
    }

    public static func authSubject(_ kind: Kind, config: [String: Any]) throws -> AuthSubject {
        switch kind {
        case .hmac:
            let wrong = try alteredKeyMaterial(config, salt: "-wrong").map(hmac)
            return AuthSubject(name: "swift HMACAuthPlugin", plugin: try hmac(config), wrongKey: wrong)
        case .tapescript:
            let wrong = try alteredKeyMaterial(config, salt: "-wrong").map(tapescript)
            return AuthSubject(
                name: "swift TapescriptAuthPlugin", plugin: try tapescript(config), wrongKey: wrong,
                maxPayload: tapescriptMaxPayload)
        default:
            throw ConfigError("\(kind) is not an auth plugin")
        }
    }

    public static func cipherSubject(_ kind: Kind, config: [String: Any]) throws -> CipherSubject {
        switch kind {
        case .stream:
            let wrong = try alteredKeyMaterial(config, salt: "-wrong").map(stream)
            return .symmetric(name: "swift Sha256StreamCipherPlugin", plugin: try stream(config), wrongKey: wrong)
        case .x25519:
            let (remote, wrong) = try peerSpecificConfigs(config)
            return CipherSubject(
                name: "swift X25519CipherPlugin", sender: try x25519(config), receiver: try x25519(remote),
                receiverPeer: try x25519Peer(seedHex: remote["seed_hex"] as? String ?? "", id: "receiver"),
                senderPeer: try x25519Peer(seedHex: config["seed_hex"] as? String ?? "", id: "sender"),
                peerPlugin: DefaultPeerPlugin(), wrongKeyReceiver: try x25519(wrong))
        default: throw ConfigError("\(kind) is not a cipher plugin")
        }
    }

    /// The receiver's and a wrong receiver's configs for a peer-specific cipher.
    public static func peerSpecificConfigs(_ config: [String: Any]) throws -> (remote: [String: Any], wrong: [String: Any]) {
        guard let remote = alteredKeyMaterial(config, salt: "-receiver"), let wrong = alteredKeyMaterial(config, salt: "-wrong") else {
            throw ConfigError("config has no key material (secret, key or seed) to derive a receiver from")
        }
        return (remote, wrong)
    }

    public static func peerSubject() -> PeerSubject { PeerSubject(name: "swift DefaultPeerPlugin", plugin: DefaultPeerPlugin()) }
}
