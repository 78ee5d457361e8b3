import ArgumentParser
import NetaioPlugins

/// `--hmac-secret` / `--cipher-key`: netaio's HMACAuthPlugin and Sha256StreamCipherPlugin
/// as the outer layer of every message (Python: `auth_plugin=` / `cipher_plugin=` on the
/// node; the cipher runs first, the HMAC covers the encrypted body).
struct PluginOptions: ParsableArguments {
    @Option(name: .customLong("hmac-secret"), help: "Shared secret for netaio's HMACAuthPlugin (outer layer).")
    var hmacSecret: String?

    @Option(name: .customLong("cipher-key"), help: "Key for netaio's Sha256StreamCipherPlugin (outer layer).")
    var cipherKey: String?

    var authPlugin: (any AuthPlugin)? { hmacSecret.map { HMACAuthPlugin(secret: $0) } }
    var cipherPlugin: (any CipherPlugin)? { cipherKey.map { Sha256StreamCipherPlugin(key: $0) } }
}
