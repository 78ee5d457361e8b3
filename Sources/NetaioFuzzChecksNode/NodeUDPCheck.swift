import NetaioCore
import NetaioFuzzChecks

extension FuzzCheck {
    /// A UDP NodeEngine with plugins on and peer management, fed fuzz datagrams from
    /// fuzz-chosen sources (raw bytes, or frames a legitimate node could build, then
    /// possibly damaged), with timers firing in between. It never traps, only ever sends
    /// valid frames, and afterwards still answers a well-formed request.
    ///
    /// Input: flags (bit 0 sealed), then per datagram: source byte, clock step byte, and
    /// the datagram (u16-length raw bytes, or a frame recipe).
    public static let nodeUDP = FuzzCheck("FuzzNodeUDP") { input throws(FuzzFailure) in
        var reader = FuzzInput(input)
        let flags = reader.byte()
        let fixture = try NodeFixture(role: .udpNode)
        let server = fixture.server
        let context = fuzzContext(seed: Int(flags))
        var timers = timersArmed(by: try fixture.drainAll(limit: 8))
        var count = 0
        while !reader.isAtEnd, count < 16 {  // see the TCP check: speed over length
            count += 1
            let source = reader.byte()
            // Hosts 10.0.0.2-5 and, for source 255, the node's own host (dropped).
            let host = source == 255 ? "10.0.0.1" : "10.0.0.\(2 + source % 4)"
            let step = Double(reader.byte() % 64)
            let datagram = flags & 1 != 0 ? NodeFixture.sealedFrame(&reader, context: context) ?? [] : reader.longBytes(max: 4096)
            server.received(datagram: datagram, from: Address(host: host, port: 8888))
            timers.append(contentsOf: timersArmed(by: try fixture.drainAll(limit: 64)))
            if step > 40 {  // let time pass: advertisements and peer expiry run
                fixture.clock.advance(by: step * 2)
                let due = timers.filter { $0.deadline <= fixture.clock.now() }
                timers.removeAll { $0.deadline <= fixture.clock.now() }
                for t in due { server.timerFired(t.id) }
                timers.append(contentsOf: timersArmed(by: try fixture.drainAll(limit: 64)))
            }
        }
        try liveness(of: fixture)
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
