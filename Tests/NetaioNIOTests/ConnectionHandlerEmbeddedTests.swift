import NIOCore
import NIOEmbedded
import Testing
@testable import NetaioNIO

/// `TCPConnectionHandler`'s hardening limits, deterministically: the handler and a
/// resource server's engine on an `EmbeddedChannel`, time moved by `advanceTime`, a
/// client that does not read modelled by an outbound handler that holds the writes.
/// HardeningTests checks the same limits on real sockets.
@Suite struct ConnectionHandlerEmbeddedTests {
    /// A resource server's engine and driver on one embedded event loop.
    final class Server {
        let loop = EmbeddedEventLoop()
        let driver: EngineDriver
        let limits: ConnectionLimits

        init(_ limits: ConnectionLimits) {
            self.limits = limits
            driver = EngineDriver(eventLoop: loop, configuration: NodeOptions().configuration(role: .tcpServer))
            driver.run { ResourceService().install(on: $0) }
        }

        /// An accepted connection; with `stall`, its output waits in a `Stall` (a client
        /// that does not read) instead of leaving at once.
        func accept(port: Int, stall: Stall? = nil) throws -> EmbeddedChannel {
            let channel = EmbeddedChannel(loop: loop)
            if let stall { try channel.pipeline.syncOperations.addHandler(stall) }
            try channel.pipeline.syncOperations.addHandler(TCPConnectionHandler(acceptedBy: driver, limits: limits))
            let remote = try SocketAddress(ipAddress: "10.0.0.2", port: port)
            channel.remoteAddress = remote
            channel.connect(to: remote, promise: nil)
            return channel
        }

        func count(_ event: LimitEvent) -> Int { driver.limitCounts[event] ?? 0 }
    }

    /// Holds every write (and its promise) until released: the socket of a client that
    /// does not read.
    final class Stall: ChannelOutboundHandler, @unchecked Sendable {
        typealias OutboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        private var held: [(NIOAny, EventLoopPromise<Void>?)] = []
        private var context: ChannelHandlerContext?

        func handlerAdded(context: ChannelHandlerContext) { self.context = context }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            held.append((data, promise))
        }

        func flush(context: ChannelHandlerContext) {}

        /// Frames (non-empty writes) still held.
        var heldFrames: Int { held.count { unwrapOutboundIn($0.0).readableBytes > 0 } }

        /// Lets every held write through, as a client reading everything would.
        func release() {
            guard let context else { return }
            let writes = held
            held = []
            for (data, promise) in writes { context.write(data, promise: promise) }
            context.flush()
        }
    }

    static func send(_ channel: EmbeddedChannel, _ bytes: [UInt8]) throws {
        try channel.writeInbound(channel.allocator.buffer(bytes: bytes))
    }

    static func frame(_ type: MessageType, _ uri: String, _ content: [UInt8] = []) throws -> [UInt8] {
        try Message(type: type, uri: Array(uri.utf8), content: content).encode()
    }

    /// Every frame written to the channel so far (the handler's empty flush markers skipped).
    static func replies(_ channel: EmbeddedChannel) throws -> [Message] {
        var out: [Message] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
            if buffer.readableBytes > 0 { out.append(try Message.decode(Array(buffer.readableBytesView))) }
        }
        return out
    }

    @Test func slowlorisFrameIsClosedAtTheFrameTimeout() throws {
        let server = Server(ConnectionLimits(frameTimeout: 10))
        let channel = try server.accept(port: 5001)
        let request = try Self.frame(.createURI, "k", [1, 2, 3])
        try Self.send(channel, Array(request.prefix(5)))
        server.loop.advanceTime(by: .seconds(9))
        #expect(channel.isActive, "still inside the frame timeout")
        server.loop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive, "closed 10 s after the frame's first byte")
        #expect(server.count(.partialFrameTimeout) == 1)
        #expect(try Self.replies(channel).isEmpty)
    }

    @Test func aFrameCompletedInTimeCancelsTheFrameTimeout() throws {
        let server = Server(ConnectionLimits(frameTimeout: 10))
        let channel = try server.accept(port: 5002)
        let request = try Self.frame(.createURI, "k", [1, 2, 3])
        try Self.send(channel, Array(request.prefix(5)))
        server.loop.advanceTime(by: .seconds(8))
        try Self.send(channel, Array(request.dropFirst(5)))
        #expect(try Self.replies(channel).map(\.type) == [.ok])
        server.loop.advanceTime(by: .seconds(3600))
        #expect(channel.isActive, "no partial frame, and no idle timeout by default")
        #expect(server.count(.partialFrameTimeout) == 0)
    }

    @Test func idleConnectionIsClosedOnlyWhenSilentForTheIdleTimeout() throws {
        let server = Server(ConnectionLimits(idleTimeout: 30))
        let channel = try server.accept(port: 5003)
        server.loop.advanceTime(by: .seconds(29))
        try Self.send(channel, try Self.frame(.createURI, "k", [1]))
        #expect(try Self.replies(channel).map(\.type) == [.ok])
        server.loop.advanceTime(by: .seconds(29))
        #expect(channel.isActive, "input restarted the idle clock")
        server.loop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
        #expect(server.count(.idleTimeout) == 1)
    }

    @Test func oversizedFrameGetsAnErrorThenTheConnectionCloses() throws {
        let server = Server(ConnectionLimits(maxFrameBytes: 1000))
        let channel = try server.accept(port: 5004)
        let big = try Self.frame(.createURI, "k", [UInt8](repeating: 7, count: 2000))
        try Self.send(channel, Array(big.prefix(Header.size)))  // the header alone decides
        let replies = try Self.replies(channel)
        #expect(replies.map(\.type) == [.error])
        #expect(replies.first.map { String(decoding: $0.content, as: UTF8.self) } == "frame of \(big.count) bytes exceeds the limit of 1000")
        #expect(!channel.isActive)
        #expect(server.count(.frameTooLarge) == 1)
    }

    /// Pipelined requests from a client that does not read: once its unsent output passes
    /// the high-water mark, its further frames wait (nothing more is buffered for it);
    /// each time it reads, the next ones are answered, and in the end all are.
    @Test func pipeliningClientIsPausedNotBuffered() throws {
        let server = Server(ConnectionLimits(outputHighWater: 1000, maxPendingOutput: 1 << 20))
        let stall = Stall()
        let channel = try server.accept(port: 5005, stall: stall)
        try Self.send(channel, try Self.frame(.createURI, "big", [UInt8](repeating: 0x62, count: 1500)))
        stall.release()
        server.loop.run()
        #expect(try Self.replies(channel).map(\.type) == [.ok])
        let requests = 10
        try Self.send(channel, Array(try [[UInt8]](repeating: Self.frame(.requestURI, "big"), count: requests).joined()))
        #expect(stall.heldFrames == 1, "one 1.5 KB reply passes the 1,000-byte high-water mark: the rest wait")
        var answered: [Message] = []
        for _ in 0..<requests where answered.count < requests {
            stall.release()
            server.loop.run()
            answered += try Self.replies(channel)
            #expect(stall.heldFrames <= 1)
        }
        #expect(answered.count == requests)
        #expect(answered.allSatisfy { $0.type == .respondURI && $0.content.count == 1500 })
        #expect(server.count(.slowReader) == 0)
        #expect(channel.isActive)
    }

    /// A subscriber that never reads while notifications keep coming is closed once its
    /// unsent output passes `maxPendingOutput`; the publisher is unaffected.
    @Test func subscriberThatNeverReadsIsClosed() throws {
        let server = Server(ConnectionLimits(outputHighWater: 1000, maxPendingOutput: 8000))
        let stall = Stall()
        let subscriber = try server.accept(port: 5006, stall: stall)
        let publisher = try server.accept(port: 5007)
        try Self.send(publisher, try Self.frame(.createURI, "doc", [0]))
        try Self.send(subscriber, try Self.frame(.subscribeURI, "doc"))
        #expect(stall.heldFrames == 1, "CONFIRM_SUBSCRIBE, unread")
        var updates = 0
        while subscriber.isActive && updates < 20 {
            try Self.send(publisher, try Self.frame(.updateURI, "doc", [UInt8](repeating: 1, count: 1000)))
            updates += 1
        }
        #expect(!subscriber.isActive)
        #expect(updates <= 9, "closed once more than 8,000 bytes were unsent")
        #expect(server.count(.slowReader) == 1)
        #expect(publisher.isActive)
        #expect(try Self.replies(publisher).map(\.type) == [.ok] + Array(repeating: .ok, count: updates))
    }
}
