import Testing
import NetaioCore
import NetaioTestSupport

/// Re-advertisements with a byte-identical peer record skip the parse (an engine fast
/// path); anything that changes the record, or a peer plugin that is not netaio's
/// default, still goes through parse and validation.
@Suite struct UnchangedRecordTests {
    let source = Address(host: "10.0.0.9", port: 8888)
    let other = Address(host: "10.0.0.10", port: 8888)

    func advertise(_ engine: NodeEngine, id: String, data: [UInt8], from: Address, plugin: any PeerPlugin = DefaultPeerPlugin()) throws {
        let m = Message(type: .advertisePeer, uri: b("netaio"), content: try plugin.pack(Peer(id: b(id), data: data)))
        engine.received(datagram: try m.encode(), from: from)
    }

    @Test func identicalRecordsRefreshAndChangedOnesUpdate() throws {
        let clock = ManualUnixClock(1000)
        var config = NodeConfiguration(role: .udpNode, random: SeededRandomSource(seed: Array("t".utf8)), clock: clock, localPeer: Peer(id: b("N"), data: [0]))
        config.localAddress = Address(host: "10.0.0.1", port: 8888)
        let engine = NodeEngine(config)
        try engine.managePeers(advertiseEvery: 1000, peerTimeout: 60)
        try advertise(engine, id: "P", data: [1], from: source)
        clock.advance(by: 30)
        try advertise(engine, id: "P", data: [1], from: source)
        #expect(engine.peer(id: b("P"))?.lastRx == 1030)
        try advertise(engine, id: "P", data: [2], from: source)  // new data: parsed again
        #expect(engine.peer(id: b("P"))?.data == [2])
        try advertise(engine, id: "P", data: [2], from: other)  // same record, new address
        #expect(engine.peer(id: b("P"))?.addrs == [source, other])
        #expect(engine.peers.count == 1)
        // Every ADVERTISE_PEER was answered with PEER_DISCOVERED.
        let replies = engine.takeActions().filter { if case .send = $0 { true } else { false } }
        #expect(replies.count == 4)
    }

    /// A peer plugin whose validation changes over time must see every record.
    final class ExpiringPeerPlugin: PeerPlugin, @unchecked Sendable {
        var accepting = true
        let inner = DefaultPeerPlugin()
        func pack(_ peer: Peer) throws(PluginError) -> [UInt8] { try inner.pack(peer) }
        func unpack(_ bytes: [UInt8]) throws(PluginError) -> Peer { try inner.unpack(bytes) }
        func validate(_ peer: Peer) -> Bool { accepting && peer.id != nil }
        func parseData(_ peer: Peer) throws(PluginError) -> PackifyValue { try inner.parseData(peer) }
        func encodeData(_ data: PackifyValue, peerID: [UInt8]?) throws(PluginError) -> [UInt8] { try inner.encodeData(data, peerID: peerID) }
    }

    @Test func customPeerPluginsSeeEveryRecord() throws {
        let plugin = ExpiringPeerPlugin()
        var config = NodeConfiguration(role: .udpNode, random: SeededRandomSource(seed: Array("t".utf8)), clock: ManualUnixClock(1000), localPeer: Peer(id: b("N"), data: [0]))
        config.peerPlugin = plugin
        let engine = NodeEngine(config)
        try engine.managePeers(advertiseEvery: 1000, peerTimeout: 60)
        try advertise(engine, id: "P", data: [1], from: source, plugin: plugin)
        _ = engine.takeActions()
        plugin.accepting = false
        try advertise(engine, id: "P", data: [1], from: source, plugin: plugin)
        let dropped = engine.takeActions().contains { action in
            if case .event(.dropped(let d)) = action, case .invalidPeerRecord = d.reason { return true }
            return false
        }
        #expect(dropped)
    }

    /// A plugin that reads peer data back to front: after switching to netaio's default
    /// plugin, the same record bytes must be parsed again, not taken from memory.
    struct ReversingPeerPlugin: PeerPlugin {
        let inner = DefaultPeerPlugin()
        func pack(_ peer: Peer) throws(PluginError) -> [UInt8] { try inner.pack(peer) }
        func unpack(_ bytes: [UInt8]) throws(PluginError) -> Peer {
            var p = try inner.unpack(bytes)
            p.data = p.data.map { Array($0.reversed()) }
            return p
        }
        func validate(_ peer: Peer) -> Bool { peer.id != nil }
        func parseData(_ peer: Peer) throws(PluginError) -> PackifyValue { try inner.parseData(peer) }
        func encodeData(_ data: PackifyValue, peerID: [UInt8]?) throws(PluginError) -> [UInt8] { try inner.encodeData(data, peerID: peerID) }
    }

    @Test func changingThePeerPluginForgetsRememberedRecords() throws {
        var config = NodeConfiguration(role: .udpNode, random: SeededRandomSource(seed: Array("t".utf8)), clock: ManualUnixClock(1000), localPeer: Peer(id: b("N"), data: [0]))
        config.peerPlugin = ReversingPeerPlugin()
        let engine = NodeEngine(config)
        try engine.managePeers(advertiseEvery: 1000, peerTimeout: 60)
        try advertise(engine, id: "P", data: [1, 2], from: source)
        #expect(engine.peer(id: b("P"))?.data == [2, 1])
        engine.configuration.peerPlugin = DefaultPeerPlugin()
        try advertise(engine, id: "P", data: [1, 2], from: source)
        #expect(engine.peer(id: b("P"))?.data == [1, 2])
    }
}
