import Foundation
import NetaioCore
import NetaioNIO
import NetaioPlugins
import NetaioTestSupport
import NetaioWire
import Testing

/// Live interop beyond the CLI, with the Swift async API (NetaioNIO) on one side and
/// the real Python netaio 0.0.9 on the other: inner (per-handler) HMAC and stream-cipher
/// layers under outer ones, ephemeral handlers, and the X25519 inner layer, which needs
/// automatic peer management (each side learns the other's public key from
/// ADVERTISE_PEER / PEER_DISCOVERED), plus DISCONNECT.
@Suite(.enabled(if: PythonOracle.enabled, PythonOracle.skipReason))
struct LayeringInteropTests {
    static let outerFlags = ["--hmac-secret", "outer-secret", "--cipher-key", "outer-key"]
    static let innerFlags = ["--inner-hmac-secret", "inner-secret", "--inner-cipher-key", "inner-key"]
    static var outer: NodeOptions {
        NodeOptions(authPlugin: HMACAuthPlugin(secret: "outer-secret"), cipherPlugin: Sha256StreamCipherPlugin(key: "outer-key"))
    }
    // The Python peers' inner field names (scripts/python-peers/peercommon.py): with the
    // defaults the outer layer would overwrite the inner `hmac` and `iv` fields.
    static let innerAuth = HMACAuthPlugin(secret: "inner-secret", hmacField: "hmac2")
    static let innerCipher = Sha256StreamCipherPlugin(key: "inner-key", ivField: "iv2", encryptURI: false)

    static func text(_ message: Message) -> String { String(decoding: message.content, as: UTF8.self) }

    /// Peer data carrying the X25519 public key, as netaio's X25519CipherPlugin expects.
    static func peer(id: String, x25519 plugin: X25519CipherPlugin) throws -> Peer {
        let data = try DefaultPeerPlugin().encodeData(
            .dict([PackifyDictEntry(.string("pubkey"), .bytes(plugin.keys.publicKey))]), peerID: nil)
        return Peer(id: Array(id.utf8), data: data)
    }


    static func seed(_ byte: UInt8) -> [UInt8] { [UInt8](repeating: byte, count: 32) }

    @Test func pythonClientAgainstSwiftServerWithInnerLayersAndOnceHandler() async throws {
        let server = try await NetaioTCPServer.start(host: "127.0.0.1", port: 0, options: Self.outer)
        do {
            try await server.withEngine {
                ResourceService().install(on: $0, authPlugin: Self.innerAuth, cipherPlugin: Self.innerCipher)
            }
            try await server.once(HandlerKey(.requestURI, uri: Array("eph".utf8)), authPlugin: Self.innerAuth,
                                  cipherPlugin: Self.innerCipher) { m, _ in
                Message(type: .respondURI, uri: m.uri, content: Array("once-only".utf8))
            }
            let url = "tcp://127.0.0.1:\(server.localAddress.port)", py = Implementation.python
            let both = Self.outerFlags + Self.innerFlags
            CommandLineInteropTests.expect(try py.run("create", url, "eph", both + ["--content", "stored"]), Exit.ok, "OK")
            CommandLineInteropTests.expect(try py.run("request", url, "eph", both), Exit.ok, "RESPOND_URI", "once-only")
            CommandLineInteropTests.expect(try py.run("request", url, "eph", both), Exit.ok, "RESPOND_URI", "stored")
            // The inner check fails without the inner layer or with another inner secret:
            // AUTH_ERROR, plain, uri ERROR (netaio's reply, which Python's request() alone
            // could not match, Q5).
            CommandLineInteropTests.expect(try py.run("request", url, "eph", Self.outerFlags), Exit.errorReply, "AUTH_ERROR")
            CommandLineInteropTests.expect(
                try py.run("request", url, "eph", Self.outerFlags + ["--inner-hmac-secret", "other", "--inner-cipher-key", "inner-key"]),
                Exit.errorReply, "AUTH_ERROR")
            // Subscriptions carry the inner layers both ways.
            let subscriber = try PeerProcess(py.client, ["subscribe", url, "eph"] + both)
            defer { subscriber.stop() }
            try subscriber.waitForLine("CONFIRM_SUBSCRIBE") { $0 == "CONFIRM_SUBSCRIBE" }
            CommandLineInteropTests.expect(try py.run("update", url, "eph", both + ["--content", "layered ✓"]), Exit.ok, "OK")
            try subscriber.waitForLine("NOTIFY_URI layered ✓") { $0 == "NOTIFY_URI layered ✓" }
        } catch {
            try await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    /// The same layers through the command line: `netaio serve --inner-hmac-secret
    /// --inner-cipher-key` (serve.py's flags) under the outer ones, with client.py.
    @Test func pythonClientAgainstNetaioServeInnerLayerFlags() throws {
        let server = try PeerProcess(Implementation.swift.server, ["--port", "0"] + Self.outerFlags + Self.innerFlags)
        defer { server.stop() }
        let url = "tcp://127.0.0.1:\(try server.listeningPort())", py = Implementation.python
        let both = Self.outerFlags + Self.innerFlags
        CommandLineInteropTests.expect(try py.run("create", url, "doc", both + ["--content", "stored"]), Exit.ok, "OK")
        CommandLineInteropTests.expect(try py.run("request", url, "doc", both), Exit.ok, "RESPOND_URI", "stored")
        CommandLineInteropTests.expect(try py.run("request", url, "doc", Self.outerFlags), Exit.errorReply, "AUTH_ERROR")
        let subscriber = try PeerProcess(py.client, ["subscribe", url, "doc"] + both)
        defer { subscriber.stop() }
        try subscriber.waitForLine("CONFIRM_SUBSCRIBE") { $0 == "CONFIRM_SUBSCRIBE" }
        CommandLineInteropTests.expect(try py.run("publish", url, "doc", both + ["--content", "layered ✓"]), Exit.ok, "OK")
        try subscriber.waitForLine("NOTIFY_URI layered ✓") { $0 == "NOTIFY_URI layered ✓" }
    }

    /// `netaio serve --manage-peers --x25519-seed` (serve.py's flag) with client.py's X25519 layer.
    @Test func pythonClientAgainstNetaioServeX25519Flag() throws {
        let server = try PeerProcess(Implementation.swift.server, [
            "--port", "0", "--manage-peers", "--peer-id", "swift-serve", "--x25519-seed", Hex.encode(Self.seed(5)),
        ])
        defer { server.stop() }
        let url = "tcp://127.0.0.1:\(try server.listeningPort())", py = Implementation.python
        let flags = ["--manage-peers", "--peer-id", "py-client", "--x25519-seed", Hex.encode(Self.seed(6))]
        CommandLineInteropTests.expect(try py.run("create", url, "secret", flags + ["--content", "sealed ✓"]), Exit.ok, "OK")
        CommandLineInteropTests.expect(try py.run("request", url, "secret", flags), Exit.ok, "RESPOND_URI", "sealed ✓")
        // Without the X25519 layer the request cannot be opened: no answer.
        let plain = try py.run("request", url, "secret", ["--manage-peers", "--peer-id", "py-plain", "--timeout", "1"])
        #expect(plain.status == Exit.timeout, "\(plain)")
    }

    @Test func swiftClientAgainstPythonServerWithInnerLayersAndOnceHandler() async throws {
        let python = try PeerProcess(Implementation.python.server,
                                     ["--port", "0", "--once", "eph=once-only"] + Self.outerFlags + Self.innerFlags)
        defer { python.stop() }
        let port = try python.listeningPort()
        let client = try await NetaioTCPClient.connect(host: "127.0.0.1", port: port, options: Self.outer)
        do {
            let inner = (auth: Self.innerAuth, cipher: Self.innerCipher)
            let created = try await client.request("eph", content: Array("stored".utf8), type: .createURI,
                                                   authPlugin: inner.auth, cipherPlugin: inner.cipher)
            #expect(created.type == .ok)
            let first = try await client.request("eph", authPlugin: inner.auth, cipherPlugin: inner.cipher)
            #expect(first.type == .respondURI && Self.text(first) == "once-only", "\(first)")
            let second = try await client.request("eph", authPlugin: inner.auth, cipherPlugin: inner.cipher)
            #expect(second.type == .respondURI && Self.text(second) == "stored", "\(second)")
            // Without the inner layer the Python handler's inner check fails: plain AUTH_ERROR.
            await #expect {
                _ = try await client.request("eph", timeout: 3)
            } throws: { error in
                guard case NetaioError.errorReply(let reply) = error else { return false }
                return reply.type == .authError
            }
            let subscription = try await client.subscribe("eph", authPlugin: inner.auth, cipherPlugin: inner.cipher)
            #expect(subscription.confirmation.type == .confirmSubscribe)
            let updated = try await client.request("eph", content: Array("layered ✓".utf8), type: .updateURI,
                                                   authPlugin: inner.auth, cipherPlugin: inner.cipher)
            #expect(updated.type == .ok)
            var notes = subscription.notifications.makeAsyncIterator()
            let note = await notes.next()
            #expect(note.map(Self.text) == "layered ✓")
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    @Test func swiftClientX25519WithPeerManagementAgainstPythonServer() async throws {
        let python = try PeerProcess(Implementation.python.server, [
            "--port", "0", "--manage-peers", "--print-peers", "--peer-id", "py-server",
            "--x25519-seed", Hex.encode(Self.seed(1)),
        ])
        defer { python.stop() }
        let port = try python.listeningPort()
        let box = try X25519CipherPlugin(seed: Self.seed(2))
        let client = NetaioTCPClient.make(options: NodeOptions(localPeer: try Self.peer(id: "swift-client", x25519: box)))
        do {
            try await client.managePeers()
            try await client.connect(host: "127.0.0.1", port: port)
            // ADVERTISE_PEER on connect → the server's PEER_DISCOVERED carries its pubkey.
            #expect(try await eventually { try await client.peers().contains { $0.id == Array("py-server".utf8) } })
            let swiftID = Hex.encode(Array("swift-client".utf8))
            try python.waitForLine("peer up swift-client") { $0.hasPrefix("peer up \(swiftID) ") }
            #expect(try await client.request("secret", content: Array("sealed ✓".utf8), type: .createURI, cipherPlugin: box).type == .ok)
            let reply = try await client.request("secret", cipherPlugin: box)
            #expect(reply.type == .respondURI && Self.text(reply) == "sealed ✓", "\(reply)")
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()  // sends DISCONNECT
        try python.waitForLine("peer down swift-client") { $0 == "peer down \(Hex.encode(Array("swift-client".utf8)))" }
    }

    @Test func pythonClientX25519WithPeerManagementAgainstSwiftServer() async throws {
        let box = try X25519CipherPlugin(seed: Self.seed(3))
        let server = try await NetaioTCPServer.start(
            host: "127.0.0.1", port: 0, options: NodeOptions(localPeer: try Self.peer(id: "swift-server", x25519: box)))
        do {
            try await server.managePeers()
            try await server.withEngine { ResourceService().install(on: $0, cipherPlugin: box) }
            let url = "tcp://127.0.0.1:\(server.localAddress.port)"
            let flags = ["--manage-peers", "--peer-id", "py-client", "--x25519-seed", Hex.encode(Self.seed(4))]
            let py = Implementation.python
            CommandLineInteropTests.expect(try py.run("create", url, "secret", flags + ["--content", "sealed ✓"]), Exit.ok, "OK")
            CommandLineInteropTests.expect(try py.run("request", url, "secret", flags), Exit.ok, "RESPOND_URI", "sealed ✓")
            // Each client run ended with DISCONNECT, so the Swift server forgot it again.
            let forgotten = try await eventually { try await server.peers().isEmpty }
            let left = try await server.peers().map { String(decoding: $0.id ?? [], as: UTF8.self) }
            #expect(forgotten, "peers left: \(left)")
            // Without the X25519 layer the server cannot open the request: no answer.
            let plain = try py.run("request", url, "secret", ["--manage-peers", "--peer-id", "py-plain", "--timeout", "1"])
            #expect(plain.status == Exit.timeout, "\(plain)")
        } catch {
            try await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }
}
