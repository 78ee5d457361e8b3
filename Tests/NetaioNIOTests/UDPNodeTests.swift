import Foundation
import NetaioNIO
import NetaioTestSupport
import Testing

/// UDP nodes on loopback: CRUD, subscribe/notify, peer discovery, multicast when possible.
// The time limit only guards against hangs: the whole suite shares two cores and the
// cooperative thread pool with CPU-heavy tests, so it is generous.
@Suite(.serialized, .timeLimit(.minutes(3))) struct UDPNodeTests {
    func resourceNode(_ options: NodeOptions = NodeOptions()) async throws -> NetaioUDPNode {
        let node = try await NetaioUDPNode.bind(host: "127.0.0.1", port: 0, options: options)
        try await node.withEngine { ResourceService().install(on: $0) }
        return node
    }

    @Test func crudAndNotifyOverDatagrams() async throws {
        let server = try await resourceNode()
        let client = try await NetaioUDPNode.bind(host: "127.0.0.1", port: 0)
        let watcher = try await NetaioUDPNode.bind(host: "127.0.0.1", port: 0)
        let at = server.localAddress
        #expect(try await client.create("u", content: Array("1".utf8), to: at).type == .ok)
        #expect(text(try await client.request("u", to: at)) == "1")
        let subscription = try await watcher.subscribe("u", at: at)
        _ = try await client.update("u", content: Array("2".utf8), to: at)
        for await note in subscription.notifications {
            #expect(text(note) == "2")
            break
        }
        _ = try await client.delete("u", to: at)
        do {
            _ = try await client.request("u", to: at, timeout: 2)
            Issue.record("deleted uri still answered")
        } catch NetaioError.errorReply(let m) {
            #expect(m.type == .notFound && m.uri == Array("u".utf8))
        }
        await #expect(throws: NetaioError.self) {
            _ = try await client.request("u", to: Address(host: "127.0.0.1", port: 1), timeout: 0.3)
        }
        for n in [server, client, watcher] { try await n.shutdown() }
    }

    @Test(.enabled(if: HostNetwork.ipv6Loopback, HostNetwork.noIPv6Loopback))
    func ipv6Loopback() async throws {
        let server = try await NetaioUDPNode.bind(host: "::1", port: 0)
        try await server.withEngine { ResourceService().install(on: $0) }
        let client = try await NetaioUDPNode.bind(host: "::1", port: 0)
        #expect(server.localAddress.host == "::1")
        _ = try await client.create("v6", content: Array("yes".utf8), to: server.localAddress)
        #expect(text(try await client.request("v6", to: server.localAddress)) == "yes")
        try await client.shutdown()
        try await server.shutdown()
    }

    @Test func peersFindEachOtherByUnicastAdvertisement() async throws {
        func peerNode(_ id: String) async throws -> NetaioUDPNode {
            let node = try await NetaioUDPNode.bind(
                host: "127.0.0.1", port: 0,
                options: NodeOptions(localPeer: Peer(id: Array(id.utf8), data: try Packify.encode(.dict([])))))
            try await node.managePeers(advertiseEvery: 5, peerTimeout: 60)
            return node
        }
        let a = try await peerNode("peer-a")
        let b = try await peerNode("peer-b")
        try await a.advertise(to: b.localAddress)
        #expect(try await eventually {
            let aKnowsB = try await a.peers().contains { $0.id == Array("peer-b".utf8) }
            let bKnowsA = try await b.peers().contains { $0.id == Array("peer-a".utf8) }
            return aKnowsB && bKnowsA
        })
        try await a.shutdown()  // multicasts DISCONNECT (may not reach b without multicast)
        try await b.shutdown()
    }

    /// `lo` has no MULTICAST flag here, so the group is joined on the default interface and
    /// the kernel's multicast loopback (on by default, as in netaio) brings it back.
    @Test(.enabled(if: HostNetwork.multicastLoopback, HostNetwork.noMulticastLoopback))
    func multicastBetweenLocalNodes() async throws {
        let listener = try await NetaioUDPNode.bind(
            host: "0.0.0.0", port: 0, multicastGroup: "239.255.77.77", joinMulticast: true)
        let heard = Heard()
        try await listener.on(HandlerKey(.publishURI, uri: "mc")) { m, _ in
            heard.add(text(m))
            return nil
        }
        let sender: NetaioUDPNode
        do {
            sender = try await NetaioUDPNode.bind(
                host: "0.0.0.0", port: 0, multicastGroup: "239.255.77.77", multicastPort: Int(listener.localAddress.port),
                joinMulticast: true)
        } catch {
            try await listener.shutdown()
            throw error
        }
        for _ in 0..<20 where heard.values.isEmpty {
            try await sender.multicast(Message(type: .publishURI, uri: Array("mc".utf8), content: Array("hello group".utf8)))
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        #expect(heard.values.first == "hello group")
        try await sender.shutdown()
        try await listener.shutdown()
    }
}

final class Heard: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ s: String) { lock.lock(); list.append(s); lock.unlock() }
    var values: [String] { lock.lock(); defer { lock.unlock() }; return list }
}
