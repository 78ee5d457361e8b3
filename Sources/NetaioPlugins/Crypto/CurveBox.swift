import CSodium

/// The keys PyNaCl derives from an Ed25519 seed, and NaCl's `crypto_box`.
public struct CurveKeys: Sendable, Equatable {
    /// Ed25519 public key (`SigningKey(seed).verify_key`).
    public let verifyKey: [UInt8]
    /// X25519 private key: clamped `SHA512(seed)[0:32]` (`to_curve25519_private_key`).
    public let privateKey: [UInt8]
    /// X25519 public key (Montgomery form of `verifyKey`).
    public let publicKey: [UInt8]

    public static let seedSize = 32

    public init(seed: [UInt8]) throws(PluginError) {
        guard seed.count == Self.seedSize else { throw .invalidSeed(length: seed.count) }
        guard Sodium.isReady else { throw .sodiumUnavailable }
        var edPublic = [UInt8](repeating: 0, count: Int(crypto_sign_PUBLICKEYBYTES))
        var edSecret = [UInt8](repeating: 0, count: Int(crypto_sign_SECRETKEYBYTES))
        var xSecret = [UInt8](repeating: 0, count: Int(crypto_box_SECRETKEYBYTES))
        var xPublic = [UInt8](repeating: 0, count: Int(crypto_box_PUBLICKEYBYTES))
        defer { sodium_memzero(&edSecret, edSecret.count) }
        guard crypto_sign_seed_keypair(&edPublic, &edSecret, seed) == 0,
              crypto_sign_ed25519_sk_to_curve25519(&xSecret, edSecret) == 0,
              crypto_sign_ed25519_pk_to_curve25519(&xPublic, edPublic) == 0
        else { throw .invalidSeed(length: seed.count) }
        verifyKey = edPublic
        privateKey = xSecret
        publicKey = xPublic
    }
}

/// NaCl `crypto_box` (X25519 → HSalsa20 key, XSalsa20-Poly1305), as PyNaCl's `Box`.
public enum NaClBox {
    public static let nonceSize = Int(crypto_box_NONCEBYTES)  // 24
    public static let tagSize = Int(crypto_box_MACBYTES)  // 16
    public static let keySize = Int(crypto_box_PUBLICKEYBYTES)  // 32

    /// `tag ‖ ciphertext` of `plaintext` from `privateKey` to `publicKey`.
    public static func seal(
        _ plaintext: [UInt8], nonce: [UInt8], to publicKey: [UInt8], from privateKey: [UInt8]
    ) throws(PluginError) -> [UInt8] {
        guard Sodium.isReady else { throw .sodiumUnavailable }
        guard publicKey.count == keySize else { throw .invalidPeerPubkey("\(publicKey.count) bytes, need \(keySize)") }
        guard nonce.count == nonceSize, privateKey.count == keySize else { throw .boxSealFailed }
        var out = [UInt8](repeating: 0, count: plaintext.count + tagSize)
        guard crypto_box_easy(&out, plaintext, UInt64(plaintext.count), nonce, publicKey, privateKey) == 0 else {
            throw .boxSealFailed
        }
        return out
    }

    /// Opens `tag ‖ ciphertext` from the holder of `publicKey` to `privateKey`.
    public static func open(
        _ box: [UInt8], nonce: [UInt8], from publicKey: [UInt8], to privateKey: [UInt8]
    ) throws(PluginError) -> [UInt8] {
        guard Sodium.isReady else { throw .sodiumUnavailable }
        guard publicKey.count == keySize else { throw .invalidPeerPubkey("\(publicKey.count) bytes, need \(keySize)") }
        guard box.count >= tagSize else { throw .ciphertextTooShort(length: box.count, minimum: tagSize) }
        guard nonce.count == nonceSize, privateKey.count == keySize else { throw .boxOpenFailed }
        var out = [UInt8](repeating: 0, count: box.count - tagSize)
        guard crypto_box_open_easy(&out, box, UInt64(box.count), nonce, publicKey, privateKey) == 0 else {
            throw .boxOpenFailed
        }
        return out
    }
}
