extension NetaioCrypto {
    public enum UnsealError: Error, Equatable, Sendable {
        /// Shorter than the 16-byte iv and 32-byte MAC.
        case tooShort(length: Int)
        /// netaio: `Exception("HMAC authentication failed")`.
        case authenticationFailed
    }

    /// `encrypt(key, data, iv=None)`: `(iv, symcrypt(key, iv, data))`; an absent or empty
    /// iv is replaced by 16 bytes from `random` (Python's `iv or urandom(16)`).
    public static func encrypt(key: [UInt8], data: [UInt8], iv: [UInt8]? = nil, random: any RandomSource) -> (iv: [UInt8], ciphertext: [UInt8]) {
        let iv = (iv?.isEmpty ?? true) ? random.bytes(ivSize) : iv!
        return (iv, symcrypt(key: key, iv: iv, data: data))
    }

    /// `decrypt(key, iv, ct) = symcrypt(key, iv, ct)`.
    public static func decrypt(key: [UInt8], iv: [UInt8], ciphertext: [UInt8]) -> [UInt8] {
        symcrypt(key: key, iv: iv, data: ciphertext)
    }

    /// `seal(key, pt) = iv ‖ hmac(key, iv, ct) ‖ ct` with a fresh iv. No plugin uses it.
    public static func seal(key: [UInt8], plaintext: [UInt8], random: any RandomSource) -> [UInt8] {
        let (iv, ct) = encrypt(key: key, data: plaintext, random: random)
        return iv + hmac(key: key, iv: iv, message: ct) + ct
    }

    /// `unseal`: checks the MAC, then decrypts.
    public static func unseal(key: [UInt8], sealed: [UInt8]) throws(UnsealError) -> [UInt8] {
        guard sealed.count >= ivSize + 32 else { throw .tooShort(length: sealed.count) }
        let iv = Array(sealed[0..<ivSize])
        let mac = Array(sealed[ivSize..<(ivSize + 32)])
        let ct = Array(sealed[(ivSize + 32)...])
        guard checkHMAC(key: key, iv: iv, message: ct, mac: mac) else { throw .authenticationFailed }
        return decrypt(key: key, iv: iv, ciphertext: ct)
    }
}
