import NetaioPlugins

/// Runs a property over many random cases; on a failure shrinks the case to a minimal
/// one that still fails and reports it with the seed and iteration to replay.
public enum Randomized {
    /// `property` returns nil when the case passes, else what went wrong. It gets a fresh
    /// context (seeded random source, fixed clock) per evaluation, the same for a case
    /// and its shrinks, so only the case changes while shrinking.
    public static func check(
        name: String, title: String, options: ValidationOptions, iterations: Int? = nil,
        maxPayload: Int = Body.maximumPayload(),
        property: (MessageCase, CaseContext) -> String?
    ) -> PropertyResult {
        let count = iterations ?? options.iterations
        for i in 0..<count {
            let seed = SplitMix64.caseSeed(options.seed, iteration: i)
            var g = SplitMix64(seed: seed)
            let original = MessageCase.random(&g, maxPayload: maxPayload)
            let context = { CaseContext(seed: seed, clock: options.clock) }
            guard let firstFailure = property(original, context()) else { continue }
            var minimal = original
            var failure = firstFailure
            var steps = 0
            shrinking: while steps < options.maxShrinkSteps {
                for candidate in minimal.shrinks {
                    steps += 1
                    if let f = property(candidate, context()) {
                        minimal = candidate
                        failure = f
                        continue shrinking
                    }
                    if steps >= options.maxShrinkSteps { break shrinking }
                }
                break
            }
            let replay = "seed \(hexSeed(options.seed)), iteration \(i) of \(count) (replay: --seed \(hexSeed(options.seed)))"
            return PropertyResult(
                name: name, title: title, verdict: .fail,
                message: "\(failure) — minimal case: \(minimal)" + (minimal == original ? "" : " (shrunk in \(steps) steps)"),
                replay: replay)
        }
        return PropertyResult(name: name, title: title, verdict: .pass, message: "held for \(count) random cases")
    }

    public static func hexSeed(_ seed: UInt64) -> String { "0x" + String(seed, radix: 16) }
}

/// The injected randomness and clock of one random case: every `fresh` context replays
/// the same random stream, so a case and its shrinks see identical randomness.
public struct CaseContext: Sendable {
    public let seed: UInt64
    public let clock: Double
    public var fresh: PluginContext { PluginContext(random: SeededRandomSource(seed: seed), clock: FixedUnixClock(clock)) }
}
