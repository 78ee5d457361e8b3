import Foundation
import NetaioTestSupport

/// How to start a program: the executable plus arguments that come before ours (the
/// Python interpreter is the executable for the scripts).
struct PeerProgram {
    let executable: URL
    let leadingArguments: [String]
}

/// The two implementations of the `netaio` command-line interface: the Swift executable
/// and the scripts on the real Python netaio 0.0.9 (scripts/python-peers/README.md).
enum Implementation: String, CaseIterable, CustomStringConvertible, Sendable {
    case swift, python

    var description: String { rawValue }

    private static func python(_ script: String) -> PeerProgram {
        PeerProgram(executable: PythonOracle.pythonPath,
                    leadingArguments: [Fixtures.url("scripts/python-peers/\(script)").path])
    }

    private static var netaio: URL { BuiltProducts.url(of: "netaio") }

    /// `netaio serve` / serve.py.
    var server: PeerProgram {
        switch self {
        case .swift: PeerProgram(executable: Self.netaio, leadingArguments: ["serve"])
        case .python: Self.python("serve.py")
        }
    }

    /// `netaio node` / node.py.
    var node: PeerProgram {
        switch self {
        case .swift: PeerProgram(executable: Self.netaio, leadingArguments: ["node"])
        case .python: Self.python("node.py")
        }
    }

    /// `netaio COMMAND URL URI ...` / client.py COMMAND URL URI ...
    var client: PeerProgram {
        switch self {
        case .swift: PeerProgram(executable: Self.netaio, leadingArguments: [])
        case .python: Self.python("client.py")
        }
    }
}

/// One run of a client command: exit status and stdout lines.
struct ClientOutcome: CustomStringConvertible {
    let status: Int32?
    let lines: [String]
    let stderr: String

    var description: String { "exit \(status.map(String.init) ?? "killed") stdout \(lines) stderr \(stderr)" }

    /// The reply line (`TYPE[ CONTENT]`), the last line printed.
    var reply: String? { lines.last }
}

extension Implementation {
    /// Runs a client command to completion (killed after `limit` seconds).
    func run(_ command: String, _ url: String, _ uri: String, _ flags: [String] = [], limit: Double = 20) throws -> ClientOutcome {
        let process = try PeerProcess(client, [command, url, uri] + flags)
        let status = process.waitForExit(timeout: limit)
        _ = try? process.waitForLine(timeout: 1, "end of output") { _ in false }
        return ClientOutcome(status: status, lines: process.output, stderr: process.stderr)
    }
}

/// Exit codes of Sources/NetaioCLI/ExitCodes.swift (and client.py).
enum Exit {
    static let ok: Int32 = 0
    static let errorReply: Int32 = 1
    static let timeout: Int32 = 2
    static let connectionFailed: Int32 = 3
}

/// A free port for a test that must name a port nobody listens on.
func unusedTCPPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
