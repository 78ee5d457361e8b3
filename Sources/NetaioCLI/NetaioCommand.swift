import ArgumentParser

/// The `netaio` reference command line. Other projects' CI scripts against it, so the
/// subcommands, flags, output and exit codes are a stable public interface (README).
@main
struct NetaioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "netaio",
        abstract: "Reference peer, simulator and test harness for the netaio protocol (netaio 0.0.9 wire format).",
        discussion: """
            Exit codes are stable: 0 success, 64 bad arguments, 65 malformed input data, \
            see each subcommand's --help for the others.
            """,
        subcommands: [
            DecodeCommand.self,
            ScenarioCommand.self,
        ]
    )
}
