import Foundation
import NetaioTestSupport

/// A long-running `netaio` process (serve, node, subscribe) whose stdout lines are read
/// while it runs. Stopped with SIGTERM; killed on deinit if still alive, so no test
/// leaves a process or port behind.
final class LineProcess: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var buffer = Data()
    private var errBuffer = Data()
    /// stdout and stderr not yet at end of file.
    private var openStreams = 2

    init(_ arguments: [String]) throws {
        process.executableURL = BuiltProducts.url(of: "netaio")
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        out.fileHandleForReading.readabilityHandler = { [weak self] h in
            let d = h.availableData
            guard let self else { return }
            self.lock.lock(); self.buffer.append(d); self.lock.unlock()
            if d.isEmpty { self.ended(h) }
        }
        err.fileHandleForReading.readabilityHandler = { [weak self] h in
            let d = h.availableData
            guard let self else { return }
            self.lock.lock(); self.errBuffer.append(d); self.lock.unlock()
            if d.isEmpty { self.ended(h) }
        }
        try process.run()
    }

    private func ended(_ handle: FileHandle) {
        handle.readabilityHandler = nil
        lock.lock(); openStreams -= 1; lock.unlock()
    }

    /// Both pipes have reached end of file: every line the process wrote is in.
    private var drained: Bool {
        lock.lock(); defer { lock.unlock() }
        return openStreams <= 0
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var lines: [String] {
        lock.lock(); defer { lock.unlock() }
        return String(decoding: buffer, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    var stderr: String {
        lock.lock(); defer { lock.unlock() }
        return String(decoding: errBuffer, as: UTF8.self)
    }

    /// Waits for a stdout line matching `predicate`.
    func waitForLine(timeout: Double = 10, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = lines.first(where: predicate) { return line }
            if !process.isRunning, let line = lines.first(where: predicate) { return line }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        throw LineProcessError.noLine("no matching line; stdout \(lines), stderr \(stderr)")
    }

    /// The `listening on HOST:PORT` address, as text after "listening on ".
    func listening() throws -> String {
        let line = try waitForLine { $0.hasPrefix("listening on ") }
        return String(line.dropFirst("listening on ".count))
    }

    /// SIGTERM (or `signal`), then the exit status; SIGKILL after `timeout`.
    @discardableResult
    func stop(signal: Int32 = SIGTERM, timeout: Double = 5) -> Int32? {
        if process.isRunning { kill(process.processIdentifier, signal) }
        return waitForExit(timeout: timeout)
    }

    /// Exit status, or nil (and SIGKILL) if still running after `timeout`.
    func waitForExit(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        let drainDeadline = Date().addingTimeInterval(2)
        while !drained && Date() < drainDeadline { Thread.sleep(forTimeInterval: 0.005) }
        return process.terminationStatus
    }
}

enum LineProcessError: Error { case noLine(String) }

/// `netaio ARGS...` to completion.
func netaio(_ arguments: String...) throws -> BuiltProducts.Outcome {
    try BuiltProducts.run("netaio", arguments)
}
