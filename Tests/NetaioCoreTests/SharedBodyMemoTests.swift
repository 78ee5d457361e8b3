import Testing
@testable import NetaioCore
import NetaioTestSupport
import NetaioWire

/// A driver may hand one datagram to many engines with one `BodyMemo` per sender
/// (`received(datagram:from:sharing:)`, as the simulator does): the receivers then share
/// the body's arrays. The memo is only ever a hint: a changed, corrupted or foreign frame
/// decodes exactly as without it.
@Suite struct SharedBodyMemoTests {
    let sender = Address(host: "10.0.0.9", port: 8888)

    func engine(_ name: String) throws -> NodeEngine {
        var config = NodeConfiguration(role: .udpNode, random: SeededRandomSource(seed: b(name)), clock: ManualUnixClock(1000),
                                       localPeer: Peer(id: b(name), data: [0]))
        config.localAddress = Address(host: "10.0.0.1", port: 8888)
        let e = NodeEngine(config)
        try e.managePeers(advertiseEvery: 1000, peerTimeout: 60)
        _ = e.takeActions()
        return e
    }

    func advertisement(id: String, data: [UInt8]) throws -> [UInt8] {
        try Message(type: .advertisePeer, uri: b("netaio"), content: try DefaultPeerPlugin().pack(Peer(id: b(id), data: data))).encode()
    }

    func storage(_ a: [UInt8]?) -> UnsafeRawPointer? { a?.withUnsafeBytes { $0.baseAddress } }

    func drops(_ e: NodeEngine) -> [DropReason] {
        e.takeActions().compactMap { if case .event(.dropped(let d)) = $0 { d.reason } else { nil } }
    }

    @Test func receiversOfOneDatagramShareTheBody() throws {
        let receivers = try (0..<3).map { try engine("R\($0)") }
        let frame = try advertisement(id: "P", data: [1])
        var memo: BodyMemo?
        for r in receivers { r.received(datagram: frame, from: sender, sharing: &memo) }
        for r in receivers { #expect(r.peer(id: b("P"))?.data == [1]) }
        // Every receiver remembers the very arrays of the memo, not a copy of its own.
        for r in receivers {
            let record = r.peerBook.lastRecord(at: sender)
            #expect(record != nil && storage(record?.content) == storage(memo?.content))
        }
        let sent = Message(type: .advertisePeer, uri: b("netaio"), content: try DefaultPeerPlugin().pack(Peer(id: b("P"), data: [1])))
        #expect(memo?.checksum == sent.body.checksum)
    }

    @Test func aChangedBodyIsDecodedAfreshAndReplacesTheMemo() throws {
        let r = try engine("R")
        var memo: BodyMemo?
        r.received(datagram: try advertisement(id: "P", data: [1]), from: sender, sharing: &memo)
        let first = memo?.content
        r.received(datagram: try advertisement(id: "P", data: [2]), from: sender, sharing: &memo)
        #expect(r.peer(id: b("P"))?.data == [2])
        #expect(memo?.content != first)
        #expect(drops(r).isEmpty)
    }

    @Test func corruptedFramesFailTheChecksumWhateverTheMemo() throws {
        let r = try engine("R")
        var memo: BodyMemo?
        let frame = try advertisement(id: "P", data: [1])
        r.received(datagram: frame, from: sender, sharing: &memo)
        _ = r.takeActions()
        let remembered = memo
        // The memo's body under a wrong checksum, and a flipped body byte under the right one.
        var badChecksum = frame
        badChecksum[Header.size - 1] ^= 0x01
        var badBody = frame
        badBody[frame.count - 1] ^= 0x01
        for bad in [badChecksum, badBody] {
            r.received(datagram: bad, from: sender, sharing: &memo)
            #expect(drops(r) == [.checksumMismatch])
            #expect(storage(memo?.content) == storage(remembered?.content))  // a failed frame leaves the memo alone
        }
    }

    @Test func aMemoOfAnotherBodyIsHarmless() throws {
        let r = try engine("R")
        var memo: BodyMemo?
        r.received(datagram: try advertisement(id: "Q", data: [7]), from: Address(host: "10.0.0.7", port: 8888), sharing: &memo)
        // The same memo handed in for another sender's different body: decoded on its own.
        r.received(datagram: try advertisement(id: "P", data: [1]), from: sender, sharing: &memo)
        #expect(r.peer(id: b("P"))?.data == [1] && r.peer(id: b("Q"))?.data == [7])
        #expect(drops(r).isEmpty)
    }
}
