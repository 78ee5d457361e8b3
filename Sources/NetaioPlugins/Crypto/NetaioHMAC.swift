import Crypto

extension NetaioCrypto {
    /// netaio's `hmac(key, iv, message)`: an HMAC shape with block size 136 (not SHA-256's
    /// 64) over the derived key `K = derive_key(key, iv, "mac")`:
    /// `SHA256((K' ⊕ 0x36…) ‖ SHA256((K' ⊕ 0x5c…)…))`, K' = K zero-padded to 136 bytes.
    public static func hmac(key: [UInt8], iv: [UInt8], message: [UInt8]) -> [UInt8] {
        hmac(key: key, iv: iv, parts: [message])
    }

    /// The same MAC over the concatenation of `parts`, without concatenating them.
    public static func hmac(key: [UInt8], iv: [UInt8], parts: [[UInt8]]) -> [UInt8] {
        hmac(keyDigest: sha256(key), iv: iv, parts: parts)
    }

    /// The MAC with `SHA256(key)` given: plugins hash their fixed key once, not per message.
    static func hmac(keyDigest: [UInt8], iv: [UInt8], parts: [[UInt8]]) -> [UInt8] {
        let k = deriveKey(digests: keyDigest, sha256(iv), macLabelDigest)
        var inner = SHA256()
        feed(&inner, padded(k, with: 0x36))
        for part in parts { feed(&inner, part) }
        var outer = SHA256()
        feed(&outer, padded(k, with: 0x5c))
        inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        return Array(outer.finalize())
    }

    /// `check_hmac`: recomputes the MAC and compares in constant time. A MAC of any
    /// length but 32 is false.
    public static func checkHMAC(key: [UInt8], iv: [UInt8], message: [UInt8], mac: [UInt8]) -> Bool {
        constantTimeEquals(hmac(key: key, iv: iv, message: message), mac)
    }

    static func checkHMAC(keyDigest: [UInt8], iv: [UInt8], parts: [[UInt8]], mac: [UInt8]) -> Bool {
        constantTimeEquals(hmac(keyDigest: keyDigest, iv: iv, parts: parts), mac)
    }

    /// Equality whose running time depends only on the lengths, never on where the bytes
    /// differ. Different lengths are unequal (the length itself is not secret).
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    private static let hmacBlockSize = 136

    private static func padded(_ key: [UInt8], with pad: UInt8) -> [UInt8] {
        var block = [UInt8](repeating: pad, count: hmacBlockSize)
        for i in key.indices { block[i] = key[i] ^ pad }
        return block
    }
}
