import ArgumentParser
import NetaioPlugins
import NetaioTapescript

/// `--hmac-secret` / `--cipher-key`: netaio's HMACAuthPlugin and Sha256StreamCipherPlugin
/// as the outer layer of every message (Python: `auth_plugin=` / `cipher_plugin=` on the
/// node; the cipher runs first, the HMAC covers the encrypted body).
/// `--tapescript-seed` replaces the HMAC with netaio.asymmetric's TapescriptAuthPlugin in
/// netaio's README set-up; `--tapescript-lock` checks against another lock.
struct PluginOptions: ParsableArguments {
    @Option(name: .customLong("hmac-secret"), help: "Shared secret for netaio's HMACAuthPlugin (outer layer).")
    var hmacSecret: String?

    @Option(name: .customLong("cipher-key"), help: "Key for netaio's Sha256StreamCipherPlugin (outer layer).")
    var cipherKey: String?

    @Option(
        name: .customLong("tapescript-seed"),
        help: ArgumentHelp(
            "Outer TapescriptAuthPlugin instead of HMAC: a single-signature lock on this Ed25519 seed's verify key, witnesses signed with the seed.",
            valueName: "HEX64"))
    var tapescriptSeed: String?

    @Option(
        name: .customLong("tapescript-lock"),
        help: ArgumentHelp("With --tapescript-seed: check against this lock (tapescript byte code) instead.", valueName: "HEX"))
    var tapescriptLock: String?

    mutating func validate() throws {
        if tapescriptSeed != nil && hmacSecret != nil {
            throw ValidationError("--tapescript-seed and --hmac-secret are both outer auth plugins: pick one")
        }
        if tapescriptLock != nil && tapescriptSeed == nil {
            throw ValidationError("--tapescript-lock needs --tapescript-seed")
        }
        if let tapescriptSeed {
            guard Hex.decode(tapescriptSeed)?.count == 32 else {
                throw ValidationError("--tapescript-seed must be 64 hex digits (a 32-byte Ed25519 seed)")
            }
        }
        if let tapescriptLock, Hex.decode(tapescriptLock) == nil {
            throw ValidationError("--tapescript-lock must be hex")
        }
    }

    var authPlugin: (any AuthPlugin)? {
        if let tapescriptSeed, let seed = Hex.decode(tapescriptSeed),
           let plugin = try? TapescriptAuthPlugin.singleSig(seed: seed) {
            guard let lockHex = tapescriptLock, let lock = Hex.decode(lockHex) else { return plugin }
            return TapescriptAuthPlugin(lock: lock, seed: seed)
        }
        return hmacSecret.map { HMACAuthPlugin(secret: $0) }
    }

    var cipherPlugin: (any CipherPlugin)? { cipherKey.map { Sha256StreamCipherPlugin(key: $0) } }
}
