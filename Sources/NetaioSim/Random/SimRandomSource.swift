import NetaioPlugins

/// The random source a simulated node's engine and plugins get: its own xoshiro256**
/// stream, derived from the run seed, the node's index and its incarnation
/// (`SplitMix64.mix(seed, index, incarnation)`), so a node's nonces do not change when
/// faults elsewhere draw more or fewer numbers. Bytes are the words' little-endian bytes.
///
/// A class with unguarded state: a simulated run is single-threaded by design.
public final class SimRandomSource: RandomSource, @unchecked Sendable {
    private var generator: Xoshiro256StarStar
    private var spare: UInt64 = 0
    private var spareBytes = 0

    public init(seed: UInt64) { generator = Xoshiro256StarStar(seed: seed) }

    public func bytes(_ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        var out = [UInt8]()
        out.reserveCapacity(count)
        while out.count < count {
            if spareBytes == 0 {
                spare = generator.next()
                spareBytes = 8
            }
            out.append(UInt8(truncatingIfNeeded: spare))
            spare >>= 8
            spareBytes -= 1
        }
        return out
    }
}
