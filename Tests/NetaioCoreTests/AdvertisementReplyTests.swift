import Testing
import NetaioCore
import NetaioTestSupport

/// Every advertisement heard is answered with PEER_DISCOVERED; without plugins the engine
/// keeps the encoded answer instead of building it per frame. It must stay the exact
/// bytes the general send path makes (the reference vectors check the first one, see
/// `PeerManagementTests`), follow configuration changes, and keep the reply guards.
@Suite struct AdvertisementReplyTests {
    let appID = b("netaio")
    let other = Address(host: "10.9.9.9", port: 8888)

    func engine(data: [UInt8], configure: (inout NodeConfiguration) -> Void = { _ in }) throws -> NodeEngine {
        var config = NodeConfiguration(role: .udpNode, random: SeededRandomSource(seed: 1), clock: ManualUnixClock(1000),
                                       localPeer: Peer(id: b("N"), data: data))
        configure(&config)
        let e = NodeEngine(config)
        try e.managePeers(appID: appID, advertiseEvery: 1000, peerTimeout: 600)
        _ = e.takeActions()
        return e
    }

    func advertise(_ e: NodeEngine, id: String) throws -> [Action] {
        let m = Message(type: .advertisePeer, uri: appID, content: try DefaultPeerPlugin().pack(Peer(id: b(id), data: [1])))
        e.received(datagram: try m.encode(), from: other)
        return e.takeActions()
    }

    func sent(_ actions: [Action]) -> [[UInt8]] { actions.compactMap { if case .send(let b, .address(other)) = $0 { b } else { nil } } }

    func expectedReply(data: [UInt8]) throws -> [UInt8] {
        try Message(type: .peerDiscovered, uri: appID, content: try DefaultPeerPlugin().pack(Peer(id: b("N"), data: data))).encode()
    }

    @Test func everyAdvertisementGetsTheSameBytesTheSendPathMakes() throws {
        let e = try engine(data: [7])
        let first = sent(try advertise(e, id: "P"))
        let again = sent(try advertise(e, id: "P"))
        let fromAnother = sent(try advertise(e, id: "Q"))
        #expect(first == [try expectedReply(data: [7])])
        #expect(again == first && fromAnother == first)
    }

    @Test func aNewConfigurationChangesTheReply() throws {
        let e = try engine(data: [7])
        _ = try advertise(e, id: "P")
        e.configuration.localPeer = Peer(id: b("N"), data: [8])
        #expect(sent(try advertise(e, id: "P")) == [try expectedReply(data: [8])])
    }

    @Test func theReplyGuardsStillApply() throws {
        // A configuration that treats every type as an error type: never answer one with another.
        let silent = try engine(data: [7]) { $0.isSilentType = { _, _ in true } }
        let actions = try advertise(silent, id: "P")
        #expect(sent(actions).isEmpty)
        let suppressed = actions.contains { if case .event(.dropped(let d)) = $0, d.reason == .errorReplySuppressed(.peerDiscovered) { true } else { false } }
        #expect(suppressed)
        #expect(silent.peer(id: b("P")) != nil)  // the sender is still learned
    }
}
