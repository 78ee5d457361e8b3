import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process spoken to in JSON lines over its stdin and stdout, one reply per input
/// (docs/external-nodes.md). Its stderr goes to a scratch file whose tail names what went
/// wrong. Blocking reads: the simulator waits for each answer, so nothing runs on another
/// thread and the run stays deterministic; a read that takes longer than `replyTimeout`
/// wall-clock seconds ends the run (a hang guard only: it never changes a result).
final class NodeProcess {
    enum Failure: Error, CustomStringConvertible {
        case spawn(String)
        case exited(String)
        case timedOut(Double)
        case tooLong(Int)

        var description: String {
            switch self {
            case .spawn(let why): "could not start: \(why)"
            case .exited(let why): "the process \(why)"
            case .timedOut(let s): "no reply within \(Int(s)) s"
            case .tooLong(let n): "a reply line longer than \(n) bytes"
            }
        }
    }

    static let maxLineBytes = 64 << 20
    let command: [String]
    let replyTimeout: Double
    private let process = Process()
    private let stdinPipe = Pipe()
    private let stdoutPipe = Pipe()
    private let stderrURL: URL
    private var buffer: [UInt8] = []
    private var start = 0
    private(set) var isRunning = false

    init(command: [String], environment: [String: String], replyTimeout: Double) throws {
        precondition(!command.isEmpty)
        signal(SIGPIPE, SIG_IGN)  // a dead child's stdin must give EPIPE, not kill us
        self.command = command
        self.replyTimeout = replyTimeout
        stderrURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("netaio-node-\(ProcessInfo.processInfo.globallyUniqueString).stderr")
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: try Self.resolve(command[0]))
        process.arguments = Array(command.dropFirst())
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        do {
            try process.run()
        } catch {
            throw Failure.spawn("\(command[0]): \(error.localizedDescription)")
        }
        isRunning = true
    }

    deinit {
        kill()
        try? FileManager.default.removeItem(at: stderrURL)
    }

    /// A bare name is looked up on PATH, as a shell would.
    static func resolve(_ name: String) throws -> String {
        if name.contains("/") { return name }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw Failure.spawn("\(name): not found on PATH")
    }

    /// Writes one line and reads the one-line reply.
    func exchange(_ line: String) throws -> [UInt8] {
        guard isRunning else { throw Failure.exited("is not running") }
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        try writeAll(bytes)
        return try readLine()
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        let fd = stdinPipe.fileHandleForWriting.fileDescriptor
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure.exited(exitText(orElse: "closed its stdin"))
            }
            offset += n
        }
    }

    private func readLine() throws -> [UInt8] {
        let fd = stdoutPipe.fileHandleForReading.fileDescriptor
        var scanned = start
        while true {
            if let nl = buffer[scanned...].firstIndex(of: 0x0A) {
                let line = Array(buffer[start..<nl])
                start = nl + 1
                if start == buffer.count {
                    buffer.removeAll(keepingCapacity: true)
                    start = 0
                }
                return line
            }
            scanned = buffer.count
            if buffer.count - start > Self.maxLineBytes { throw Failure.tooLong(Self.maxLineBytes) }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, Int32(replyTimeout * 1000))
            if ready < 0 {
                if errno == EINTR { continue }
                throw Failure.exited("pipe failed: errno \(errno)")
            }
            if ready == 0 { throw Failure.timedOut(replyTimeout) }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, 65536) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure.exited("stdout failed: errno \(errno)")
            }
            if n == 0 { throw Failure.exited(exitText(orElse: "closed its stdout")) }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }

    private func exitText(orElse text: String) -> String {
        for _ in 0..<50 where process.isRunning { usleep(10_000) }
        guard !process.isRunning else { return text }
        isRunning = false
        return process.terminationReason == .uncaughtSignal
            ? "was killed by signal \(process.terminationStatus)" : "exited with status \(process.terminationStatus)"
    }

    /// Closes stdin and waits up to `grace` seconds for the process to exit, then kills it.
    func finish(grace: Double = 5) {
        guard isRunning else { return }
        try? stdinPipe.fileHandleForWriting.close()
        var waited = 0.0
        while process.isRunning, waited < grace {
            usleep(5_000)
            waited += 0.005
        }
        kill()
    }

    /// SIGKILL, then reap.
    func kill() {
        guard isRunning else { return }
        isRunning = false
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        // Bounded: Foundation reaps the child on its own thread, and an unbounded
        // waitUntilExit() was seen to wait forever for a child that had already exited.
        for _ in 0..<200 where process.isRunning { usleep(10_000) }
        try? stdinPipe.fileHandleForWriting.close()
        try? stdoutPipe.fileHandleForReading.close()
    }

    /// The process's resident memory (kB, from /proc), for benchmarks.
    var residentKilobytes: Int? {
        guard isRunning, let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    /// The last `lines` lines the process wrote to stderr.
    func stderrTail(lines: Int = 12) -> String {
        guard let data = try? Data(contentsOf: stderrURL) else { return "" }
        let text = String(decoding: data.suffix(16 << 10), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
