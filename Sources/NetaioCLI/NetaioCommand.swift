import ArgumentParser

/// The `netaio` reference command line. Other projects' CI scripts against it, so the
/// subcommands, flags, output and exit codes are a stable public interface (README).
@main
struct NetaioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "netaio",
        abstract: "Reference peer, simulator and test harness for the netaio protocol (netaio 0.0.9 wire format).",
        discussion: """
            Exit codes are stable: 0 success, 1 error reply, 2 timeout, 3 connection failure, \
            64 bad arguments, 65 malformed input data, 66 unreadable input file; see each \
            subcommand's --help.
            """,
        subcommands: [
            DecodeCommand.self,
            ServeCommand.self,
            NodeCommand.self,
            RequestCommand.self,
            CreateCommand.self,
            UpdateCommand.self,
            DeleteCommand.self,
            PublishCommand.self,
            SubscribeCommand.self,
            ValidatePluginCommand.self,
            ScenarioCommand.self,
            ConformanceCommand.self,
        ]
    )
}
