import Foundation
import NetaioNIO
import NetaioTestSupport
import Testing

/// The limits netaio's server lacks, on real loopback sockets: every misbehaving client
/// is dealt with while a good client keeps being served.
// The time limit only guards against hangs: the whole suite shares two cores and the
// cooperative thread pool with CPU-heavy tests, so it is generous.
@Suite(.serialized, .timeLimit(.minutes(3))) struct HardeningTests {
    func goodClientWorks(_ server: NetaioTCPServer, _ uri: String = "ok") async throws {
        let client = try await NetaioTCPClient.connect(host: "127.0.0.1", port: Int(server.localAddress.port))
        _ = try await client.create(uri, content: Array("fine".utf8), timeout: 3)
        #expect(text(try await client.request(uri, timeout: 3)) == "fine")
        try await client.shutdown()
    }

    @Test func slowlorisIsClosedWhileOthersAreServed() async throws {
        let server = try await startResourceServer(limits: ConnectionLimits(frameTimeout: 0.5))
        let slow = try RawSocket(server.localAddress)
        let frame = try Message(type: .requestURI, uri: Array("ok".utf8)).encode()
        slow.send(Array(frame.prefix(5)))  // a header started, never finished
        try await goodClientWorks(server)
        #expect(slow.closedByPeer(within: 3))
        #expect(try await server.limitCount(.partialFrameTimeout) == 1)
        try await goodClientWorks(server, "ok2")
        try await server.shutdown()
    }

    @Test func idleTimeoutClosesSilentConnections() async throws {
        let server = try await startResourceServer(limits: ConnectionLimits(idleTimeout: 0.4))
        let idle = try RawSocket(server.localAddress)
        #expect(idle.closedByPeer(within: 3))
        #expect(try await server.limitCount(.idleTimeout) == 1)
        try await server.shutdown()
    }

    /// When full, a newcomer is admitted and a held connection closed instead: first the
    /// oldest that never completed a frame, then the one silent longest.
    @Test func connectionLimitEvictsInsteadOfRefusing() async throws {
        let server = try await startResourceServer(limits: ConnectionLimits(maxConnections: 2))
        let a = try RawSocket(server.localAddress)
        try a.send(Message(type: .createURI, uri: Array("k".utf8), content: [1]))
        #expect(try a.readMessage()?.type == .ok)
        let b = try RawSocket(server.localAddress)  // never sends a byte
        try await Task.sleep(nanoseconds: 100_000_000)
        let c = try RawSocket(server.localAddress)  // full: b (no frame yet) makes room
        #expect(b.closedByPeer(within: 3))
        try c.send(Message(type: .requestURI, uri: Array("k".utf8)))
        #expect(try c.readMessage()?.type == .respondURI)
        #expect(try await server.limitCount(.evicted) == 1)
        #expect(try await server.limitCount(.connectionRefused) == 0)
        // Now a and c both completed frames; a has been silent longer, so d evicts a.
        try await Task.sleep(nanoseconds: 100_000_000)
        try c.send(Message(type: .requestURI, uri: Array("k".utf8)))
        #expect(try c.readMessage()?.type == .respondURI)
        let d = try RawSocket(server.localAddress)
        #expect(a.closedByPeer(within: 3))
        try d.send(Message(type: .requestURI, uri: Array("k".utf8)))
        #expect(try d.readMessage()?.type == .respondURI)
        try c.send(Message(type: .requestURI, uri: Array("k".utf8)))
        #expect(try c.readMessage()?.type == .respondURI)
        #expect(try await server.limitCount(.evicted) == 2)
        _ = consume b
        try await server.shutdown()
    }

    /// Issue 16: idle sockets beyond the limit cannot lock honest clients out: ≥ 99 % of
    /// request cycles (here: all) are served while 3 × the limit of silent sockets are open.
    @Test func idleSocketsBeyondTheLimitDoNotLockOut() async throws {
        let server = try await startResourceServer(limits: ConnectionLimits(maxConnections: 16))
        var idle: [RawSocket] = []
        var served = 0
        for i in 0..<100 {
            if i < 48 { idle.append(try RawSocket(server.localAddress)) }
            let client = try RawSocket(server.localAddress)
            try client.send(Message(type: .createURI, uri: Array("cycle\(i)".utf8), content: [1]))
            if try client.readMessage()?.type == .ok { served += 1 }
        }
        #expect(served >= 99, "\(served) of 100 cycles served")
        #expect(try await server.limitCount(.evicted) > 0)
        #expect(try await server.connectionCount() <= 16)
        idle.removeAll()
        try await server.shutdown()
    }

    @Test func firstFrameTimeoutClosesSocketsThatNeverSpeak() async throws {
        let server = try await startResourceServer(limits: ConnectionLimits(firstFrameTimeout: 0.4))
        let silent = try RawSocket(server.localAddress)
        let speaker = try RawSocket(server.localAddress)
        try speaker.send(Message(type: .createURI, uri: Array("s".utf8), content: [1]))
        #expect(try speaker.readMessage()?.type == .ok)
        #expect(silent.closedByPeer(within: 3))
        #expect(try await server.limitCount(.firstFrameTimeout) == 1)
        // A connection that completed a frame is not subject to it (idle timeout is off).
        try await Task.sleep(nanoseconds: 600_000_000)
        try speaker.send(Message(type: .requestURI, uri: Array("s".utf8)))
        #expect(try speaker.readMessage()?.type == .respondURI)
        try await server.shutdown()
    }

    @Test func defaultsHaveTheFirstFrameTimeoutOn() {
        #expect(ConnectionLimits.default.firstFrameTimeout == 30)
        #expect(ConnectionLimits.default.idleTimeout == 0)
        #expect(ConnectionLimits.default.maxConnections == 1024)
    }

    @Test func garbageGetsAnErrorReplyAndTheConnectionStays() async throws {
        let server = try await startResourceServer()
        let raw = try RawSocket(server.localAddress)
        // Header with type 14 (unknown) and a 3-byte body: framing holds, the frame is bad.
        raw.send([14, 0, 0, 0, 3, 0, 0, 0, 0, 0xde, 0xad, 0xbe])
        let error = try #require(try raw.readMessage())
        #expect(error.type == .error && text(error) == "invalid message")
        // A bad checksum too.
        var damaged = try Message(type: .requestURI, uri: Array("x".utf8)).encode()
        damaged[damaged.count - 1] ^= 0xff
        raw.send(damaged)
        #expect(try raw.readMessage()?.type == .error)
        // Then a good request on the same connection.
        try raw.send(Message(type: .createURI, uri: Array("after".utf8), content: Array("garbage".utf8)))
        #expect(try raw.readMessage()?.type == .ok)
        try raw.send(Message(type: .requestURI, uri: Array("after".utf8)))
        let reply = try #require(try raw.readMessage())
        #expect(reply.type == .respondURI && text(reply) == "garbage")
        try await server.shutdown()
    }

    @Test func oversizedFrameHeaderGetsErrorThenClose() async throws {
        let server = try await startResourceServer(limits: ConnectionLimits(maxFrameBytes: 1000))
        let raw = try RawSocket(server.localAddress)
        raw.send([0, 0x10, 0x00, 0xff, 0xff, 0, 0, 0, 0])  // announces 4096 + 65535 bytes
        let reply = try #require(try raw.readMessage())
        #expect(reply.type == .error && text(reply).contains("exceeds"))
        #expect(raw.closedByPeer(within: 3))
        #expect(try await server.limitCount(.frameTooLarge) == 1)
        try await goodClientWorks(server)
        try await server.shutdown()
    }

    /// A client that pipelines thousands of requests without reading the replies: the
    /// server stops reading from it instead of buffering megabytes, does not close it, and
    /// answers everything once it reads.
    @Test func pipeliningClientIsPausedNotBuffered() async throws {
        let limits = ConnectionLimits(outputHighWater: 16 << 10, maxPendingOutput: 256 << 10)
        let server = try await startResourceServer(limits: limits)
        let seed = try await NetaioTCPClient.connect(host: "127.0.0.1", port: Int(server.localAddress.port))
        _ = try await seed.create("big", content: [UInt8](repeating: 0x62, count: 4096))
        let greedy = try RawSocket(server.localAddress, receiveBuffer: 4096)
        let request = try Message(type: .requestURI, uri: Array("big".utf8)).encode()
        let count = 2000  // 8 MB of replies: more than the kernel buffers hold
        greedy.send(Array([[UInt8]](repeating: request, count: count).joined()))
        #expect(text(try await seed.request("big")).count == 4096, "others are still served")
        var answered = 0
        while answered < count, let reply = try greedy.readMessage(timeout: 5) {
            #expect(reply.type == .respondURI)
            answered += 1
        }
        #expect(answered == count)
        #expect(try await server.limitCount(.slowReader) == 0, "paused, never closed as a slow reader")
        try await seed.shutdown()
        try await server.shutdown()
    }

    @Test func subscriberThatNeverReadsIsClosed() async throws {
        let limits = ConnectionLimits(outputHighWater: 16 << 10, maxPendingOutput: 256 << 10)
        let server = try await startResourceServer(limits: limits)
        let lazy = try RawSocket(server.localAddress, receiveBuffer: 4096)
        try lazy.send(Message(type: .subscribeURI, uri: Array("flood".utf8)))
        #expect(try lazy.readMessage()?.type == .confirmSubscribe)
        let publisher = try await NetaioTCPClient.connect(host: "127.0.0.1", port: Int(server.localAddress.port))
        let chunk = [UInt8](repeating: 0x61, count: 32 << 10)
        var closed = false
        for _ in 0..<400 {
            _ = try await publisher.publish("flood", content: chunk, timeout: 3)
            if try await server.limitCount(.slowReader) > 0 { closed = true; break }
        }
        #expect(closed, "the server kept buffering for a reader that never reads")
        #expect(try await server.connectionCount() == 1)  // only the publisher is left
        try await publisher.shutdown()
        try await server.shutdown()
    }
}
