import Foundation
import NetaioExplore
import NetaioScenario
import NetaioTestSupport
import Testing

/// Shrinking keeps the failure and drops the noise.
@Suite struct ShrinkTests {
    static func fixture(_ path: String) throws -> String {
        var dir = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { dir.deleteLastPathComponent() }
        return try String(contentsOf: dir.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func theNoisy32NodeScenarioShrinksToItsCause() async throws {
        try await offThePool {
            let text = try Self.fixture("Fixtures/explore/noisy-32-nodes.yaml")
            let result = try Shrinker(parallelism: 1).shrink(text)
            #expect(result.before.nodes == 32)
            #expect(result.after.nodes <= 3)
            #expect(result.after.steps <= 2)
            #expect(result.target == "everyone knows everyone")
            // The result is a valid file that still fails the same way, and keeps the cause.
            let small = try ScenarioParser.parse(Array(result.yaml.utf8))
            let run = ScenarioRunner.run(small, seed: result.seed)
            #expect(run.failures.map(\.name) == ["everyone knows everyone"])
            #expect(result.yaml.contains("rotated-too-early"))
        }
    }

    @Test func theResultDoesNotDependOnParallelism() async throws {
        try await offThePool {
            let text = try Self.fixture("Fixtures/explore/mismatch-6-nodes.yaml")
            let one = try Shrinker(parallelism: 1).shrink(text)
            let three = try Shrinker(parallelism: 3).shrink(text)
            #expect(one.yaml == three.yaml)
        }
    }

    @Test func aPassingFileOrAPassingTargetIsRefused() async throws {
        try await offThePool {
            let passing = try Self.fixture("Fixtures/scenarios/01-two-node-udp-discovery.yaml")
            #expect(throws: ShrinkError.passes(seed: 1)) { try Shrinker().shrink(passing) }
            let failing = try Self.fixture("Fixtures/explore/noisy-32-nodes.yaml")
            #expect {
                _ = try Shrinker(target: "requests get through").shrink(failing)
            } throws: { error in
                guard case ShrinkError.targetPasses(let name, _, let failing)? = error as? ShrinkError else { return false }
                return name == "requests get through" && failing == ["everyone knows everyone"]
            }
            #expect { _ = try Shrinker().shrink("nodes: [") } throws: { error in
                if case ShrinkError.invalid? = error as? ShrinkError { true } else { false }
            }
        }
    }
}
