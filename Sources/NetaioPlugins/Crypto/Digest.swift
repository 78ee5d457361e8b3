import Crypto

/// netaio's crypto primitives (`netaio.crypto`, docs/PROTOCOL.md §4), byte for byte.
/// Everything is SHA-256; none of it is a standard construction, so none of it can be
/// swapped for a library HMAC or cipher.
public enum NetaioCrypto {
    public static let ivSize = 16

    public static func sha256(_ data: some Sequence<UInt8>) -> [UInt8] {
        var hasher = SHA256()
        feed(&hasher, data)
        return Array(hasher.finalize())
    }

    /// `derive_key(p1, …, pn) = SHA256(SHA256(p1) ‖ … ‖ SHA256(pn))`.
    public static func deriveKey(_ parts: [UInt8]...) -> [UInt8] { deriveKey(parts) }

    public static func deriveKey(_ parts: [[UInt8]]) -> [UInt8] {
        var outer = SHA256()
        for part in parts {
            var inner = SHA256()
            feed(&inner, part)
            inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        }
        return Array(outer.finalize())
    }

    /// Feeds contiguous bytes without copying; other sequences are copied once.
    static func feed(_ hasher: inout SHA256, _ data: some Sequence<UInt8>) {
        let done: Void? = data.withContiguousStorageIfAvailable { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        if done == nil { Array(data).withUnsafeBytes { hasher.update(bufferPointer: $0) } }
    }

    static let encLabel: [UInt8] = Array("enc".utf8)
    static let macLabel: [UInt8] = Array("mac".utf8)
    static let encLabelDigest = sha256(encLabel)
    static let macLabelDigest = sha256(macLabel)

    /// `derive_key` from the parts' digests, for callers that cache constant parts' hashes.
    static func deriveKey(digests: [UInt8]...) -> [UInt8] {
        var outer = SHA256()
        for digest in digests { feed(&outer, digest) }
        return Array(outer.finalize())
    }
}
