/// Knobs shared by every contract run.
public struct ValidationOptions: Sendable {
    /// Seed of every random case and every injected random source. Printed with each
    /// randomized failure, so a run can be replayed exactly.
    public var seed: UInt64
    /// Random cases per randomized property.
    public var iterations: Int
    /// Upper bound on shrinking attempts for one failure.
    public var maxShrinkSteps: Int
    /// The fixed clock reading plugins see (Unix seconds).
    public var clock: Double

    public static let defaultSeed: UInt64 = 0x6E65_7461_696F  // "netaio"

    public init(seed: UInt64 = defaultSeed, iterations: Int = 100, maxShrinkSteps: Int = 400, clock: Double = 1_700_000_000.25) {
        self.seed = seed
        self.iterations = max(1, iterations)
        self.maxShrinkSteps = maxShrinkSteps
        self.clock = clock
    }
}
