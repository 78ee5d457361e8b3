/// The case generator's random numbers: SplitMix64 (Steele, Lea, Flood 2014), tiny and
/// fully determined by its seed, so a failing case is named by (seed, iteration).
public struct SplitMix64: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `range` (modulo bias is irrelevant for test-case sizes).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % span)
    }

    public mutating func chance(_ oneIn: Int) -> Bool { int(in: 1...oneIn) == 1 }

    public mutating func bytes(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            var word = next()
            for _ in 0..<min(8, count - out.count) {
                out.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        return out
    }

    /// The seed of iteration `i` of a run seeded with `seed`.
    public static func caseSeed(_ seed: UInt64, iteration: Int) -> UInt64 {
        var g = SplitMix64(seed: seed ^ (UInt64(iteration) &* 0xD6E8_FEB8_6659_FD93))
        return g.next()
    }
}
