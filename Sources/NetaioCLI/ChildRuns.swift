import ArgumentParser
import Foundation

/// Copies of this executable run side by side (`--jobs`, `--check-determinism`): each
/// child's standard output goes to a file of its own (no pipe can fill up while another
/// child is being waited for); standard error passes through.
enum ChildRuns {
    struct Finished {
        var status: Int32
        var stdout: Data
    }

    static func run(_ argumentLists: [[String]]) throws -> [Finished] {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("netaio-children-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var running: [(Process, URL)] = []
        for (k, arguments) in argumentLists.enumerated() {
            let out = dir.appendingPathComponent("child-\(k).out")
            _ = FileManager.default.createFile(atPath: out.path, contents: nil)  // a failure shows when the file is opened
            let p = Process()
            p.executableURL = me
            p.arguments = arguments
            p.standardOutput = try FileHandle(forWritingTo: out)
            p.standardError = FileHandle.standardError
            do { try p.run() } catch {
                FileHandle.standardError.write(Data("netaio: cannot start \(me.path): \(error.localizedDescription)\n".utf8))
                running.forEach { $0.0.terminate() }
                throw NetaioExit.usage
            }
            running.append((p, out))
        }
        return running.map { p, out in
            p.waitUntilExit()
            return Finished(status: p.terminationStatus, stdout: FileManager.default.contents(atPath: out.path) ?? Data())
        }
    }
}
