import NetaioSim

/// Where the scenario generator's choices come from: a seeded generator for `explore`,
/// the fuzzer's input bytes for `FuzzSimulation`.
public protocol DecisionSource {
    /// A value in `0..<n` (`n` ≥ 1).
    mutating func below(_ n: Int) -> Int
}

extension DecisionSource {
    /// True with probability `p` (in steps of 1/1000).
    public mutating func chance(_ p: Double) -> Bool {
        guard p > 0 else { return false }
        return below(1000) < Int((p * 1000).rounded())
    }

    /// A value in `low...high`.
    public mutating func between(_ low: Int, _ high: Int) -> Int {
        high <= low ? low : low + below(high - low + 1)
    }

    /// A value in `low...high` in steps of `step`.
    public mutating func between(_ low: Double, _ high: Double, step: Double) -> Double {
        guard high > low, step > 0 else { return low }
        return low + Double(below(Int(((high - low) / step).rounded(.down)) + 1)) * step
    }

    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// A non-empty subset of `items` of at most `max` elements, in their order.
    public mutating func subset<T>(_ items: [T], max: Int) -> [T] {
        let k = between(1, Swift.max(1, Swift.min(max, items.count)))
        // A partial shuffle: one bounded choice per element, so a source that keeps
        // answering 0 (an exhausted fuzz input) still ends. (Drawing until k distinct
        // indices came up never ended then: found by FuzzSimulation.)
        var pool = Array(items.indices)
        var chosen = Set<Int>()
        for _ in 0..<k { chosen.insert(pool.remove(at: below(pool.count))) }
        return items.indices.filter(chosen.contains).map { items[$0] }
    }
}

/// `explore`'s decisions: xoshiro256** seeded from the scenario seed.
public struct SeededDecisions: DecisionSource {
    private var generator: Xoshiro256StarStar

    public init(seed: UInt64) { generator = Xoshiro256StarStar(seed: SplitMix64.mix(0x6578_706C_6F72_6521, seed)) }

    public mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(generator.below(UInt64(n))) }
}

/// The fuzzer's decisions: each choice reads two bytes of the input (little-endian, then
/// reduced modulo `n`), so a mutated byte changes one choice and the ones it steers, not
/// everything after it. An exhausted input answers 0: the smallest choice.
public struct ByteDecisions: DecisionSource {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var consumed: Int { min(position, bytes.count) }

    public mutating func below(_ n: Int) -> Int {
        guard n > 1 else { return 0 }
        guard position < bytes.count else { return 0 }
        var value = Int(bytes[position])
        if position + 1 < bytes.count { value |= Int(bytes[position + 1]) << 8 }
        position += 2
        return value % n
    }
}
