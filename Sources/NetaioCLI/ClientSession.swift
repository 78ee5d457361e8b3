import ArgumentParser
import NIOCore
import NetaioNIO

/// A client command's link to its target: a TCP client connected to the server, or a
/// UDP node on an ephemeral port talking to the node's address.
struct ClientSession {
    private var tcp: NetaioTCPClient?
    private var udp: NetaioUDPNode?
    private let remote: Address
    private let timeout: Double

    /// Connects (TCP) or binds (UDP); failures print one line and exit 3.
    static func open(_ options: ClientOptions) async throws -> ClientSession {
        let nodeOptions = NodeOptions(
            authPlugin: options.plugins.authPlugin, cipherPlugin: options.plugins.cipherPlugin,
            requestTimeout: options.timeout)
        let target = options.target.address
        do {
            switch options.target.transport {
            case .tcp:
                let client = try await NetaioTCPClient.connect(
                    host: target.host, port: Int(target.port), options: nodeOptions, connectTimeout: options.timeout)
                try await installReporting(client, printPeers: false, verbose: options.verbose)
                return ClientSession(tcp: client, udp: nil, remote: target, timeout: options.timeout)
            case .udp:
                let remote = try numeric(target)
                let node = try await NetaioUDPNode.bind(
                    host: remote.family == .ipv6 ? "::" : "0.0.0.0", port: 0, options: nodeOptions)
                try await installReporting(node, printPeers: false, verbose: options.verbose)
                return ClientSession(tcp: nil, udp: node, remote: remote, timeout: options.timeout)
            }
        } catch {
            throw ClientFailure.report(error, json: options.json)
        }
    }

    /// UDP replies are matched by source address, so names become numeric addresses first.
    private static func numeric(_ address: Address) throws -> Address {
        if address.family != nil { return address.canonical }
        let resolved = try SocketAddress.makeAddressResolvingHost(address.host, port: Int(address.port))
        guard let ip = resolved.ipAddress else { throw NetaioError.connectionFailed("cannot resolve \(address.host)") }
        return Address(host: ip, port: address.port)
    }

    func request(_ uri: String, type: MessageType, content: [UInt8]) async throws -> Message {
        if let tcp { return try await tcp.request(uri, content: content, type: type, timeout: timeout) }
        return try await udp!.request(uri, content: content, type: type, to: remote, timeout: timeout)
    }

    func subscribe(_ uri: String) async throws -> NetaioSubscription {
        if let tcp { return try await tcp.subscribe(uri, timeout: timeout) }
        return try await udp!.subscribe(uri, at: remote, timeout: timeout)
    }

    func close() async {
        try? await tcp?.shutdown()
        try? await udp?.shutdown()
    }
}

/// Turns a failure into its stable exit code, with one `error: <code>: <reason>` line on
/// stderr (an error reply is also printed on stdout like any reply).
enum ClientFailure {
    static func report(_ error: any Error, json: Bool) -> ExitCode {
        guard let error = error as? NetaioError else {
            printError("connection_failed: \(error)")
            return NetaioExit.connectionFailed
        }
        switch error {
        case .timedOut:
            printError("timeout: \(error)")
            return NetaioExit.timeout
        case .errorReply(let message):
            printLine(MessageOutput.line(message, json: json))
            printError("error_reply: \(error)")
            return NetaioExit.errorReply
        case .connectionFailed, .connectionClosed, .sendFailed, .cancelled:
            printError("connection_failed: \(error)")
            return NetaioExit.connectionFailed
        }
    }
}
