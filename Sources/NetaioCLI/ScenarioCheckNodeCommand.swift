import ArgumentParser
import Foundation
import NetaioPluginKit
import NetaioScenario

/// `netaio scenario check-node -- COMMAND…`: the external-node contract checker.
struct ScenarioCheckNodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-node",
        abstract: "Check an external-node adapter (any implementation) against the simulator's contract.",
        discussion: """
            Runs small scenarios in which the adapter's nodes meet ours: start-up and timers, \
            UDP discovery and requests both ways, two of its own nodes with HMAC (and one with \
            another secret kept out), a TCP server and a TCP client, crash and restart, loss \
            and duplication. The determinism checks run a scenario twice and demand the same \
            trace hash, and again with state queries (which must be read-only). Each failure \
            says which expectation failed or which rule of the contract the adapter broke, with \
            the end of its stderr. The contract: docs/external-nodes.md.

            Examples:
              netaio scenario check-node --python
              netaio scenario check-node -- ./my-adapter --verbose
              netaio scenario check-node --only CN-04 -- node adapter.js

            Exit codes: 0 every check passed, 1 a check failed, 64 bad arguments.
            """)

    @Flag(help: "Check the bundled Python adapter (scripts/python-sim/netaio_node.py, the real netaio 0.0.9).")
    var python = false

    @Option(name: .customLong("python-exe"), help: "The Python for --python (default: .venv/bin/python of the project).")
    var pythonExe: String?

    @Option(help: "Run only these checks (comma-separated ids, e.g. CN-02,CN-04).")
    var only: String?

    @Option(help: "Wall-clock seconds the adapter may take to answer one input (a hang guard).")
    var replyTimeout: Double = 30

    @Flag(help: "List the checks and exit.")
    var list = false

    @Argument(parsing: .postTerminator, help: "The adapter's command line, after --.")
    var command: [String] = []

    func validate() throws {
        if list { return }
        if python == !command.isEmpty { throw ValidationError("give --python or an adapter command after --, e.g. check-node -- ./my-adapter") }
        if let only {
            let known = Set(NodeContractCheck.ids.map(\.id))
            for id in only.split(separator: ",") where !known.contains(String(id)) {
                throw ValidationError("unknown check \(id); --list shows them")
            }
        }
        guard replyTimeout > 0, replyTimeout <= 3600 else { throw ValidationError("--reply-timeout takes 0 < S ≤ 3600") }
    }

    func run() throws {
        if list {
            for c in NodeContractCheck.ids { print("\(c.id)  \(c.title)") }
            return
        }
        var argv = command
        if python {
            let options = ScenarioRunCommand.externalOptions(file: ".", pythonExe: pythonExe)
            guard let p = options.python else {
                FileHandle.standardError.write(Data("netaio: --python needs the project's .venv with netaio 0.0.9 and scripts/python-sim/netaio_node.py (run scripts/setup, or pass --python-exe)\n".utf8))
                throw NetaioExit.usage
            }
            argv = p
        }
        let options = ExternalNodeOptions(python: nil, baseDirectory: FileManager.default.currentDirectoryPath, replyTimeout: replyTimeout)
        let outcomes = NodeContractCheck.run(
            command: argv, options: options, only: Set((only ?? "").split(separator: ",").map(String.init))
        ) { FileHandle.standardError.write(Data("  \($0)\n".utf8)) }
        for o in outcomes {
            print("\(o.passed ? "PASS" : "FAIL")  \(o.id)  \(o.title)")
            if !o.passed { print("      " + o.detail.split(separator: "\n").joined(separator: "\n      ")) }
        }
        let failed = outcomes.filter { !$0.passed }.count
        print("\(outcomes.count - failed) passed, \(failed) failed")
        if failed > 0 { throw ScenarioExit.failed }
    }
}
