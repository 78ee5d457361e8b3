import Foundation

/// Runs the package's built executables (`netaio`, …) the way a user does, for tests of
/// exit codes and output. `swift build --build-tests` puts them beside the test bundle.
public enum BuiltProducts {
    /// The build products directory (`.build/debug` or a custom scratch path's).
    public static var directory: URL {
        // The xctest bundle (or swift-testing runner) lives in the products directory.
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = executable.deletingLastPathComponent()
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("netaio").path) {
            if dir.pathExtension == "xctest" || dir.lastPathComponent == "Contents" || dir.lastPathComponent == "MacOS" {
                dir = dir.deletingLastPathComponent()
            } else {
                break
            }
        }
        return dir
    }

    public static func url(of product: String) -> URL { directory.appendingPathComponent(product) }

    public struct Outcome: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Runs a product to completion with optional stdin; output is read concurrently so a
    /// chatty child cannot block on a full pipe.
    public static func run(_ product: String, _ arguments: [String], stdin: [UInt8]? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = url(of: product)
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin)) }
        try input.fileHandleForWriting.close()
        let collector = PipeCollector(out.fileHandleForReading, err.fileHandleForReading)
        process.waitUntilExit()
        let (o, e) = collector.finish()
        return Outcome(status: process.terminationStatus, stdout: o, stderr: e)
    }
}

/// Drains two pipes on background threads until EOF.
private final class PipeCollector: @unchecked Sendable {
    private var outData = Data(), errData = Data()
    private let group = DispatchGroup()

    init(_ out: FileHandle, _ err: FileHandle) {
        group.enter()
        DispatchQueue.global().async { self.outData = out.readDataToEndOfFile(); self.group.leave() }
        group.enter()
        DispatchQueue.global().async { self.errData = err.readDataToEndOfFile(); self.group.leave() }
    }

    func finish() -> (String, String) {
        group.wait()
        return (String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}
