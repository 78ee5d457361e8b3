import NetaioCore
import NetaioFuzzChecks

extension FuzzCheck {
    /// A TCP-server NodeEngine with plugins on, fed fuzz bytes on one connection, as raw
    /// bytes or as frames a legitimate client could build (then possibly damaged), whole
    /// or in fuzz-chosen chunks. It never traps, only ever sends valid frames, and
    /// afterwards still answers a well-formed request on a new connection.
    ///
    /// Input: flags (bit 0 sealed frames, bit 1 chunked, bit 2 cut into frames the way
    /// the NIO connection handler does and handed over with `received(frame:on:)`), chunk
    /// plan, then the stream (raw) or frame recipes (sealed).
    public static let nodeTCPServer = FuzzCheck("FuzzNodeTCPServer") { input throws(FuzzFailure) in
        var reader = FuzzInput(input)
        let flags = reader.byte()
        let plan = reader.shortBytes(max: 16).map { Int($0) % 64 + 1 }
        let fixture = try NodeFixture(role: .tcpServer)
        let server = fixture.server
        try fixture.drain(limit: 8)

        var stream: [UInt8] = []
        if flags & 1 != 0 {
            let context = fuzzContext(seed: Int(flags))
            // At most 16 frames: each costs several plugin passes, and more frames per input
            // buy little coverage for a lot of speed.
            var frames = 0
            while !reader.isAtEnd, frames < 16 {
                frames += 1
                if let frame = NodeFixture.sealedFrame(&reader, context: context) { stream += frame }
            }
        } else {
            stream = reader.rest()
        }

        let conn = server.accepted(from: Address(host: "10.0.0.2", port: 40000))
        var offset = 0, step = 0
        if flags & 4 != 0 {
            // The socket driver's path: whole frames delimited by their header, no copy.
            while stream.count - offset >= Header.size,
                  let length = FrameDecoder.frameLength(header: stream[offset..<(offset + Header.size)]),
                  stream.count - offset >= length {
                stream.withUnsafeBytes { all in
                    server.received(frame: UnsafeRawBufferPointer(rebasing: all[offset..<(offset + length)]), on: conn)
                }
                try fixture.drain(limit: 64 + 2 * length)
                offset += length
            }
            offset = stream.count
        }
        while offset < stream.count {
            let size = flags & 2 != 0 && !plan.isEmpty ? plan[step % plan.count] : stream.count
            step += 1
            let end = min(stream.count, offset + size)
            server.received(stream[offset..<end], on: conn)
            try fixture.drain(limit: 64 + 2 * (end - offset))  // at most a reply per 9-byte header
            offset = end
        }
        server.closed(conn)
        try fixture.drain(limit: 64)
        try liveness(of: fixture)
    }

    /// A fresh client asks `echo` on a new connection and must get its content back.
    private static func liveness(of fixture: NodeFixture) throws(FuzzFailure) {
        let client = NodeEngine(NodeFixture.configuration(.tcpClient, clock: fixture.clock, at: NodeFixture.clientAddress, name: "client"))
        let cconn = client.connect(to: NodeFixture.serverAddress)
        client.connected(cconn)
        let sconn = fixture.server.accepted(from: NodeFixture.clientAddress)
        let id = client.request(Array("echo".utf8), content: Array("still alive".utf8), to: .connection(cconn))
        for case .send(let bytes, _) in client.takeActions() { fixture.server.received(bytes, on: sconn) }
        let replies = try fixture.drain(limit: 64).filter { $0.to == .connection(sconn) }
        try require(!replies.isEmpty, "the server no longer answers a well-formed request")
        for reply in replies { client.received(reply.bytes, on: cconn) }
        let answered = client.takeActions().contains {
            if case .event(.requestCompleted(id, let m)) = $0 { return m.content == Array("still alive".utf8) }
            return false
        }
        try require(answered, "the server's answer to a well-formed request is wrong")
    }
}
