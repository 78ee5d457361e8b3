import Foundation
import NetaioNIO
import NetaioTestSupport
import Testing

/// `kill()` ends a node as a crash would: the other side sees its connection end, never
/// a DISCONNECT (the real transport's scenario crashes rely on this).
// The time limit only guards against hangs: the whole suite shares two cores and the
// cooperative thread pool with CPU-heavy tests, so it is generous.
@Suite(.serialized, .timeLimit(.minutes(3))) struct KillTests {
    func peerNode(_ id: String) throws -> NodeOptions {
        NodeOptions(localPeer: Peer(id: Array(id.utf8), data: try Packify.encode(.dict([]))))
    }

    /// The server's record of how client "C" left, once it has.
    func removal(after end: (NetaioTCPClient) async throws -> Void) async throws -> String? {
        let server = try await startResourceServer(options: try peerNode("S"))
        try await server.managePeers()
        let log = Heard()
        try await server.onEvent { event in
            if case .peerRemoved(let p, let reason) = event { log.add("\(String(decoding: p.id ?? [], as: UTF8.self)) \(reason)") }
        }
        let client = try await NetaioTCPClient.connect(host: "127.0.0.1", port: Int(server.localAddress.port), options: try peerNode("C"))
        try await client.managePeers()
        #expect(try await eventually { try await server.peers().contains { $0.id == Array("C".utf8) } },
                "the server learned the client")
        try await end(client)
        _ = try await eventually { !log.values.isEmpty }
        try await server.shutdown()
        return log.values.first
    }

    @Test func aKilledClientLeavesByConnectionEndNotDisconnect() async throws {
        #expect(try await removal { try await $0.kill() } == "C connectionClosed")
    }

    /// The contrast that makes the test above mean something: a graceful stop says goodbye.
    @Test func aStoppedClientSaysGoodbye() async throws {
        #expect(try await removal { try await $0.shutdown() } == "C disconnect")
    }

    /// A killed server: the client's pending request fails at once with the closed
    /// connection (not by its 10 s timeout).
    @Test func aKilledServerEndsTheClientsConnection() async throws {
        let server = try await startResourceServer()
        let arrived = Heard()
        try await server.on(HandlerKey(.requestURI, uri: "hole")) { _, _ in
            arrived.add("hole")
            return nil
        }
        let client = try await NetaioTCPClient.connect(host: "127.0.0.1", port: Int(server.localAddress.port))
        let started = Date()
        async let answer: Message = client.request("hole", timeout: 10)
        #expect(try await eventually { !arrived.values.isEmpty }, "the request reached the server")
        try await server.kill()
        do {
            _ = try await answer
            Issue.record("the request was answered")
        } catch {
            #expect("\(error)" == "\(NetaioError.connectionClosed)")
        }
        #expect(Date().timeIntervalSince(started) < 5)
        try await client.shutdown()
    }
}
