import Foundation
import NetaioCore
import NetaioNIO
import NetaioPlugins
import NetaioTestSupport
import NetaioWire
import Testing

/// The inner (per-handler) layers and the X25519 layer on UDP nodes, against the real
/// Python netaio 0.0.9 both ways: `netaio node --inner-hmac-secret --inner-cipher-key
/// --x25519-seed` with client.py over udp://, and a Swift NetaioUDPNode with the same
/// plugins against node.py with the same flags. X25519 needs peer management: each
/// side learns the other's pubkey from ADVERTISE_PEER / PEER_DISCOVERED, sent by unicast
/// here (two nodes on one host cannot share a port, so netaio's multicast at its own
/// port would not reach the other).
@Suite(.enabled(if: PythonOracle.enabled, PythonOracle.skipReason))
struct NodeLayeringInteropTests {
    typealias L = LayeringInteropTests
    static let udpHost = ["--host", "127.0.0.1", "--port", "0", "--no-multicast"]

    @Test func pythonClientAgainstNetaioNodeInnerLayerFlags() throws {
        let node = try PeerProcess(Implementation.swift.node, Self.udpHost + L.outerFlags + L.innerFlags)
        defer { node.stop() }
        let url = "udp://127.0.0.1:\(try node.listeningPort())", py = Implementation.python
        let both = L.outerFlags + L.innerFlags
        CommandLineInteropTests.expect(try py.run("create", url, "doc", both + ["--content", "stored"]), Exit.ok, "OK")
        CommandLineInteropTests.expect(try py.run("request", url, "doc", both), Exit.ok, "RESPOND_URI", "stored")
        // The outer layer alone fails the handlers' inner HMAC: netaio's plain AUTH_ERROR.
        CommandLineInteropTests.expect(try py.run("request", url, "doc", L.outerFlags), Exit.errorReply, "AUTH_ERROR")
        // Notifications carry the inner layers too.
        let subscriber = try PeerProcess(py.client, ["subscribe", url, "doc"] + both)
        defer { subscriber.stop() }
        try subscriber.waitForLine("CONFIRM_SUBSCRIBE") { $0 == "CONFIRM_SUBSCRIBE" }
        CommandLineInteropTests.expect(try py.run("update", url, "doc", both + ["--content", "layered ✓"]), Exit.ok, "OK")
        try subscriber.waitForLine("NOTIFY_URI layered ✓") { $0 == "NOTIFY_URI layered ✓" }
    }

    @Test func pythonClientAgainstNetaioNodeX25519Flag() throws {
        let node = try PeerProcess(Implementation.swift.node, Self.udpHost + [
            "--manage-peers", "--peer-id", "swift-node", "--x25519-seed", Hex.encode(L.seed(7)),
        ])
        defer { node.stop() }
        let url = "udp://127.0.0.1:\(try node.listeningPort())", py = Implementation.python
        let flags = ["--manage-peers", "--peer-id", "py-client", "--x25519-seed", Hex.encode(L.seed(8))]
        CommandLineInteropTests.expect(try py.run("create", url, "secret", flags + ["--content", "sealed ✓"]), Exit.ok, "OK")
        CommandLineInteropTests.expect(try py.run("request", url, "secret", flags), Exit.ok, "RESPOND_URI", "sealed ✓")
        // Without the X25519 layer (and unknown to the node) the request cannot be opened: no answer.
        let plain = try py.run("request", url, "secret", ["--timeout", "1"])
        #expect(plain.status == Exit.timeout, "\(plain)")
    }

    @Test func swiftNodeAgainstPythonNodeInnerLayers() async throws {
        let python = try PeerProcess(Implementation.python.node, Self.udpHost + L.outerFlags + L.innerFlags)
        defer { python.stop() }
        let server = try #require(Address(parsing: "127.0.0.1:\(try python.listeningPort())"))
        let node = try await NetaioUDPNode.bind(host: "127.0.0.1", port: 0, options: L.outer)
        do {
            let created = try await node.request("doc", content: Array("stored".utf8), type: .createURI, to: server,
                                                 timeout: 5, authPlugin: L.innerAuth, cipherPlugin: L.innerCipher)
            #expect(created.type == .ok, "\(created)")
            let reply = try await node.request("doc", to: server, timeout: 5, authPlugin: L.innerAuth, cipherPlugin: L.innerCipher)
            #expect(reply.type == .respondURI && L.text(reply) == "stored", "\(reply)")
            // Without the inner layer the Python handler's inner check fails: plain AUTH_ERROR.
            await #expect {
                _ = try await node.request("doc", to: server, timeout: 3)
            } throws: { error in
                guard case NetaioError.errorReply(let reply) = error else { return false }
                return reply.type == .authError
            }
            let subscription = try await node.subscribe("doc", at: server, timeout: 5, authPlugin: L.innerAuth, cipherPlugin: L.innerCipher)
            #expect(subscription.confirmation.type == .confirmSubscribe)
            let updated = try await node.request("doc", content: Array("layered ✓".utf8), type: .updateURI, to: server,
                                                 timeout: 5, authPlugin: L.innerAuth, cipherPlugin: L.innerCipher)
            #expect(updated.type == .ok)
            var notes = subscription.notifications.makeAsyncIterator()
            #expect(await notes.next().map(L.text) == "layered ✓")
        } catch {
            try await node.shutdown()
            throw error
        }
        try await node.shutdown()
    }

    @Test func swiftNodeX25519WithPeerManagementAgainstPythonNode() async throws {
        let python = try PeerProcess(Implementation.python.node, Self.udpHost + [
            "--manage-peers", "--print-peers", "--peer-id", "py-node", "--x25519-seed", Hex.encode(L.seed(9)),
        ])
        defer { python.stop() }
        let server = try #require(Address(parsing: "127.0.0.1:\(try python.listeningPort())"))
        let box = try X25519CipherPlugin(seed: L.seed(10))
        let node = try await NetaioUDPNode.bind(
            host: "127.0.0.1", port: 0, options: NodeOptions(localPeer: try L.peer(id: "swift-node", x25519: box)))
        do {
            try await node.managePeers(advertiseEvery: 60)
            // Unicast ADVERTISE_PEER; node.py's PEER_DISCOVERED answer carries its pubkey.
            try await node.advertise(to: server)
            #expect(try await eventually { try await node.peers().contains { $0.id == Array("py-node".utf8) } })
            let swiftID = Hex.encode(Array("swift-node".utf8))
            try python.waitForLine("peer up swift-node") { $0.hasPrefix("peer up \(swiftID) ") }
            let created = try await node.request("secret", content: Array("sealed ✓".utf8), type: .createURI, to: server,
                                                 timeout: 5, cipherPlugin: box)
            #expect(created.type == .ok, "\(created)")
            let reply = try await node.request("secret", to: server, timeout: 5, cipherPlugin: box)
            #expect(reply.type == .respondURI && L.text(reply) == "sealed ✓", "\(reply)")
            try await node.sayGoodbye(to: server)
            try python.waitForLine("peer down swift-node") { $0 == "peer down \(swiftID)" }
        } catch {
            try await node.shutdown()
            throw error
        }
        try await node.shutdown()
    }
}
