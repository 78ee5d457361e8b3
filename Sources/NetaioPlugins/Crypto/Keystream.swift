import Crypto

extension NetaioCrypto {
    /// `keystream(key, iv, length, start)`: with `k = derive_key(key, iv, "enc")`, block i
    /// is `SHA256(k ‖ u32_be(i))`; returns `length` bytes of the concatenation from byte
    /// offset `start`. The counter is a u32, as in Python (which raises past 2^32 blocks,
    /// 128 GiB; we wrap — unreachable for 64 KiB bodies).
    public static func keystream(key: [UInt8], iv: [UInt8], length: Int, start: Int = 0) -> [UInt8] {
        precondition(length >= 0 && start >= 0, "keystream length and start must not be negative")
        var out = [UInt8](repeating: 0, count: length)
        xorKeystream(into: &out, key: key, iv: iv, start: start)
        return out
    }

    /// `symcrypt(key, iv, data) = data XOR keystream(key, iv, len(data))`; its own inverse.
    public static func symcrypt(key: [UInt8], iv: [UInt8], data: [UInt8]) -> [UInt8] {
        var out = data
        xorKeystream(into: &out, key: key, iv: iv, start: 0)
        return out
    }

    /// XORs the keystream starting at byte `start` into `buffer`, one SHA-256 block at a
    /// time, with no intermediate keystream array.
    static func xorKeystream(into buffer: inout [UInt8], key: [UInt8], iv: [UInt8], start: Int) {
        guard !buffer.isEmpty else { return }
        var blockInput = deriveKey(key, iv, encLabel) + [0, 0, 0, 0]  // k ‖ u32 counter
        var counter = UInt32(truncatingIfNeeded: start / 32)
        var skip = start % 32
        buffer.withUnsafeMutableBufferPointer { out in
            var position = 0
            while position < out.count {
                blockInput[32] = UInt8(truncatingIfNeeded: counter >> 24)
                blockInput[33] = UInt8(truncatingIfNeeded: counter >> 16)
                blockInput[34] = UInt8(truncatingIfNeeded: counter >> 8)
                blockInput[35] = UInt8(truncatingIfNeeded: counter)
                var hasher = SHA256()
                blockInput.withUnsafeBytes { hasher.update(bufferPointer: $0) }
                let digest = hasher.finalize()
                digest.withUnsafeBytes { block in
                    let take = min(32 - skip, out.count - position)
                    for i in 0..<take { out[position + i] ^= block[skip + i] }
                    position += take
                }
                skip = 0
                counter &+= 1
            }
        }
    }
}
