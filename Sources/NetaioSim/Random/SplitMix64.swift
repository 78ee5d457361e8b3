/// SplitMix64 (Steele, Lea, Flood 2014; Vigna's reference constants). Used only to expand
/// a 64-bit seed into generator states, as xoshiro's authors recommend.
public struct SplitMix64: Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// One mixed word from several inputs: a stable way to name a derived stream
    /// (e.g. "node 7, incarnation 2" of run seed 42).
    public static func mix(_ words: UInt64...) -> UInt64 {
        var sm = SplitMix64(seed: 0)
        var out: UInt64 = 0
        for w in words {
            sm = SplitMix64(seed: sm.state ^ w ^ out)
            out = sm.next()
        }
        return out
    }
}
