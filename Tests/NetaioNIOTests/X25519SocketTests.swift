import Foundation
import NetaioNIO
import NetaioTestSupport
import Testing

/// The X25519 inner layer on real sockets: peers learn each other's keys through peer
/// management, then the server encrypts each reply and each notification for its own
/// recipient (a per-recipient send, not one prepared frame for all).
// The time limit only guards against hangs: the whole suite shares two cores and the
// cooperative thread pool with CPU-heavy tests, so it is generous.
@Suite(.serialized, .timeLimit(.minutes(3))) struct X25519SocketTests {
    struct Identity {
        let peer: Peer
        let cipher: X25519CipherPlugin
        init(_ id: String, seed: UInt8) throws {
            cipher = try X25519CipherPlugin(seed: [UInt8](repeating: seed, count: 32))
            let data = try Packify.encode(.dict([PackifyDictEntry(.string("pubkey"), .bytes(cipher.keys.publicKey))]))
            peer = Peer(id: Array(id.utf8), data: data)
        }
    }

    /// The first element, or nil after `seconds`.
    func first(of stream: AsyncStream<Message>, within seconds: Double) async -> Message? {
        await withTaskGroup(of: Message?.self) { group in
            group.addTask {
                for await m in stream { return m }
                return nil
            }
            group.addTask {
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                return nil
            }
            let result = await group.next() ?? nil
            group.cancelAll()
            return result
        }
    }

    @Test func repliesAndNotificationsAreSealedPerRecipient() async throws {
        let s = try Identity("S", seed: 1), a = try Identity("A", seed: 2), b = try Identity("B", seed: 3)
        let server = try await NetaioTCPServer.start(host: "127.0.0.1", port: 0, options: NodeOptions(localPeer: s.peer))
        try await server.withEngine { ResourceService().install(on: $0, cipherPlugin: s.cipher) }
        try await server.managePeers()
        let port = Int(server.localAddress.port)
        var clients: [NetaioTCPClient] = []
        for who in [a, b] {
            let c = try await NetaioTCPClient.connect(host: "127.0.0.1", port: port, options: NodeOptions(localPeer: who.peer))
            try await c.managePeers()
            clients.append(c)
        }
        #expect(try await eventually { try await server.peers().count == 2 })
        for c in clients { #expect(try await eventually { try await c.peers().count == 1 }) }

        let (ca, cb) = (clients[0], clients[1])
        let created = try await ca.request("vault", content: Array("v1".utf8), type: .createURI, cipherPlugin: a.cipher)
        #expect(created.type == .ok)
        let read = try await cb.request("vault", cipherPlugin: b.cipher)
        #expect(text(read) == "v1")
        let subA = try await ca.subscribe("vault", cipherPlugin: a.cipher)
        let subB = try await cb.subscribe("vault", cipherPlugin: b.cipher)
        _ = try await ca.request("vault", content: Array("v2".utf8), type: .updateURI, cipherPlugin: a.cipher)
        // Each subscriber opens its notification with its own key: a frame sealed for the
        // other one would fail to decrypt and never arrive.
        for sub in [subA, subB] {
            let note = await first(of: sub.notifications, within: 3)
            #expect(note?.type == .notifyURI && note.map(text) == "v2")
        }
        // Without the inner cipher the request is not understood: the server cannot decrypt it.
        await #expect(throws: NetaioError.self) { try await cb.request("vault", timeout: 1) }
        for c in clients { try await c.shutdown() }
        try await server.shutdown()
    }
}
