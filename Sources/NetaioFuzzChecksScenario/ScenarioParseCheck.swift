import NetaioFuzzChecks
import NetaioScenario

extension FuzzCheck {
    /// Scenario files (YAML or JSON): `ScenarioParser.parse` never traps, and what it
    /// accepts is self-consistent: a positive duration, at most `maxNodes` nodes with
    /// unique names that `nodeIndex` maps back, connections to existing nodes, a timeline
    /// in time order; parsing the same bytes twice gives the same scenario.
    public static let scenarioParse = FuzzCheck("FuzzScenarioParse") { input throws(FuzzFailure) in
        guard let scenario = try? ScenarioParser.parse(input) else { return }
        try check(scenario.duration > 0, "accepted a non-positive duration \(scenario.duration)")
        try check(scenario.nodes.count <= ScenarioParser.maxNodes, "accepted \(scenario.nodes.count) nodes")
        try check(Set(scenario.nodes.map(\.name)).count == scenario.nodes.count, "node names are not unique")
        for (i, node) in scenario.nodes.enumerated() {
            try check(scenario.nodeIndex[node.name] == i, "nodeIndex does not map \(node.name) to \(i)")
            try check(node.connect.allSatisfy { scenario.nodes.indices.contains($0) }, "\(node.name) connects to a missing node")
        }
        try check(zip(scenario.timeline, scenario.timeline.dropFirst()).allSatisfy { $0.at <= $1.at }, "timeline out of order")
        guard let again = try? ScenarioParser.parse(input) else { throw FuzzFailure("parsing the same bytes twice: accepted, then refused") }
        try check(again.name == scenario.name && again.seed == scenario.seed && again.nodes.map(\.name) == scenario.nodes.map(\.name)
                    && again.timeline.count == scenario.timeline.count && again.expectations.count == scenario.expectations.count,
                  "parsing the same bytes twice gives different scenarios")
    }

    private static func check(_ condition: Bool, _ message: @autoclosure () -> String) throws(FuzzFailure) {
        if !condition { throw FuzzFailure(message()) }
    }
}
