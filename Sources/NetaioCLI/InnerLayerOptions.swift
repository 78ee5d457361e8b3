import ArgumentParser
import NetaioPlugins
import NetaioWire

/// `--inner-hmac-secret` / `--inner-cipher-key` / `--x25519-seed`: plugins on the resource
/// handlers only (Python: `server.on(key, auth_plugin=, cipher_plugin=)`), inside the
/// outer `--hmac-secret`/`--cipher-key` layer; used by `netaio serve` and `netaio node`.
/// Same flags and fields as scripts/python-peers/serve.py and node.py: the inner layers write `hmac2`/`iv2`, so the outer
/// layer does not overwrite them, and the inner stream cipher leaves the uri in clear
/// (the handler is found by the uri's type before the inner layer runs).
struct InnerLayerOptions: ParsableArguments {
    /// The field names of netaio's own two-layer tests (and of serve.py).
    static let hmacField = "hmac2"
    static let ivField = "iv2"

    @Option(name: .customLong("inner-hmac-secret"),
            help: ArgumentHelp("Inner HMACAuthPlugin on the resource handlers (field hmac2).", valueName: "S"))
    var innerHMACSecret: String?

    @Option(name: .customLong("inner-cipher-key"),
            help: ArgumentHelp("Inner Sha256StreamCipherPlugin on the resource handlers (field iv2, uri in clear).", valueName: "K"))
    var innerCipherKey: String?

    @Option(name: .customLong("x25519-seed"),
            help: ArgumentHelp("Inner X25519CipherPlugin on the resource handlers from this 32-byte seed; the peer data carries its pubkey; needs peer management (--manage-peers; `node`: or --peer).", valueName: "HEX"))
    var x25519Seed: String?

    func validate() throws {
        if innerCipherKey != nil && x25519Seed != nil {
            throw ValidationError("--inner-cipher-key and --x25519-seed are mutually exclusive")
        }
        if let x25519Seed, Hex.decode(x25519Seed)?.count != 32 {
            throw ValidationError("--x25519-seed must be 32 bytes of hex")
        }
    }

    var authPlugin: (any AuthPlugin)? {
        innerHMACSecret.map { HMACAuthPlugin(secret: $0, hmacField: Self.hmacField) }
    }

    /// The X25519 plugin, built once: its public key also goes into the local peer data.
    func x25519Plugin() throws -> X25519CipherPlugin? {
        guard let x25519Seed, let seed = Hex.decode(x25519Seed) else { return nil }
        return try X25519CipherPlugin(seed: seed)
    }

    func cipherPlugin(x25519: X25519CipherPlugin?) -> (any CipherPlugin)? {
        if let innerCipherKey { return Sha256StreamCipherPlugin(key: innerCipherKey, ivField: Self.ivField, encryptURI: false) }
        return x25519
    }
}
