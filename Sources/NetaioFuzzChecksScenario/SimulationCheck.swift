import NetaioExplore
import NetaioFuzzChecks
import NetaioScenario

extension FuzzCheck {
    /// The input bytes are the generator's decisions (topology, plugins, faults, the
    /// timeline; `ByteDecisions`: two bytes per choice, so a mutated byte changes one
    /// choice) and the simulator's seed (the first choice): every generated scenario must
    /// be valid and pass every invariant and liveness expectation on the clean engine.
    public static let simulation = FuzzCheck("FuzzSimulation") { input throws(FuzzFailure) in
        let (yaml, seed) = SimulationFuzz.scenario(for: input)
        let scenario: Scenario
        do { scenario = try ScenarioParser.parse(Array(yaml.utf8)) } catch {
            throw FuzzFailure("the generator wrote an invalid scenario: \(error)\n\(yaml)")
        }
        let result = ScenarioRunner.run(scenario, seed: seed)
        guard result.passed else {
            throw FuzzFailure("seed \(seed): " + result.failures.map { "\($0.name): \($0.detail)" }.joined(separator: "; ") + "\n\(yaml)")
        }
    }
}

/// What FuzzSimulation runs for an input: the scenario text and its seed, so a finding
/// can be written out as a file that `netaio scenario run` and `shrink` take.
public enum SimulationFuzz {
    public static func scenario(for input: [UInt8]) -> (yaml: String, seed: UInt64) {
        var decisions = ByteDecisions(input)
        let seed = UInt64(decisions.below(65_536)) + 1
        let yaml = ScenarioGenerator(profile: .tiny).yaml(seed: seed, decisions: &decisions, origin: "FuzzSimulation (an input of \(input.count) bytes)")
        return (yaml, seed)
    }
}
