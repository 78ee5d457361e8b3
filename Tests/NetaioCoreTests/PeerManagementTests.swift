import Testing
import NetaioCore
import NetaioTestSupport

/// Automatic peer management: discovery over UDP multicast and TCP, DISCONNECT, timeout,
/// the peer cap, and the exact bytes of the three messages.
@Suite struct PeerManagementTests {
    func peerIDs(_ e: NodeEngine) -> [String] { e.peers.compactMap { $0.id.map { String(decoding: $0, as: UTF8.self) } } }

    func removals(_ h: Harness, _ node: Int) -> [(String, PeerRemovalReason)] {
        h.events(of: node).compactMap {
            if case .peerRemoved(let p, let r) = $0 { (String(decoding: p.id ?? [], as: UTF8.self), r) } else { nil }
        }
    }

    @Test func emittedMessagesMatchTheReferenceVectors() throws {
        let vectors = Fixtures.vectors(kind: "peer_mgmt.message")
        #expect(vectors.count == 7)
        for v in vectors {
            let input = v["input"] as! [String: Any]
            let local = input["local_peer"] as! [String: Any]
            let localPeer = Peer(id: bytes(local["id_hex"]), data: bytes(local["data_hex"]))
            let appID = bytes(input["app_id_hex"])
            let type = MessageType(UInt8(input["message_type"] as! Int))
            let expected = v["expected_hex"] as! String
            var config = NodeConfiguration(role: .udpNode, random: SeededRandomSource(seed: 1), clock: FixedUnixClock(1_700_000_000), localPeer: localPeer)
            if let outer = input["outer_auth"] as? [String: Any] {
                config.authPlugin = HMACAuthPlugin(secret: outer["secret_utf8"] as! String)
                config.random = FixedRandomSource(bytes: bytes(outer["nonce_hex"]) + bytes(outer["nonce_hex"]))
                config.clock = FixedUnixClock(Double(outer["time"] as! Int))
            }
            let engine = NodeEngine(config)
            try engine.managePeers(appID: appID)
            let sent: [UInt8]?
            switch type {
            case .advertisePeer:
                sent = engine.takeActions().compactMap { if case .multicast(let b, _) = $0 { b } else { nil } }.first
            case .disconnect:
                _ = engine.takeActions()
                engine.stopPeerManagement(appID: appID)
                sent = engine.takeActions().compactMap { if case .multicast(let b, _) = $0 { b } else { nil } }.first
            default:
                // PEER_DISCOVERED: the reply to another node's advertisement.
                _ = engine.takeActions()
                let other = Message(type: .advertisePeer, uri: appID, content: try DefaultPeerPlugin().pack(Peer(id: [9], data: [9])))
                engine.received(datagram: try other.encode(), from: Address(host: "10.9.9.9", port: 8888))
                sent = engine.takeActions().compactMap { if case .send(let b, _) = $0 { b } else { nil } }.first
            }
            #expect(sent?.hex == expected, "\(v["name"]!)")
        }
    }

    @Test func udpDiscoveryOverMulticastDisconnectAndTimeout() throws {
        let h = Harness()
        let a = h.add(.udpNode, at: Address(host: "10.0.0.1", port: 8888), localPeerID: "A")
        let bNode = h.add(.udpNode, at: Address(host: "10.0.0.2", port: 8888), localPeerID: "B")
        let c = h.add(.udpNode, at: Address(host: "10.0.0.3", port: 8888), localPeerID: "C")
        for n in [a, bNode, c] { try h.with(n) { try $0.managePeers(advertiseEvery: 20, peerTimeout: 60) } }
        #expect(peerIDs(h.nodes[a]) == ["B", "C"])
        #expect(peerIDs(h.nodes[bNode]) == ["A", "C"])
        #expect(peerIDs(h.nodes[c]) == ["A", "B"])
        #expect(h.nodes[a].peer(at: h.addresses[bNode])?.id == b("B"))
        // Periodic advertisements keep everyone alive well past the timeout.
        h.advance(by: 200)
        #expect(peerIDs(h.nodes[a]) == ["B", "C"])
        // C says goodbye: DISCONNECT removes it everywhere.
        h.with(c) { $0.stopPeerManagement() }
        #expect(peerIDs(h.nodes[a]) == ["B"] && peerIDs(h.nodes[bNode]) == ["A"])
        #expect(removals(h, a).map(\.1) == [.disconnect])
        // B vanishes silently: A drops it once more than 60 s pass without a word.
        h.offline.insert(bNode)
        h.advance(by: 60)
        #expect(peerIDs(h.nodes[a]) == ["B"])
        h.advance(by: 21)
        #expect(peerIDs(h.nodes[a]).isEmpty)
        #expect(removals(h, a).map(\.1) == [.disconnect, .timedOut])
    }

    @Test func udpDiscoveryOverIPv6WithPluginsOnTheAdvertisements() throws {
        let h = Harness()
        // Layers sharing one auth block need distinct MAC field names (§5.2).
        let auth = HMACAuthPlugin(secret: "peers", hmacField: "peer_hmac")
        // Inner layers must leave the uri (the app id) readable for routing.
        let cipher = Sha256StreamCipherPlugin(key: "peers", encryptURI: false)
        let a = h.add(.udpNode, at: Address(host: "fd00::1", port: 8888), localPeerID: "A") { $0.authPlugin = HMACAuthPlugin(secret: "net") }
        let bNode = h.add(.udpNode, at: Address(host: "fd00::2", port: 8888), localPeerID: "B") { $0.authPlugin = HMACAuthPlugin(secret: "net") }
        let stranger = h.add(.udpNode, at: Address(host: "fd00::3", port: 8888), localPeerID: "X") { $0.authPlugin = HMACAuthPlugin(secret: "net") }
        for n in [a, bNode] { try h.with(n) { try $0.managePeers(appID: b("app"), authPlugin: auth, cipherPlugin: cipher) } }
        try h.with(stranger) { try $0.managePeers(appID: b("app")) }  // no inner plugins
        #expect(peerIDs(h.nodes[a]) == ["B"])
        #expect(peerIDs(h.nodes[bNode]) == ["A"])
        #expect(h.nodes[a].peers.first?.addrs.elements == [Address(host: "fd00::2", port: 8888)])
        #expect(h.drops(of: a).contains(.innerAuthFailed))
        // The advertisement on the wire is protected: the peer record is not readable.
        let adv = try Message.decode(#require(h.frames(from: a).first))
        #expect(adv.type == .advertisePeer && adv.uriText == "app")
        #expect(adv.content != (try DefaultPeerPlugin().pack(h.nodes[a].configuration.localPeer!)))
        #expect(Set(adv.authFields.names) == ["iv", "nonce", "ts", "peer_hmac", "hmac"])
    }

    @Test func tcpDiscoveryDisconnectAndConnectionLoss() throws {
        let h = Harness()
        let server = h.add(.tcpServer, at: serverAddress, localPeerID: "S")
        let c1 = h.add(.tcpClient, at: clientAddress, localPeerID: "C1")
        let c2 = h.add(.tcpClient, at: client2Address, localPeerID: "C2")
        try h.with(server) { try $0.managePeers() }
        try h.with(c1) { try $0.managePeers() }
        let k1 = h.connect(c1, to: server)  // advertises on connect
        let k2 = h.connect(c2, to: server)
        try h.with(c2) { try $0.managePeers() }  // advertises on existing connections
        #expect(peerIDs(h.nodes[server]) == ["C1", "C2"])
        #expect(peerIDs(h.nodes[c1]) == ["S"] && peerIDs(h.nodes[c2]) == ["S"])
        #expect(h.nodes[server].peer(at: clientAddress)?.id == b("C1"))
        // Graceful close: DISCONNECT first.
        h.with(c1) { $0.close(k1) }
        #expect(peerIDs(h.nodes[server]) == ["C2"])
        #expect(removals(h, server).map(\.1) == [.disconnect])
        #expect(removals(h, c1).map(\.1) == [.connectionClosed])
        // Abrupt loss: the peer goes with its connection (netaio keeps it forever, Q18).
        h.sever(c2, k2)
        #expect(peerIDs(h.nodes[server]).isEmpty)
        #expect(removals(h, server).map(\.1) == [.disconnect, .connectionClosed])
    }

    @Test func spoofedDisconnectIsIgnored() throws {
        let h = Harness()
        let server = h.add(.tcpServer, at: serverAddress, localPeerID: "S")
        let c1 = h.add(.tcpClient, at: clientAddress, localPeerID: "C1")
        let c2 = h.add(.tcpClient, at: client2Address, localPeerID: "C2")
        try h.with(server) { try $0.managePeers() }
        try h.with(c1) { try $0.managePeers() }
        h.connect(c1, to: server)
        let k2 = h.connect(c2, to: server)
        // C2 claims to be C1 leaving.
        let forged = Message(type: .disconnect, uri: b("netaio"), content: try DefaultPeerPlugin().pack(Peer(id: b("C1"), data: nil)))
        h.with(c2) { $0.send(forged, to: .connection(k2)) }
        #expect(peerIDs(h.nodes[server]) == ["C1"])
        #expect(h.drops(of: server).contains(.disconnectNotFromPeer))
    }

    @Test func peerCapAndInvalidRecords() throws {
        let h = Harness()
        let node = h.add(.udpNode, at: Address(host: "10.0.0.1", port: 8888), localPeerID: "N") { $0.maxPeers = 2 }
        try h.nodes[node].managePeers()
        _ = h.nodes[node].takeActions()
        let plugin = DefaultPeerPlugin()
        for i in 0..<5 {
            let m = Message(type: .advertisePeer, uri: b("netaio"), content: try plugin.pack(Peer(id: [UInt8(i)], data: [1])))
            h.nodes[node].received(datagram: try m.encode(), from: Address(host: "10.0.1.\(i)", port: 8888))
        }
        #expect(h.nodes[node].peers.map(\.id) == [[0], [1]])
        #expect(h.nodes[node].takeActions().filter { $0 == .event(.dropped(Drop(.peerTableFull, endpoint: nil))) || {
            if case .event(.dropped(let d)) = $0 { d.reason == .peerTableFull } else { false } }($0) }.count == 3)
        // Records that netaio would crash on (Q11) are dropped: ints, strings, lists, no id.
        let hostile: [PackifyValue] = [
            .tuple([.int(PackifyInteger(1)), .bytes([1])]), .tuple([.string("id"), .bytes([1])]), .list([.list([]), .none]),
            .tuple([.none, .bytes([1])]), .tuple([.bytes([7])]), .none,
        ]
        for v in hostile {
            let m = Message(type: .advertisePeer, uri: b("netaio"), content: try Packify.encode(v))
            h.nodes[node].received(datagram: try m.encode(), from: Address(host: "10.0.2.1", port: 8888))
        }
        let reasons = h.nodes[node].takeActions().compactMap { a -> String? in
            if case .event(.dropped(let d)) = a { d.reason.code } else { nil }
        }
        #expect(reasons == Array(repeating: "invalid_peer_record", count: hostile.count))
        // Own id is never recorded; an address taken over by another id moves.
        let own = Message(type: .advertisePeer, uri: b("netaio"), content: try plugin.pack(Peer(id: b("N"), data: [1])))
        h.nodes[node].received(datagram: try own.encode(), from: Address(host: "10.0.3.1", port: 8888))
        #expect(h.nodes[node].peers.count == 2)
        h.nodes[node].removePeer(id: [1])
        let moved = Message(type: .peerDiscovered, uri: b("netaio"), content: try plugin.pack(Peer(id: [9], data: [1])))
        h.nodes[node].received(datagram: try moved.encode(), from: Address(host: "10.0.1.0", port: 8888))
        #expect(h.nodes[node].peers.map(\.id) == [[9]])
        #expect(h.nodes[node].takeActions().contains {
            if case .event(.peerRemoved(let p, .addressTaken)) = $0 { p.id == [0] } else { false }
        })
    }
}
