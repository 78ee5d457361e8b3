/// How long a packet spends on a link, drawn per packet from the run's generator.
/// Only + − × ÷ and sqrt are used (see `DeterministicMath`), so draws are identical everywhere.
public enum LatencyDistribution: Sendable, Equatable {
    case fixed(Double)
    /// Uniform in [low, high).
    case uniform(low: Double, high: Double)
    /// Normal(mean, stddev) clamped at 0, drawn as the sum of 12 uniforms minus 6
    /// (Irwin–Hall: within ±6 σ, no transcendental functions).
    case normal(mean: Double, stddev: Double)
    /// Pareto with scale `minimum` and shape `alpha` (smaller = heavier tail), capped at `maximum`.
    case longTail(minimum: Double, alpha: Double, maximum: Double)

    /// One latency in seconds, ≥ 0.
    public func draw(_ g: inout Xoshiro256StarStar) -> Double {
        switch self {
        case .fixed(let s):
            return max(0, s)
        case .uniform(let low, let high):
            return max(0, low + (high - low) * g.unit())
        case .normal(let mean, let stddev):
            var sum = 0.0
            for _ in 0..<12 { sum += g.unit() }
            return max(0, mean + stddev * (sum - 6))
        case .longTail(let minimum, let alpha, let maximum):
            let u = 1 - g.unit()  // (0, 1]
            let x = minimum * DeterministicMath.exp(-DeterministicMath.log(u) / max(alpha, 0.01))
            return max(0, min(x, maximum))
        }
    }

    /// The typical value, for diagrams and connection set-up.
    public var typical: Double {
        switch self {
        case .fixed(let s): s
        case .uniform(let l, let h): (l + h) / 2
        case .normal(let m, _): m
        case .longTail(let m, _, _): m
        }
    }
}
