import Foundation
import NetaioTestSupport

/// A peer program (the Swift `netaio` or a scripts/python-peers script) running as a
/// child process. Its stdout is collected line by line on a background thread, so a test
/// can wait for a line with a deadline; the process is always killed at the end (SIGTERM,
/// then SIGKILL after 3 s), also when the test fails early.
final class PeerProcess: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let name: String
    private let process = Process()
    private let condition = NSCondition()
    private var lines: [String] = []
    private var stderrText = Data()
    private var finished = false

    init(_ program: PeerProgram, _ arguments: [String]) throws {
        name = "\(program.executable.lastPathComponent) \(arguments.joined(separator: " "))"
        process.executableURL = program.executable
        process.arguments = program.leadingArguments + arguments
        process.currentDirectoryURL = Fixtures.repositoryRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let reader = Thread { [self] in
            var pending = Data()
            while true {
                let chunk = out.fileHandleForReading.availableData
                condition.lock()
                if chunk.isEmpty {
                    if !pending.isEmpty { lines.append(String(decoding: pending, as: UTF8.self)) }
                    finished = true
                    condition.broadcast()
                    condition.unlock()
                    return
                }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    lines.append(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending = Data(pending[(newline + 1)...])
                }
                condition.broadcast()
                condition.unlock()
            }
        }
        reader.start()
        let errReader = Thread { [self] in
            let data = err.fileHandleForReading.readDataToEndOfFile()
            condition.lock()
            stderrText = data
            condition.unlock()
        }
        errReader.start()
    }

    deinit { stop() }

    var pid: Int32 { process.processIdentifier }

    /// All stdout lines so far.
    var output: [String] {
        condition.lock()
        defer { condition.unlock() }
        return lines
    }

    var stderr: String {
        condition.lock()
        defer { condition.unlock() }
        return String(decoding: stderrText, as: UTF8.self)
    }

    /// Waits for the first stdout line (at or after `index`) satisfying `match`.
    @discardableResult
    func waitForLine(from index: Int = 0, timeout: Double = 10, _ what: String, where match: (String) -> Bool) throws -> (index: Int, line: String) {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        var next = index
        while true {
            while next < lines.count {
                if match(lines[next]) { return (next, lines[next]) }
                next += 1
            }
            if finished || !condition.wait(until: deadline) {
                throw Failure(description: "\(name): no line \(what) within \(timeout)s; stdout: \(lines), exited: \(finished)")
            }
        }
    }

    /// Waits for `listening on HOST:PORT` and returns the port.
    func listeningPort(timeout: Double = 20) throws -> Int {
        let (_, line) = try waitForLine(timeout: timeout, "'listening on HOST:PORT'") { $0.hasPrefix("listening on ") }
        guard let port = line.split(separator: ":").last.flatMap({ Int($0) }) else {
            throw Failure(description: "\(name): bad listening line \(line)")
        }
        return port
    }

    /// SIGTERM, then SIGKILL if it has not exited after `grace` seconds; returns the status.
    @discardableResult
    func stop(grace: Double = 3) -> Int32 {
        if process.isRunning {
            process.terminate()
            let deadline = Date(timeIntervalSinceNow: grace)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Waits for the process to exit by itself (killed after `timeout`).
    func waitForExit(timeout: Double) -> Int32? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            stop(grace: 0.5)
            return nil
        }
        return process.terminationStatus
    }
}
