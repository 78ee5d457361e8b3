import NetaioCore
import NetaioFuzzChecks

extension FuzzCheck {
    /// A UDP NodeEngine with plugins on and peer management, fed fuzz datagrams from
    /// fuzz-chosen sources (raw bytes, or frames a legitimate node could build, then
    /// possibly damaged), with timers firing in between. It never traps, only ever sends
    /// valid frames, and afterwards still answers a well-formed request. With flag bit 1,
    /// datagrams go in with a driver's `BodyMemo` (as the simulator passes them, one per
    /// sender, here sometimes another sender's) and a second node fed the same datagrams
    /// without memos must do exactly the same: a memo is a hint and never changes an outcome.
    ///
    /// Input: flags (bit 0 sealed, bit 1 memos), then per datagram: source byte (bit 7:
    /// repeat the previous datagram, bit 6: with one byte changed), clock step byte, and
    /// the datagram (u16-length raw bytes, or a frame recipe; for a repeat, the changed
    /// byte's position and mask).
    public static let nodeUDP = FuzzCheck("FuzzNodeUDP") { input throws(FuzzFailure) in
        var reader = FuzzInput(input)
        let flags = reader.byte()
        let fixture = try NodeFixture(role: .udpNode)
        let server = fixture.server
        let context = fuzzContext(seed: Int(flags))
        // The memo-free twin (flag bit 1), and the memos: one per source byte modulo 5,
        // while hosts repeat modulo 4, so a memo is sometimes another sender's.
        let twin = flags & 2 != 0 ? try NodeFixture(role: .udpNode) : nil
        var memos = [BodyMemo?](repeating: nil, count: 5)
        var previous: [UInt8] = []
        var timers = timersArmed(by: try drainBoth(fixture, twin, limit: 8))
        var count = 0
        while !reader.isAtEnd, count < 16 {  // see the TCP check: speed over length
            count += 1
            let source = reader.byte()
            // Hosts 10.0.0.2-5 and, for source 255, the node's own host (dropped).
            let host = source == 255 ? "10.0.0.1" : "10.0.0.\(2 + source % 4)"
            let step = Double(reader.byte() % 64)
            var datagram: [UInt8]
            if source != 255, source & 0x80 != 0, !previous.isEmpty {
                // The previous datagram again (a re-advertisement, a duplicate), with one
                // byte changed when bit 6 says so: what a memo must not be fooled by.
                datagram = previous
                if source & 0x40 != 0 { datagram[Int(reader.uint16()) % datagram.count] ^= reader.byte() | 1 }
            } else {
                datagram = flags & 1 != 0 ? NodeFixture.sealedFrame(&reader, context: context) ?? [] : reader.longBytes(max: 4096)
            }
            previous = datagram
            let from = Address(host: host, port: 8888)
            if let twin {
                server.received(datagram: datagram, from: from, sharing: &memos[Int(source % 5)])
                twin.server.received(datagram: datagram, from: from)
            } else {
                server.received(datagram: datagram, from: from)
            }
            timers.append(contentsOf: timersArmed(by: try drainBoth(fixture, twin, limit: 64)))
            if step > 40 {  // let time pass: advertisements and peer expiry run
                fixture.clock.advance(by: step * 2)
                twin?.clock.advance(by: step * 2)
                let due = timers.filter { $0.deadline <= fixture.clock.now() }
                timers.removeAll { $0.deadline <= fixture.clock.now() }
                for t in due {
                    server.timerFired(t.id)
                    twin?.server.timerFired(t.id)
                }
                timers.append(contentsOf: timersArmed(by: try drainBoth(fixture, twin, limit: 64)))
            }
        }
        try liveness(of: fixture)
    }

    /// The node's actions (checked as `drainAll` does); with a twin, its actions must be
    /// the same.
    private static func drainBoth(_ fixture: NodeFixture, _ twin: NodeFixture?, limit: Int) throws(FuzzFailure) -> [Action] {
        let actions = try fixture.drainAll(limit: limit)
        if let twin {
            let twinActions = try twin.drainAll(limit: limit)
            try require(actions == twinActions, "a body memo changed what the node did: \(actions) vs \(twinActions) without")
        }
        return actions
    }

    private static func timersArmed(by actions: [Action]) -> [(id: TimerID, deadline: Double)] {
        actions.compactMap { if case .armTimer(let id, let deadline) = $0 { (id, deadline) } else { nil } }
    }

    private static func liveness(of fixture: NodeFixture) throws(FuzzFailure) {
        let client = NodeEngine(NodeFixture.configuration(.udpNode, clock: fixture.clock, at: NodeFixture.clientAddress, name: "client"))
        let id = client.request(Array("echo".utf8), content: Array("still alive".utf8), to: .address(NodeFixture.serverAddress))
        for case .send(let bytes, _) in client.takeActions() {
            fixture.server.received(datagram: bytes, from: NodeFixture.clientAddress)
        }
        let replies = try fixture.drain(limit: 64).filter { $0.to == .address(NodeFixture.clientAddress) }
        try require(!replies.isEmpty, "the node no longer answers a well-formed request")
        for reply in replies { client.received(datagram: reply.bytes, from: NodeFixture.serverAddress) }
        let answered = client.takeActions().contains {
            if case .event(.requestCompleted(id, let m)) = $0 { return m.content == Array("still alive".utf8) }
            return false
        }
        try require(answered, "the node's answer to a well-formed request is wrong")
    }
}

extension NodeFixture {
    /// `drain`, returning every action (for timers) after the same checks.
    func drainAll(limit: Int) throws(FuzzFailure) -> [Action] {
        let actions = server.takeActions()
        try require(actions.count <= limit, "\(actions.count) actions for one datagram")
        for action in actions {
            if case .send(let bytes, _) = action { try require((try? Message.decode(bytes)) != nil, "the node sent an undecodable frame") }
            if case .multicast(let bytes, _) = action { try require((try? Message.decode(bytes)) != nil, "the node multicast an undecodable frame") }
        }
        return actions
    }
}
