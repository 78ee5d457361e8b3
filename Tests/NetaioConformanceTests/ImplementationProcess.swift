import Foundation
import NetaioConformance
import NetaioWire
import NetaioTestSupport

/// An implementation under test started as a subprocess (`netaio serve`, serve.py, ...):
/// waits for its `listening on HOST:PORT` line and stops it with SIGTERM.
final class ImplementationProcess {
    let process = Process()
    let port: Int

    struct StartFailure: Error, CustomStringConvertible { let description: String }

    init(executable: URL, arguments: [String]) throws {
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let fd = out.fileHandleForReading.fileDescriptor
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        var found: Int?
        while found == nil && Date() < deadline {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 200) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = read(fd, &chunk, chunk.count)
            if n <= 0 { break }
            text += String(decoding: chunk[..<n], as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }), let colon = line.lastIndex(of: ":") {
                found = Int(line[line.index(after: colon)...])
            }
        }
        guard let found else {
            process.terminate()
            throw StartFailure(description: "\(executable.lastPathComponent) \(arguments) printed no listening line: \(text)")
        }
        port = found
    }

    /// SIGTERM, then SIGKILL after 0.5 s: a child started from a test thread inherits its
    /// blocked signal mask, so SIGTERM may stay pending forever (seen with serve.py).
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(0.5)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// One configuration of runs.json.
struct ConformanceRun {
    let name: String
    let program: String
    let flags: [String]
    let pythonOnly: Bool
    let config: ConformanceConfig
    let selection: ConformanceSelection

    static func all() throws -> [ConformanceRun] {
        let data = try Data(contentsOf: Fixtures.url("Fixtures/conformance/runs.json"))
        let root = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        return (root["runs"] as! [[String: Any]]).map { r in
            let suite = r["suite"] as? [String: Any] ?? [:]
            var c = ConformanceConfig()
            c.hmacSecret = suite["hmac_secret"] as? String
            c.tapescriptSeed = (suite["tapescript_seed"] as? String).flatMap { Hex.decode($0) }
            c.cipherKey = suite["cipher_key"] as? String
            c.innerHMACSecret = suite["inner_hmac_secret"] as? String
            c.innerCipherKey = suite["inner_cipher_key"] as? String
            c.x25519 = suite["x25519"] as? Bool ?? false
            c.managePeers = suite["manage_peers"] as? Bool ?? false
            c.silence = 0.3
            c.replyTimeout = 3
            var s = ConformanceSelection()
            s.groups = Set((r["groups"] as? [String] ?? []).compactMap(CaseGroup.init(rawValue:)))
            return ConformanceRun(
                name: r["name"] as! String, program: r["program"] as! String, flags: r["flags"] as? [String] ?? [],
                pythonOnly: r["python_only"] as? Bool ?? false, config: c, selection: s)
        }
    }

    var transport: String { program == "serve" ? "tcp" : "udp" }

    /// Starts the implementation, runs the selected cases, stops it.
    func run(executable: URL, prefix: [String]) throws -> ConformanceReport {
        let iut = try ImplementationProcess(executable: executable, arguments: prefix + ["--host", "127.0.0.1", "--port", "0"] + flags)
        defer { iut.stop() }
        let target = ConformanceTarget("\(transport)://127.0.0.1:\(iut.port)")!
        return ConformanceRunner.run(target, config: config, selection: selection)
    }
}
