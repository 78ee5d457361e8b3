import NetaioScenario

/// What `--transport real` accepts. Real sockets, real time: a scenario must fit in a
/// few minutes of wall clock and a modest number of sockets on a small machine.
public enum RealTransportLimits {
    /// Most nodes (each is one or more sockets, all on one event-loop thread).
    public static let maxNodes = 64
    /// Most wall-clock seconds a run may take (virtual seconds / time scale).
    public static let maxWallSeconds = 300.0
    /// The time scale may compress waits up to this factor. Beyond it, scheduling jitter
    /// (a few ms) and loopback round trips become a visible share of the shortest
    /// deadlines in the fixtures (1 s → 50 ms at ×20).
    public static let maxTimeScale = 20.0

    /// Why the scenario cannot run on real sockets, or nil when it can.
    public static func refusal(_ scenario: Scenario, timeScale: Double) -> String? {
        if !(timeScale >= 1 && timeScale <= maxTimeScale) {
            return "--time-scale must be between 1 and \(Int(maxTimeScale)) (got \(timeScale))"
        }
        if let n = scenario.nodes.first(where: { $0.impl.isExternal }) {
            return "\(n.name) has impl: \(n.impl): external nodes run on the simulator only (--transport sim)"
        }
        if scenario.nodes.count > maxNodes {
            return "\(scenario.nodes.count) nodes: the real transport is limited to \(maxNodes) nodes (run it on the simulator, --transport sim)"
        }
        let end = RealScenarioRun.endTime(scenario)
        let wall = end / timeScale
        if wall > maxWallSeconds {
            let needed = (end / maxWallSeconds).rounded(.up)
            return "the run lasts \(Int(end)) virtual seconds, \(Int(wall)) wall seconds at --time-scale \(timeScale): the real transport is limited to \(Int(maxWallSeconds)) wall seconds"
                + (needed <= maxTimeScale ? " (try --time-scale \(Int(needed)))" : " (run it on the simulator, --transport sim)")
        }
        return nil
    }
}
