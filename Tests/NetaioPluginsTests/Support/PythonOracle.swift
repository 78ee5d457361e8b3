import Foundation
import Testing

/// The real Python netaio behind `scripts/python/oracle.py` (JSON lines over a pipe),
/// for live interop tests. One process per test; `close()` (or deinit) ends it.
///
/// The venv comes from `scripts/setup`. Without it, `start()` throws an error telling
/// you to run it — the tests fail rather than skip silently — unless
/// NETAIO_SKIP_PYTHON=1, which skips them with a printed reason (see `enabled`).
final class PythonOracle {
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Python raised: `error` is "ExceptionType: message".
    struct PythonError: Error, CustomStringConvertible {
        let error: String
        var description: String { "Python raised \(error)" }
    }

    static let skipVariable = "NETAIO_SKIP_PYTHON"

    /// Whether live interop tests run; prints why when they do not.
    static let enabled: Bool = {
        if ProcessInfo.processInfo.environment[skipVariable] == "1" {
            print("⚠︎ \(skipVariable)=1: skipping live interop tests against Python netaio")
            return false
        }
        return true
    }()

    static let skipReason: Comment = "\(skipVariable)=1 set: live interop with Python netaio skipped"

    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer: [UInt8] = []
    private var nextID = 0

    static func start() throws -> PythonOracle {
        let root = Fixtures.repositoryRoot
        let python = root.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw Failure(description: """
                Python reference venv not found at \(python.path). Run scripts/setup to create it \
                (or set \(skipVariable)=1 to skip the live interop tests).
                """)
        }
        return try PythonOracle(python: python, root: root)
    }

    private init(python: URL, root: URL) throws {
        process.executableURL = python
        process.arguments = [root.appendingPathComponent("scripts/python/oracle.py").path]
        process.currentDirectoryURL = root
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit { close() }

    func close() {
        guard process.isRunning else { return }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Sends one request and returns its `result`; throws `PythonError` when Python raised.
    func call(_ op: String, _ arguments: [String: Any] = [:]) throws -> Any {
        nextID += 1
        var request = arguments
        request["id"] = nextID
        request["op"] = op
        var line = try JSONSerialization.data(withJSONObject: request)
        line.append(0x0A)
        try input.fileHandleForWriting.write(contentsOf: line)
        let response = try JSONSerialization.jsonObject(with: Data(try readLine())) as? [String: Any] ?? [:]
        guard response["id"] as? Int == nextID else { throw Failure(description: "oracle answered out of order: \(response)") }
        if response["ok"] as? Bool == true { return response["result"] ?? NSNull() }
        throw PythonError(error: response["error"] as? String ?? "unknown error")
    }

    /// `call` for ops that return `{"hex": ...}`.
    func hex(_ op: String, _ arguments: [String: Any]) throws -> [UInt8] {
        guard let result = try call(op, arguments) as? [String: Any], let bytes = hexBytes(result["hex"]) else {
            throw Failure(description: "\(op): no hex in the result")
        }
        return bytes
    }

    private func readLine() throws -> [UInt8] {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeFirst(newline + 1)
                return line
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw Failure(description: "the Python oracle exited (see scripts/python/oracle.py)") }
            buffer.append(contentsOf: chunk)
        }
    }
}
