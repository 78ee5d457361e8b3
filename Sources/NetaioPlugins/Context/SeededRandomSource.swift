import CSodium

/// A deterministic random source for simulations and tests.
///
/// Algorithm (stable; other implementations can reproduce it): the byte stream is the
/// original ChaCha20 keystream (djb's variant, libsodium `crypto_stream_chacha20`: 64-bit
/// nonce, 64-bit block counter starting at 0) under key `SHA-256(seed)` and an all-zero
/// nonce. `bytes(n)` takes the next n bytes of that stream; `integer(in:)` draws
/// big-endian 64-bit words from the same stream with rejection sampling
/// (see `RandomSource.integer(in:)`).
///
/// Not for real traffic: anyone who knows the seed knows every nonce.
public final class SeededRandomSource: RandomSource {
    private struct State {
        var buffer: [UInt8] = []
        var position = 0
        var nextBlock: UInt64 = 0
    }

    private let key: [UInt8]
    private let state = Locked(State())
    private static let blocksPerRefill: UInt64 = 64  // 4 KiB of keystream at a time

    public init(seed: [UInt8]) {
        key = NetaioCrypto.sha256(seed)
    }

    /// Seeds from a number, as its 8 big-endian bytes.
    public convenience init(seed: UInt64) {
        self.init(seed: withUnsafeBytes(of: seed.bigEndian) { Array($0) })
    }

    public func bytes(_ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        return state.withLock { s in
            var out: [UInt8] = []
            out.reserveCapacity(count)
            while out.count < count {
                if s.position == s.buffer.count { refill(&s) }
                let take = min(count - out.count, s.buffer.count - s.position)
                out.append(contentsOf: s.buffer[s.position..<(s.position + take)])
                s.position += take
            }
            return out
        }
    }

    private func refill(_ s: inout State) {
        let length = Int(Self.blocksPerRefill) * 64
        let zeros = [UInt8](repeating: 0, count: length)
        var stream = [UInt8](repeating: 0, count: length)
        let nonce = [UInt8](repeating: 0, count: Int(crypto_stream_chacha20_NONCEBYTES))
        precondition(Sodium.isReady, "libsodium failed to initialise")
        _ = crypto_stream_chacha20_xor_ic(&stream, zeros, UInt64(length), nonce, s.nextBlock, key)
        s.buffer = stream
        s.position = 0
        s.nextBlock &+= Self.blocksPerRefill
    }
}
