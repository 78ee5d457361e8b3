@_spi(PlantedBugs) import NetaioCore
@_spi(PlantedBugs) import NetaioScenario

/// What one explored seed gave.
public struct SeedOutcome: Sendable {
    public var seed: UInt64
    public var passed: Bool
    /// The failed verdicts, in the order the run decided them.
    public var failures: [Verdict]
    public var traceHash: String
    /// SHA-256 (hex) of the generated scenario text: the same seed and profile give the same hash.
    public var scenarioHash: String
    /// The generated scenario file (YAML).
    public var yaml: String
    public var events: UInt64
    public var nodes: Int
}

/// Swarm exploration (docs/exploring.md): each seed generates a whole scenario, which
/// is parsed back from its own text and run on the simulator with every invariant on.
public enum Explorer {
    /// The scenario text for `seed`, parsed. A text the parser refuses is a generator bug.
    public static func generate(seed: UInt64, profile: ExploreProfile) throws(ExploreError) -> (yaml: String, scenario: Scenario) {
        var decisions = SeededDecisions(seed: seed)
        let origin = "netaio scenario explore --seeds \(seed)..\(seed) --profile \(profile.name)"
        let yaml = ScenarioGenerator(profile: profile).yaml(seed: seed, decisions: &decisions, origin: origin)
        return (yaml, try parse(yaml, seed: seed))
    }

    static func parse(_ yaml: String, seed: UInt64) throws(ExploreError) -> Scenario {
        do { return try ScenarioParser.parse(Array(yaml.utf8)) } catch { throw .generatorBug(seed: seed, "\(error)") }
    }

    public static func explore(seed: UInt64, profile: ExploreProfile) throws(ExploreError) -> SeedOutcome {
        let (yaml, scenario) = try generate(seed: seed, profile: profile)
        return outcome(ScenarioRunner.run(scenario, seed: seed), yaml: yaml, nodes: scenario.nodes.count)
    }

    /// `explore` with deliberate engine bugs (the explorer's own tests).
    @_spi(PlantedBugs)
    public static func explore(seed: UInt64, profile: ExploreProfile, plantedBugs: PlantedBugs) throws(ExploreError) -> SeedOutcome {
        let (yaml, scenario) = try generate(seed: seed, profile: profile)
        return outcome(ScenarioRunner.run(scenario, seed: seed, plantedBugs: plantedBugs), yaml: yaml, nodes: scenario.nodes.count)
    }

    static func outcome(_ r: RunResult, yaml: String, nodes: Int) -> SeedOutcome {
        SeedOutcome(
            seed: r.seed, passed: r.passed, failures: r.failures, traceHash: r.traceHash,
            scenarioHash: hex(NetaioCrypto.sha256(Array(yaml.utf8))), yaml: yaml, events: r.eventsProcessed, nodes: nodes)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }
}

/// A share of a seed range: shard `index` of `count` (1-based) takes every `count`-th
/// seed starting at the range's `index`-th, so the shards of one range are disjoint,
/// cover it, and need nothing but these two numbers to agree across machines.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public static let whole = Shard(index: 1, count: 1)

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// `K/N` with 1 ≤ K ≤ N ≤ 100,000.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= 100_000, k >= 1, k <= n else { return nil }
        self.init(index: k, count: n)
    }

    public func seeds(_ range: ClosedRange<UInt64>) -> [UInt64] {
        let first = range.lowerBound.addingReportingOverflow(UInt64(index - 1))
        guard !first.overflow, first.partialValue <= range.upperBound else { return [] }
        return Array(stride(from: first.partialValue, through: range.upperBound, by: UInt64.Stride(count)))
    }

    public var description: String { "\(index)/\(count)" }

    /// This shard split in `parts` (`--jobs`): part j of shard K of N is shard
    /// K + (j-1)·N of N·parts, so the parts together take exactly this shard's seeds.
    public func split(into parts: Int) -> [Shard] {
        (0..<parts).map { Shard(index: index + $0 * count, count: count * parts) }
    }
}
