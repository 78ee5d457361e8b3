import ArgumentParser
import Foundation
import NIOCore
import NetaioNIO

/// `tcp://HOST:PORT` or `udp://HOST:PORT` (IPv6 in brackets: `tcp://[::1]:8888`).
struct Target: ExpressibleByArgument, CustomStringConvertible {
    enum Transport: String { case tcp, udp }
    var transport: Transport
    var address: Address

    init?(argument: String) {
        let parts = argument.split(separator: "://", maxSplits: 1).map(String.init)
        guard parts.count == 2, let transport = Transport(rawValue: parts[0].lowercased()),
              let address = Address(parsing: parts[1]) else { return nil }
        self.transport = transport
        self.address = address
    }

    var description: String { "\(transport.rawValue)://\(address)" }
}

/// What every client command takes.
struct ClientOptions: ParsableArguments {
    @Argument(help: "The server or node: tcp://HOST:PORT or udp://HOST:PORT (IPv6: tcp://[::1]:PORT).")
    var target: Target

    @Argument(help: "The uri (resource name).")
    var uri: String

    @OptionGroup var plugins: PluginOptions

    @Option(help: "Seconds to wait for the connection and for the reply.")
    var timeout: Double = 5

    @Flag(name: [.customShort("v"), .long], help: "Log drops (bad frames, failed checks) on stderr.")
    var verbose = false

    @Flag(help: "Print each message as one JSON object (type, type_value, uri, uri_hex, content, content_hex).")
    var json = false

    func validate() throws {
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds") }
    }
}

/// `--content TEXT` or `--content-file F` ('-' = stdin).
struct ContentOptions: ParsableArguments {
    @Option(help: "The content, as UTF-8 text.")
    var content: String?

    @Option(name: .customLong("content-file"), help: "Read the content from a file ('-' for stdin), as raw bytes.")
    var contentFile: String?

    func validate() throws {
        if content != nil && contentFile != nil { throw ValidationError("give at most one of --content and --content-file") }
    }

    func bytes() throws -> [UInt8] {
        if let content { return Array(content.utf8) }
        guard let path = contentFile else { return [] }
        if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        guard let data = FileManager.default.contents(atPath: path) else {
            printError("no_input: cannot read \(path)")
            throw NetaioExit.noInput
        }
        return Array(data)
    }
}
