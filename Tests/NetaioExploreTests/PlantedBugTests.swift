@_spi(PlantedBugs) import NetaioCore
@_spi(PlantedBugs) import NetaioExplore
import NetaioTestSupport
import Testing

/// The explorer and the shrinker are worth what they catch: each deliberate engine bug
/// must be found within 500 seeds and reduced to a scenario of at most 4 nodes.
@Suite(.serialized) struct PlantedBugTests {
    static let seedBudget: UInt64 = 500

    @Test(arguments: PlantedBugs.named.map(\.name))
    func exploreFindsAndShrinkShrinks(_ name: String) async throws {
        try await offThePool {
            let bug = PlantedBugs.named.first { $0.name == name }!.bug
            var found: SeedOutcome?
            for seed in 1...Self.seedBudget {
                let o = try Explorer.explore(seed: seed, profile: .standard, plantedBugs: bug)
                if !o.passed { found = o; break }
            }
            let failure = try #require(found, "explore did not find \(name) in \(Self.seedBudget) seeds")
            print("planted bug \(name): found at seed \(failure.seed) (\(failure.nodes) nodes): \(failure.failures.map(\.name))")
            // The invariant names the bug; an expectation may fail only as its consequence.
            let target = failure.failures.first { $0.name.hasPrefix("invariant:") } ?? failure.failures[0]
            let shrunk = try Shrinker(target: target.name, parallelism: 1, plantedBugs: bug).shrink(failure.yaml)
            print("  shrunk to \(shrunk.after) in \(shrunk.candidatesRun) runs; still fails: \(shrunk.target)")
            #expect(shrunk.after.nodes <= 4, "shrunk to \(shrunk.after):\n\(shrunk.yaml)")
            // The clean engine passes the very same generated scenario.
            #expect(try Explorer.explore(seed: failure.seed, profile: .standard).passed)
        }
    }
}
