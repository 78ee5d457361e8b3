import ArgumentParser

/// `netaio scenario …`: scenario files on the deterministic simulator (docs/scenarios.md).
struct ScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Run scenario files on the deterministic simulated network (or on real loopback sockets, --transport real).",
        subcommands: [
            ScenarioRunCommand.self, ScenarioCheckCommand.self, ScenarioExploreCommand.self, ScenarioGenerateCommand.self,
            ScenarioMergeReportsCommand.self, ScenarioShrinkCommand.self,
        ]
    )
}

enum ScenarioExit {
    /// An expectation or invariant failed.
    static let failed = ExitCode(1)
}
