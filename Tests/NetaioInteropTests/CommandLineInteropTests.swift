import Foundation
import NetaioTestSupport
import Testing

/// Live interop through the command-line interface: the Swift `netaio` and the scripts on
/// the real Python netaio 0.0.9 (scripts/python-peers) serve each other, in both
/// directions, over TCP (`serve`) and UDP (`node`), with and without outer plugins.
/// Python ↔ Python runs too, as the control that the Python peers themselves behave.
@Suite(.enabled(if: PythonOracle.enabled, PythonOracle.skipReason))
struct CommandLineInteropTests {
    struct Pair: CustomStringConvertible, Sendable {
        let server: Implementation
        let client: Implementation
        var description: String { "\(server) server ← \(client) client" }

        static let cross: [Pair] = [
            Pair(server: .swift, client: .python),
            Pair(server: .python, client: .swift),
        ]
        /// Plus Python ↔ Python: the control that the Python peers themselves behave.
        static let all: [Pair] = cross + [Pair(server: .python, client: .python)]
    }

    enum Layers: String, CaseIterable, CustomStringConvertible, Sendable {
        case plain, hmac, cipherAndHMAC
        /// HMAC alone is also what the subscription and auth-failure tests use.
        static let crud: [Layers] = [.plain, .cipherAndHMAC]
        var description: String { rawValue }
        var flags: [String] {
            switch self {
            case .plain: []
            case .hmac: ["--hmac-secret", "interop-secret"]
            case .cipherAndHMAC: ["--hmac-secret", "interop-secret", "--cipher-key", "interop-key"]
            }
        }
    }

    enum Transport: String, CaseIterable, CustomStringConvertible, Sendable {
        case tcp, udp
        var description: String { rawValue }
    }

    static func start(_ impl: Implementation, _ transport: Transport, _ flags: [String]) throws -> (PeerProcess, String) {
        let process = try PeerProcess(transport == .tcp ? impl.server : impl.node, ["--port", "0"] + flags)
        let port = try process.listeningPort()
        return (process, "\(transport)://127.0.0.1:\(port)")
    }

    /// The reply's type and content are on stdout; the exit code says success or error.
    static func expect(_ outcome: ClientOutcome, _ status: Int32, _ type: String, _ content: String? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(outcome.status == status, "\(outcome)", sourceLocation: sourceLocation)
        let text = outcome.lines.joined(separator: "\n")
        #expect(text.contains(type), "\(outcome)", sourceLocation: sourceLocation)
        if let content { #expect(text.contains(content), "\(outcome)", sourceLocation: sourceLocation) }
    }

    @Test(arguments: Pair.all, Transport.allCases)
    func crudWithEveryOuterLayering(pair: Pair, transport: Transport) throws {
        for layers in Layers.crud {
            let (server, url) = try Self.start(pair.server, transport, layers.flags)
            defer { server.stop() }
            let c = pair.client, f = layers.flags, uri = "interop/\(layers)"
            Self.expect(try c.run("request", url, uri, f), Exit.errorReply, "NOT_FOUND")
            Self.expect(try c.run("create", url, uri, f + ["--content", "first ✓"]), Exit.ok, "OK")
            Self.expect(try c.run("request", url, uri, f), Exit.ok, "RESPOND_URI", "first ✓")
            Self.expect(try c.run("update", url, uri, f + ["--content", "second"]), Exit.ok, "OK")
            Self.expect(try c.run("request", url, uri, f), Exit.ok, "RESPOND_URI", "second")
            Self.expect(try c.run("update", url, uri + "/missing", f + ["--content", "x"]), Exit.errorReply, "NOT_FOUND")
            Self.expect(try c.run("delete", url, uri, f), Exit.ok, "OK")
            Self.expect(try c.run("delete", url, uri, f), Exit.errorReply, "NOT_FOUND")
            Self.expect(try c.run("publish", url, uri, f + ["--content", "nobody listens"]), Exit.ok, "OK")
        }
    }

    @Test(arguments: Pair.cross, Transport.allCases)
    func subscribeGetsUpdatesAndPublications(pair: Pair, transport: Transport) throws {
        let flags = Layers.hmac.flags
        let (server, url) = try Self.start(pair.server, transport, flags)
        defer { server.stop() }
        let subscriber = try PeerProcess(pair.client.client, ["subscribe", url, "topic"] + flags)
        defer { subscriber.stop() }
        try subscriber.waitForLine("CONFIRM_SUBSCRIBE") { $0.contains("CONFIRM_SUBSCRIBE") }
        Self.expect(try pair.client.run("create", url, "topic", flags + ["--content", "v1"]), Exit.ok, "OK")
        Self.expect(try pair.client.run("update", url, "topic", flags + ["--content", "updated-v2"]), Exit.ok, "OK")
        let first = try subscriber.waitForLine("NOTIFY_URI updated-v2") { $0.contains("NOTIFY_URI") && $0.contains("updated-v2") }
        Self.expect(try pair.client.run("publish", url, "topic", flags + ["--content", "published-3"]), Exit.ok, "OK")
        try subscriber.waitForLine(from: first.index + 1, "NOTIFY_URI published-3") { $0.contains("NOTIFY_URI") && $0.contains("published-3") }
        Self.expect(try pair.client.run("publish", url, "other-topic", flags + ["--content", "not for us"]), Exit.ok, "OK")
        Self.expect(try pair.client.run("publish", url, "topic", flags + ["--content", "published-4"]), Exit.ok, "OK")
        try subscriber.waitForLine(from: first.index + 1, "NOTIFY_URI published-4") { $0.contains("published-4") }
        #expect(!subscriber.output.contains { $0.contains("not for us") }, "\(subscriber.output)")
        #expect(!subscriber.output.contains { $0.contains("v1") && $0.contains("NOTIFY") }, "CREATE notifies nobody")
    }

    /// netaio answers a failed outer HMAC check with a plain AUTH_ERROR (uri `ERROR`); both
    /// clients report it as an error reply. A client whose own check fails on the server's
    /// plain reply gets nothing it can accept: a timeout, as with netaio's request().
    @Test(arguments: Pair.cross, Transport.allCases)
    func authFailures(pair: Pair, transport: Transport) throws {
        let (server, url) = try Self.start(pair.server, transport, ["--hmac-secret", "right"])
        defer { server.stop() }
        let c = pair.client
        Self.expect(try c.run("create", url, "guarded", ["--hmac-secret", "right", "--content", "x"]), Exit.ok, "OK")
        Self.expect(try c.run("request", url, "guarded", ["--hmac-secret", "wrong"]), Exit.errorReply, "AUTH_ERROR")
        Self.expect(try c.run("request", url, "guarded"), Exit.errorReply, "AUTH_ERROR")
        Self.expect(try c.run("delete", url, "guarded", ["--hmac-secret", "wrong"]), Exit.errorReply, "AUTH_ERROR")
        // Nothing was deleted by the forged request.
        Self.expect(try c.run("request", url, "guarded", ["--hmac-secret", "right"]), Exit.ok, "RESPOND_URI", "x")

        let (open, openURL) = try Self.start(pair.server, transport, [])
        defer { open.stop() }
        let unverifiable = try c.run("request", openURL, "anything", ["--hmac-secret", "mine", "--timeout", "1"])
        #expect(unverifiable.status == Exit.timeout, "\(unverifiable)")
    }

    @Test(arguments: Implementation.allCases)
    func connectionRefused(client: Implementation) throws {
        let port = try unusedTCPPort()
        let outcome = try client.run("request", "tcp://127.0.0.1:\(port)", "x", ["--timeout", "2"])
        #expect(outcome.status == Exit.connectionFailed, "\(outcome)")
    }
}
