/// xoshiro256** 1.0 (Blackman and Vigna), seeded by four SplitMix64 outputs. The one
/// generator of a simulated run: given the same seed it yields the same numbers on every
/// machine, in debug and release, so a seed names a run.
public struct Xoshiro256StarStar: Sendable {
    private var s0, s1, s2, s3: UInt64

    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s0 = sm.next()
        s1 = sm.next()
        s2 = sm.next()
        s3 = sm.next()
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    public mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1): the top 53 bits as a fraction (exact, no rounding).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// True with probability `p` (never for p ≤ 0, always for p ≥ 1, and then no draw is
    /// made, so turning a fault off does not shift the other faults' draws... within a link).
    public mutating func chance(_ p: Double) -> Bool {
        if p <= 0 { return false }
        if p >= 1 { return true }
        return unit() < p
    }

    /// Uniform integer in 0..<n (n > 0), by rejection, so exactly uniform.
    public mutating func below(_ n: UInt64) -> UInt64 {
        precondition(n > 0)
        let limit = UInt64.max - UInt64.max % n
        while true {
            let w = next()
            if w < limit { return w % n }
        }
    }
}
