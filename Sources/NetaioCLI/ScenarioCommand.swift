import ArgumentParser

/// `netaio scenario …`: scenario files on the deterministic simulator (docs/scenarios.md).
struct ScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Run scenario files on the deterministic simulated network (or on real loopback sockets, --transport real).",
        subcommands: [
            ScenarioRunCommand.self, ScenarioCheckCommand.self, ScenarioExploreCommand.self, ScenarioGenerateCommand.self,
            ScenarioMergeReportsCommand.self, ScenarioShrinkCommand.self, ScenarioCheckNodeCommand.self,
        ]
    )
}

enum ScenarioExit {
    /// An expectation or invariant failed.
    static let failed = ExitCode(1)
    /// The run itself broke: an external node could not start, broke its contract or died.
    static let runError = ExitCode(3)
}
