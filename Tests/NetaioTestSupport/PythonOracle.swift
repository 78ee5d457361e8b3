import Foundation
import Testing

/// A long-lived subprocess running the real Python netaio 0.0.9 (scripts/python/oracle.py),
/// spoken to in JSON lines. Tests use it to compare our bytes with the reference's.
///
/// When the project venv is missing the oracle refuses to start with a message naming the
/// fix; only NETAIO_SKIP_PYTHON=1 turns that into a skip, so CI never skips silently.
public final class PythonOracle: @unchecked Sendable {
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        /// True when Python raised (the description is "ExceptionType: message").
        public var fromPython = false
        public init(description: String, fromPython: Bool = false) {
            self.description = description
            self.fromPython = fromPython
        }
    }

    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer = Data()
    private var nextID = 0
    private let lock = NSLock()

    /// Python raised: `error` is "ExceptionType: message" (from `call(_:_:)`).
    public struct PythonError: Error, CustomStringConvertible {
        public let error: String
        public var description: String { "Python raised \(error)" }
    }

    public static var skipRequested: Bool { ProcessInfo.processInfo.environment["NETAIO_SKIP_PYTHON"] == "1" }

    /// For `@Suite(.enabled(if: PythonOracle.enabled, PythonOracle.skipReason))`: false only
    /// when NETAIO_SKIP_PYTHON=1, and then it says so.
    public static let enabled: Bool = {
        if skipRequested { print("⚠︎ NETAIO_SKIP_PYTHON=1: skipping live interop tests against Python netaio") }
        return !skipRequested
    }()

    public static let skipReason: Comment = "NETAIO_SKIP_PYTHON=1 set: live interop with Python netaio skipped"

    /// Starts the oracle (throws `Unavailable`, naming scripts/setup, without the venv).
    public static func start() throws -> PythonOracle { try PythonOracle() }

    /// Ends the subprocess (also done on deinit).
    public func close() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.waitUntilExit() }
    }

    /// Calls `op` and returns its result (NSNull for null); a Python exception is `PythonError`.
    public func call(_ op: String, _ arguments: [String: Any] = [:]) throws -> Any {
        var request = arguments
        request["op"] = op
        do {
            return try call(request) ?? NSNull()
        } catch let failure as Failure where failure.fromPython {
            throw PythonError(error: failure.description)
        }
    }

    /// `call` for ops that return `{"hex": ...}`.
    public func hex(_ op: String, _ arguments: [String: Any]) throws -> [UInt8] {
        guard let result = try call(op, arguments) as? [String: Any], let bytes = hexBytes(result["hex"]) else {
            throw Failure(description: "\(op): no hex in the result")
        }
        return bytes
    }

    public static var pythonPath: URL { Fixtures.url(".venv/bin/python") }

    /// Starts the oracle, or throws `Unavailable` explaining how to set it up.
    public init(script: String = "scripts/python/oracle.py") throws {
        guard FileManager.default.isExecutableFile(atPath: Self.pythonPath.path) else {
            throw Unavailable(description: "Python reference not installed: \(Self.pythonPath.path) is missing. Run scripts/setup (or set NETAIO_SKIP_PYTHON=1 to skip the live cross-checks).")
        }
        process.executableURL = Self.pythonPath
        process.arguments = [Fixtures.url(script).path]
        process.currentDirectoryURL = Fixtures.repositoryRoot
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        let pong = try call(["op": "ping"])
        guard pong as? String == "pong" else { throw Unavailable(description: "oracle answered \(String(describing: pong)) to ping") }
    }

    deinit { close() }

    /// Sends one request and returns its `result`; a Python exception becomes `Failure`.
    @discardableResult
    public func call(_ request: [String: Any]) throws -> Any? {
        lock.lock()
        defer { lock.unlock() }
        nextID += 1
        var request = request
        request["id"] = nextID
        var line = try JSONSerialization.data(withJSONObject: request)
        line.append(0x0A)
        try input.fileHandleForWriting.write(contentsOf: line)
        let reply = try readLine()
        guard let object = try JSONSerialization.jsonObject(with: reply, options: [.fragmentsAllowed]) as? [String: Any] else {
            throw Failure(description: "oracle reply is not an object")
        }
        guard object["id"] as? Int == nextID else { throw Failure(description: "oracle reply out of order: \(object)") }
        if object["ok"] as? Bool == true { return object["result"] }
        throw Failure(description: object["error"] as? String ?? "unknown oracle error", fromPython: true)
    }

    /// Like `call`, but a Python exception is returned as `.failure(message)`.
    public func outcome(_ request: [String: Any]) throws -> Result<Any?, Failure> {
        do {
            return .success(try call(request))
        } catch let failure as Failure {
            return .failure(failure)
        }
    }

    private func readLine() throws -> Data {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = Data(buffer[(newline + 1)...])
                return Data(line)
            }
            // availableData returns as soon as anything arrives (read(upToCount:) waits for all of it).
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else {
                throw Failure(description: "oracle exited (status \(process.isRunning ? -1 : process.terminationStatus))")
            }
            buffer.append(chunk)
        }
    }
}
