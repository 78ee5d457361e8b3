import Foundation
import NIOCore
import NIOPosix
import NetaioNIO
import NetaioScenario

/// Runs a scenario on real loopback sockets (`netaio scenario run --transport real`):
/// every node is a NetaioNIO node on 127.0.0.1 (::1 for IPv6 addresses) at port 0, the
/// timeline is played against the wall clock (compressed by `timeScale`), expectations
/// are checked against the nodes' real peer tables and request outcomes. Not
/// deterministic: there is no trace hash, and timing-sensitive verdicts can differ
/// between runs. Faults the runner cannot reproduce are listed in a verdict
/// (docs/scenarios.md, "Real transport").
public enum RealScenarioRunner {
    public static func run(_ scenario: Scenario, seed: UInt64, timeScale: Double = 1) async -> RunResult {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let run = RealScenarioRun(scenario, seed: seed, timeScale: timeScale, loop: group.next())
        let result = await run.execute()
        try? await group.shutdownGracefully()
        return result
    }
}
