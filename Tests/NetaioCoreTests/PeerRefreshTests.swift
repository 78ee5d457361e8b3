import Testing
import NetaioCore
import NetaioTestSupport

/// `lastRx` is refreshed by traffic that passes the outer layers, never by the engine's
/// own answers to frames that failed them (found by the simulator's clock-skew scenario:
/// a peer whose HMAC went stale was kept alive forever by the AUTH error replies to it).
@Suite struct PeerRefreshTests {
    @Test func authErrorRepliesDoNotKeepAPeerAlive() throws {
        let h = Harness()
        let a = h.add(.udpNode, at: Address(host: "10.0.0.1", port: 8888), localPeerID: "A") { $0.authPlugin = HMACAuthPlugin(secret: "s") }
        let bob = h.add(.udpNode, at: Address(host: "10.0.0.2", port: 8888), localPeerID: "B") { $0.authPlugin = HMACAuthPlugin(secret: "s") }
        for n in [a, bob] { try h.with(n) { try $0.managePeers(advertiseEvery: 1000, peerTimeout: 10) } }
        let learned = try #require(h.nodes[a].peer(id: b("B"))).lastRx
        // B now speaks with the wrong secret: A answers each frame with an ERROR and must
        // not count that as hearing from B.
        h.advance(by: 30)
        h.nodes[bob].configuration.authPlugin = HMACAuthPlugin(secret: "wrong")
        h.with(bob) { $0.send(Message(type: .publishURI, uri: b("x")), to: .address(Address(host: "10.0.0.1", port: 8888))) }
        #expect(h.drops(of: a).contains(.outerAuthFailed))
        #expect(h.nodes[a].peer(id: b("B"))?.lastRx == learned)
        h.with(a) { $0.removeTimedOutPeers(olderThan: 10) }
        #expect(h.nodes[a].peer(id: b("B")) == nil)
    }

    @Test func authenticatedTrafficStillRefreshes() throws {
        let h = Harness()
        let a = h.add(.udpNode, at: Address(host: "10.0.0.1", port: 8888), localPeerID: "A") { $0.authPlugin = HMACAuthPlugin(secret: "s") }
        let bob = h.add(.udpNode, at: Address(host: "10.0.0.2", port: 8888), localPeerID: "B") { $0.authPlugin = HMACAuthPlugin(secret: "s") }
        for n in [a, bob] { try h.with(n) { try $0.managePeers(advertiseEvery: 1000, peerTimeout: 10) } }
        h.advance(by: 30)
        h.with(bob) { $0.send(Message(type: .publishURI, uri: b("x")), to: .address(Address(host: "10.0.0.1", port: 8888))) }
        #expect(h.nodes[a].peer(id: b("B"))?.lastRx == Int(h.clock.now()))
    }
}
