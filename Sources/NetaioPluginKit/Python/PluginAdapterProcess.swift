import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Python side of plugin validation: scripts/python/plugin_adapter.py as a
/// subprocess, spoken to in JSON lines (one request, one reply, in order).
///
/// A plugin that kills or hangs the interpreter is a trap, reported as `.crashed`; the
/// adapter is then restarted and the plugins loaded so far are loaded again (same
/// handles), so one crash does not take every later property down with it.
public final class PluginAdapterProcess: @unchecked Sendable {
    public enum CallError: Error, CustomStringConvertible {
        /// Python raised: "ExceptionType: message".
        case raised(String)
        /// The process died, hung past the timeout, or answered something unreadable.
        case crashed(String)

        public var description: String {
            switch self {
            case .raised(let e): "Python raised \(e)"
            case .crashed(let e): e
            }
        }
    }

    public let python: String
    public let script: String
    public let timeout: Double
    private let lock = NSLock()
    private var process: Process?
    private var stdin: FileHandle?
    private var stdoutFD: Int32 = -1
    private var buffer: [UInt8] = []
    private var nextID = 0
    private var stderrURL: URL
    /// `load` requests so far, replayed after a restart.
    private var loads: [[String: Any]] = []

    /// Directories added to the Python import path.
    public let extraPaths: [String]

    public init(python: String, script: String, extraPaths: [String] = [], timeout: Double = 20) throws {
        self.python = python
        self.script = script
        self.extraPaths = extraPaths
        self.timeout = timeout
        stderrURL = FileManager.default.temporaryDirectory.appendingPathComponent("netaio-plugin-adapter-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log")
        try start()
    }

    deinit { stop() }

    private func start() throws {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw CallError.crashed("no Python interpreter at \(python) (run scripts/setup, or pass --python-exe)")
        }
        guard FileManager.default.fileExists(atPath: script) else {
            throw CallError.crashed("no adapter script at \(script)")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [script]
        if !extraPaths.isEmpty {
            var env = ProcessInfo.processInfo.environment
            env["PYTHONPATH"] = (extraPaths + [env["PYTHONPATH"]].compactMap { $0 }).joined(separator: ":")
            p.environment = env
        }
        let input = Pipe(), output = Pipe()
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        p.standardInput = input
        p.standardOutput = output
        p.standardError = try FileHandle(forWritingTo: stderrURL)
        try p.run()
        process = p
        stdin = input.fileHandleForWriting
        stdoutFD = output.fileHandleForReading.fileDescriptor
        buffer = []
        // Keep the pipe object alive with the descriptor.
        outputPipe = output
    }

    private var outputPipe: Pipe?

    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        shutDown()
    }

    private func shutDown() {
        try? stdin?.close()
        if let p = process, p.isRunning {
            p.terminate()
            p.waitUntilExit()
        }
        process = nil
        stdin = nil
        outputPipe = nil
        try? FileManager.default.removeItem(at: stderrURL)
    }

    /// Sends one request; returns the `result`.
    public func call(_ op: String, _ arguments: [String: Any] = [:]) throws(CallError) -> Any {
        lock.lock()
        defer { lock.unlock() }
        if process == nil || process?.isRunning == false { try restart() }
        var request = arguments
        request["op"] = op
        if op == "load" { loads.append(request) }
        return try exchange(request)
    }

    private func restart() throws(CallError) {
        shutDown()
        do { try start() } catch { throw .crashed("could not restart the adapter: \(error)") }
        for load in loads {
            do { _ = try exchange(load) } catch { throw .crashed("reloading a plugin after a restart failed: \(error)") }
        }
    }

    private func exchange(_ request: [String: Any]) throws(CallError) -> Any {
        nextID += 1
        var request = request
        request["id"] = nextID
        guard let data = try? JSONSerialization.data(withJSONObject: request), let stdin else {
            throw .crashed("request is not serialisable")
        }
        do {
            try stdin.write(contentsOf: data + Data([0x0A]))
        } catch {
            throw died("the adapter stopped reading (\(error))")
        }
        let line = try readLine()
        guard let reply = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
            throw died("unreadable reply: \(String(decoding: line.prefix(200), as: UTF8.self))")
        }
        if reply["ok"] as? Bool == true { return reply["result"] ?? NSNull() }
        throw .raised(reply["error"] as? String ?? "unknown error")
    }

    private func readLine() throws(CallError) -> [UInt8] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let nl = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<nl])
                buffer.removeFirst(nl + 1)
                return line
            }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { throw died("no answer within \(timeout) s (the plugin hangs)") }
            var fds = pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&fds, 1, Int32(min(left, 1) * 1000) + 1)
            if ready <= 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = read(stdoutFD, &chunk, chunk.count)
            if n <= 0 { throw died("the adapter process exited") }
            buffer.append(contentsOf: chunk[..<n])
        }
    }

    /// Ends the process and returns a crash error naming what its stderr said last.
    private func died(_ what: String) -> CallError {
        if let p = process, p.isRunning { p.terminate(); p.waitUntilExit() }
        let status = process.map { $0.isRunning ? "" : " (status \($0.terminationStatus))" } ?? ""
        let tail = (try? String(contentsOf: stderrURL, encoding: .utf8)).map { String($0.suffix(400)).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        process = nil
        return .crashed(what + status + (tail.isEmpty ? "" : "; stderr: \(tail)"))
    }
}
