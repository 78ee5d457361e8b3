import ArgumentParser
import Foundation
import NetaioScenario
import NetaioScenarioReal

/// `netaio scenario run FILE --transport real [--time-scale X]`: the scenario on real
/// loopback sockets (docs/scenarios.md, "Real transport").
extension ScenarioRunCommand {
    func validateTransport() throws {
        guard ["sim", "real"].contains(transport) else { throw ValidationError("--transport takes sim or real") }
        if transport == "sim" && timeScale != 1 { throw ValidationError("--time-scale applies to --transport real only") }
        if transport == "real" {
            if seeds != nil { throw ValidationError("--seeds is for the simulator; a real run is not reproducible by seed") }
            if trace != nil || timeline != nil { throw ValidationError("--trace and --timeline need the simulator's trace (--transport sim)") }
        }
    }

    func runReal(_ scenario: Scenario) async throws {
        if let why = RealTransportLimits.refusal(scenario, timeScale: timeScale) {
            FileHandle.standardError.write(Data("netaio: refused on --transport real: \(why)\n".utf8))
            throw NetaioExit.usage
        }
        let r = await RealScenarioRunner.run(scenario, seed: seed ?? scenario.seed, timeScale: timeScale)
        switch report {
        case "json": print(Reports.json([r]), terminator: "")
        case "junit": print(Reports.junit([r]), terminator: "")
        default:
            if quiet {
                print("\(r.scenario) real transport: \(r.passed ? "PASS" : "FAIL")  (not deterministic)")
                for v in r.failures { print("  FAIL \(v.name): \(v.detail)") }
            } else {
                print(Reports.text(r), terminator: "")
            }
        }
        if !r.passed {
            FileHandle.standardError.write(Data("real runs are not deterministic: run again, or on the simulator with:\n  netaio scenario run \(shellQuoted(file)) --seed \(r.seed)\n".utf8))
            throw ScenarioExit.failed
        }
    }
}
