import Foundation
import NetaioCore
import NetaioNIO
import NetaioPlugins
import NetaioTapescript
import NetaioTestSupport
import NetaioWire
import Testing

/// Live interop of TapescriptAuthPlugin with netaio.asymmetric's over real sockets: the
/// Python peers (scripts/python-peers, `--tapescript-seed`) against the Swift async API
/// and the `netaio` CLI's `--tapescript-seed`, in both directions, with random messages
/// and wrong keys rejected by both sides.
@Suite(.enabled(if: PythonOracle.enabled, PythonOracle.skipReason))
struct TapescriptInteropTests {
    static let seed = [UInt8](repeating: 0x21, count: 32)
    static let otherSeed = [UInt8](repeating: 0x22, count: 32)
    static var flags: [String] { ["--tapescript-seed", Hex.encode(seed)] }

    static func text(_ m: Message) -> String { String(decoding: m.content, as: UTF8.self) }

    @Test func swiftClientAgainstPythonServer() async throws {
        let python = try PeerProcess(Implementation.python.server, ["--port", "0"] + Self.flags)
        defer { python.stop() }
        let port = try python.listeningPort()
        let plugin = try TapescriptAuthPlugin.singleSig(seed: Self.seed)
        let client = try await NetaioTCPClient.connect(host: "127.0.0.1", port: port, options: NodeOptions(authPlugin: plugin))
        do {
            // Random resources: Python checks every request, Swift every reply.
            var g = SystemRandomNumberGenerator()
            for i in 0..<20 {
                let uri = "r/\(i)/\(UInt32.random(in: 0...UInt32.max, using: &g))"
                let content = (0..<Int.random(in: 0...800, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }
                let created = try await client.request(uri, content: content, type: .createURI)
                #expect(created.type == .ok, "\(created)")
                let reply = try await client.request(uri)
                #expect(reply.type == .respondURI && reply.content == content, "\(i)")
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        // Signed with another seed: Python's plugin refuses it with its error message.
        let wrong = try await NetaioTCPClient.connect(
            host: "127.0.0.1", port: port, options: NodeOptions(authPlugin: try TapescriptAuthPlugin.singleSig(seed: Self.otherSeed)))
        await #expect {
            _ = try await wrong.request("r/0", timeout: 3)
        } throws: { error in
            guard case NetaioError.errorReply(let reply) = error else { return false }
            return reply.type == .authError && Self.text(reply) == "tapescript auth failed"
        }
        try await wrong.shutdown()
    }

    @Test func pythonClientAgainstSwiftServer() async throws {
        let plugin = try TapescriptAuthPlugin.singleSig(seed: Self.seed)
        let server = try await NetaioTCPServer.start(host: "127.0.0.1", port: 0, options: NodeOptions(authPlugin: plugin))
        do {
            try await server.withEngine { ResourceService().install(on: $0) }
            let url = "tcp://127.0.0.1:\(server.localAddress.port)", py = Implementation.python
            CommandLineInteropTests.expect(try py.run("create", url, "doc", Self.flags + ["--content", "signed ✓"]), Exit.ok, "OK")
            CommandLineInteropTests.expect(try py.run("request", url, "doc", Self.flags), Exit.ok, "RESPOND_URI", "signed ✓")
            // Another key: the Swift plugin refuses, with netaio's message.
            CommandLineInteropTests.expect(
                try py.run("request", url, "doc", ["--tapescript-seed", Hex.encode(Self.otherSeed)]),
                Exit.errorReply, "AUTH_ERROR", "tapescript auth failed")
            // Python's own check of the server's replies: with a lock for another key the
            // Python client drops the (validly signed) reply and times out.
            let otherLock = try Tapescript.makeSingleSigLock(pubkey: Tapescript.verifyKey(seed: Self.otherSeed))
            let dropped = try py.run("request", url, "doc", Self.flags + ["--tapescript-lock", Hex.encode(otherLock), "--timeout", "1"])
            #expect(dropped.status == Exit.timeout, "\(dropped)")
        } catch {
            try await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    /// netaio's tests/test_tcp_e2e.py test_peer_management_with_asymmetric_plugins with our
    /// async API on both sides: a 1-of-2 multisig lock on both keys and X25519 as inner
    /// layers on the handlers, peers learnt through ADVERTISE_PEER / PEER_DISCOVERED.
    @Test func peerManagementWithAsymmetricPluginsSwiftOnBothSides() async throws {
        let serverSeed = [UInt8](repeating: 0x31, count: 32), clientSeed = [UInt8](repeating: 0x32, count: 32)
        let lock = try Tapescript.makeMultisigLock(
            pubkeys: [Tapescript.verifyKey(seed: serverSeed), Tapescript.verifyKey(seed: clientSeed)], quorum: 1)
        let serverAuth = TapescriptAuthPlugin(lock: lock, seed: serverSeed), clientAuth = TapescriptAuthPlugin(lock: lock, seed: clientSeed)
        let serverBox = try X25519CipherPlugin(seed: serverSeed), clientBox = try X25519CipherPlugin(seed: clientSeed)
        let server = try await NetaioTCPServer.start(
            host: "127.0.0.1", port: 0, options: NodeOptions(localPeer: try LayeringInteropTests.peer(id: "server", x25519: serverBox)))
        let client = NetaioTCPClient.make(options: NodeOptions(localPeer: try LayeringInteropTests.peer(id: "client", x25519: clientBox)))
        do {
            try await server.managePeers()
            try await server.withEngine { engine in
                engine.on(HandlerKey(.requestURI), authPlugin: serverAuth, cipherPlugin: serverBox) { m, _ in
                    Message(type: .respondURI, uri: m.uri, content: Array("some content for u".utf8))
                }
            }
            try await client.managePeers()
            try await client.connect(host: "127.0.0.1", port: Int(server.localAddress.port))
            #expect(try await eventually { try await server.peers().contains { $0.id == Array("client".utf8) } })
            #expect(try await eventually { try await client.peers().contains { $0.id == Array("server".utf8) } })
            let reply = try await client.request(
                "something", content: Array("pls gibs me dat".utf8), authPlugin: clientAuth, cipherPlugin: clientBox)
            #expect(reply.type == .respondURI && Self.text(reply) == "some content for u", "\(reply)")
        } catch {
            try await client.shutdown()
            try await server.shutdown()
            throw error
        }
        try await client.shutdown()
        try await server.shutdown()
    }

    /// The same set-up across implementations: Python's serve.py with the multisig lock
    /// as its outer tapescript layer (its own seed), X25519 on its handlers and peer
    /// management; our client signs with the other key of the lock.
    @Test func peerManagementWithAsymmetricPluginsAgainstPython() async throws {
        let serverSeed = [UInt8](repeating: 0x41, count: 32), clientSeed = [UInt8](repeating: 0x42, count: 32)
        let lock = try Tapescript.makeMultisigLock(
            pubkeys: [Tapescript.verifyKey(seed: serverSeed), Tapescript.verifyKey(seed: clientSeed)], quorum: 1)
        let python = try PeerProcess(Implementation.python.server, [
            "--port", "0", "--manage-peers", "--print-peers", "--peer-id", "py-server",
            "--tapescript-seed", Hex.encode(serverSeed), "--tapescript-lock", Hex.encode(lock),
            "--x25519-seed", Hex.encode(serverSeed),
        ])
        defer { python.stop() }
        let port = try python.listeningPort()
        let box = try X25519CipherPlugin(seed: clientSeed)
        let client = NetaioTCPClient.make(options: NodeOptions(
            authPlugin: TapescriptAuthPlugin(lock: lock, seed: clientSeed),
            localPeer: try LayeringInteropTests.peer(id: "swift-client", x25519: box)))
        do {
            try await client.managePeers()
            try await client.connect(host: "127.0.0.1", port: port)
            #expect(try await eventually { try await client.peers().contains { $0.id == Array("py-server".utf8) } })
            #expect(try await client.request("secret", content: Array("sealed ✓".utf8), type: .createURI, cipherPlugin: box).type == .ok)
            let reply = try await client.request("secret", cipherPlugin: box)
            #expect(reply.type == .respondURI && Self.text(reply) == "sealed ✓", "\(reply)")
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// netaio's tests/test_udp_e2e.py test_peer_management_with_asymmetric_plugins with our
    /// UDP nodes: inner multisig tapescript + X25519 on the server's handler, peers learnt
    /// by unicast ADVERTISE_PEER / PEER_DISCOVERED (loopback, no multicast).
    @Test func udpPeerManagementWithAsymmetricPluginsSwiftOnBothSides() async throws {
        let serverSeed = [UInt8](repeating: 0x51, count: 32), clientSeed = [UInt8](repeating: 0x52, count: 32)
        let lock = try Tapescript.makeMultisigLock(
            pubkeys: [Tapescript.verifyKey(seed: serverSeed), Tapescript.verifyKey(seed: clientSeed)], quorum: 1)
        let serverAuth = TapescriptAuthPlugin(lock: lock, seed: serverSeed), clientAuth = TapescriptAuthPlugin(lock: lock, seed: clientSeed)
        let serverBox = try X25519CipherPlugin(seed: serverSeed), clientBox = try X25519CipherPlugin(seed: clientSeed)
        let server = try await NetaioUDPNode.bind(
            host: "127.0.0.1", port: 0, options: NodeOptions(localPeer: try LayeringInteropTests.peer(id: "server", x25519: serverBox)))
        let client = try await NetaioUDPNode.bind(
            host: "127.0.0.1", port: 0, options: NodeOptions(localPeer: try LayeringInteropTests.peer(id: "client", x25519: clientBox)))
        do {
            try await server.managePeers(advertiseEvery: 60)
            try await client.managePeers(advertiseEvery: 60)
            try await server.on(HandlerKey(.requestURI), authPlugin: serverAuth, cipherPlugin: serverBox) { m, _ in
                Message(type: .respondURI, uri: m.uri, content: Array("some content for u".utf8))
            }
            let serverAddress = try #require(Address(parsing: "127.0.0.1:\(server.localAddress.port)"))
            try await client.advertise(to: serverAddress)
            #expect(try await eventually { try await server.peers().contains { $0.id == Array("client".utf8) } })
            #expect(try await eventually { try await client.peers().contains { $0.id == Array("server".utf8) } })
            let reply = try await client.request(
                "something", content: Array("pls gibs me dat".utf8), to: serverAddress, timeout: 5,
                authPlugin: clientAuth, cipherPlugin: clientBox)
            #expect(reply.type == .respondURI && Self.text(reply) == "some content for u", "\(reply)")
        } catch {
            try await client.shutdown()
            try await server.shutdown()
            throw error
        }
        try await client.shutdown()
        try await server.shutdown()
    }

    /// The UDP set-up across implementations: node.py with the multisig lock as its outer
    /// tapescript layer, X25519 on its handlers and peer management; our node signs with
    /// the lock's other key and learns node.py's pubkey from its PEER_DISCOVERED.
    @Test func udpPeerManagementWithAsymmetricPluginsAgainstPython() async throws {
        let serverSeed = [UInt8](repeating: 0x61, count: 32), clientSeed = [UInt8](repeating: 0x62, count: 32)
        let lock = try Tapescript.makeMultisigLock(
            pubkeys: [Tapescript.verifyKey(seed: serverSeed), Tapescript.verifyKey(seed: clientSeed)], quorum: 1)
        let python = try PeerProcess(Implementation.python.node, [
            "--host", "127.0.0.1", "--port", "0", "--no-multicast", "--manage-peers", "--print-peers", "--peer-id", "py-node",
            "--tapescript-seed", Hex.encode(serverSeed), "--tapescript-lock", Hex.encode(lock), "--x25519-seed", Hex.encode(serverSeed),
        ])
        defer { python.stop() }
        let server = try #require(Address(parsing: "127.0.0.1:\(try python.listeningPort())"))
        let box = try X25519CipherPlugin(seed: clientSeed)
        let node = try await NetaioUDPNode.bind(host: "127.0.0.1", port: 0, options: NodeOptions(
            authPlugin: TapescriptAuthPlugin(lock: lock, seed: clientSeed),
            localPeer: try LayeringInteropTests.peer(id: "swift-node", x25519: box)))
        do {
            try await node.managePeers(advertiseEvery: 60)
            try await node.advertise(to: server)
            #expect(try await eventually { try await node.peers().contains { $0.id == Array("py-node".utf8) } })
            let created = try await node.request("secret", content: Array("sealed ✓".utf8), type: .createURI, to: server,
                                                 timeout: 5, cipherPlugin: box)
            #expect(created.type == .ok, "\(created)")
            let reply = try await node.request("secret", to: server, timeout: 5, cipherPlugin: box)
            #expect(reply.type == .respondURI && Self.text(reply) == "sealed ✓", "\(reply)")
        } catch {
            try await node.shutdown()
            throw error
        }
        try await node.shutdown()
    }

    /// The command lines of both implementations over TCP and UDP: `netaio serve`/`node
    /// --tapescript-seed` with client.py, serve.py/node.py with the Swift `netaio` client.
    @Test(arguments: CommandLineInteropTests.Pair.all, CommandLineInteropTests.Transport.allCases)
    func commandLines(pair: CommandLineInteropTests.Pair, transport: CommandLineInteropTests.Transport) throws {
        let (server, url) = try CommandLineInteropTests.start(pair.server, transport, Self.flags)
        defer { server.stop() }
        CommandLineInteropTests.expect(try pair.client.run("create", url, "k", Self.flags + ["--content", "v ✓"]), Exit.ok, "OK")
        CommandLineInteropTests.expect(try pair.client.run("request", url, "k", Self.flags), Exit.ok, "RESPOND_URI", "v ✓")
        CommandLineInteropTests.expect(
            try pair.client.run("request", url, "k", ["--tapescript-seed", Hex.encode(Self.otherSeed)]),
            Exit.errorReply, "AUTH_ERROR", "tapescript auth failed")
        // Without any auth plugin the server refuses too.
        CommandLineInteropTests.expect(try pair.client.run("request", url, "k", []), Exit.errorReply, "AUTH_ERROR")
    }
}
