import Foundation

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
    }

    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer = Data()
    private var nextID = 0
    private let lock = NSLock()

    public static var skipRequested: Bool { ProcessInfo.processInfo.environment["NETAIO_SKIP_PYTHON"] == "1" }

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

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

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
        throw Failure(description: object["error"] as? String ?? "unknown oracle error")
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
