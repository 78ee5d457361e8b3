import NIOCore
import NetaioCore

/// One TCP connection (server or client side): cuts the stream into frames with
/// `FrameDecoder.frameLength`, hands each whole frame to the engine, and enforces the
/// hardening limits — frame size, partial-frame and idle timeouts, output back-pressure.
final class TCPConnectionHandler: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    // Mutable state is touched only on the channel's event loop, in short accesses: no
    // dynamic exclusivity checks (they were ~3% of a loaded server's CPU).
    private let driver: EngineDriver
    private let limits: ConnectionLimits
    /// Set at once for a client connection, on activation for an accepted one.
    @exclusivity(unchecked) private(set) var id: ConnectionID?
    private let isClient: Bool

    @exclusivity(unchecked) private var context: ChannelHandlerContext?
    @exclusivity(unchecked) private var buffer = ByteBuffer()
    @exclusivity(unchecked) private var frameTimer: Scheduled<Void>?
    @exclusivity(unchecked) private var idleTimer: Scheduled<Void>?
    @exclusivity(unchecked) private var firstFrameTimer: Scheduled<Void>?
    /// Eviction order (`EngineDriver.evictionCandidate`): when the connection became
    /// active, when input last arrived, and how many whole frames it sent.
    @exclusivity(unchecked) private(set) var activeSince = NIODeadline.now()
    @exclusivity(unchecked) private(set) var lastInput = NIODeadline.now()
    @exclusivity(unchecked) private(set) var completedFrames = 0
    /// Closed to make room for a newcomer (no longer counted, not evicted twice).
    @exclusivity(unchecked) private(set) var evicted = false
    @exclusivity(unchecked) private var pendingOutput = 0
    /// Bytes written since the last flush: replies produced while handling a read are
    /// flushed once, when the read is complete (one syscall for a pipelined batch).
    @exclusivity(unchecked) private var unflushedOutput = 0
    @exclusivity(unchecked) private var handlingRead = false
    @exclusivity(unchecked) private var readHeld = false
    @exclusivity(unchecked) private var resumeScheduled = false
    @exclusivity(unchecked) private var closing = false

    /// Accepted connection (server): registers with the engine when active.
    init(acceptedBy driver: EngineDriver, limits: ConnectionLimits) {
        self.driver = driver
        self.limits = limits
        self.isClient = false
    }

    /// Client connection the engine asked for with `.open(id, …)`.
    init(client id: ConnectionID, driver: EngineDriver, limits: ConnectionLimits) {
        self.driver = driver
        self.limits = limits
        self.id = id
        self.isClient = true
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { activate(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        activate(context)
        context.fireChannelActive()
    }

    private func activate(_ context: ChannelHandlerContext) {
        guard !isClient, id == nil else { return }
        guard let remote = Address(context.channel.remoteAddress) else {
            context.close(promise: nil)
            return
        }
        let newID = driver.run { $0.accepted(from: remote) }
        id = newID
        activeSince = .now()
        lastInput = activeSince
        driver.register(self, as: newID)
        armIdleTimer()
        armFirstFrameTimer()
    }

    /// Whether this accepted connection can be closed to make room for a newcomer.
    var isEvictable: Bool { !isClient && id != nil && !evicted && !closing }

    /// Closes this connection to make room for a newcomer; it stops counting against
    /// `maxConnections` at once.
    func evict() {
        guard isEvictable, let id else { return }
        evicted = true
        driver.liveHandlers -= 1
        driver.limitHit(.evicted, id)
        driver.run { $0.close(id) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard id != nil, !closing else { return }
        var chunk = unwrapInboundIn(data)
        buffer.writeBuffer(&chunk)
        lastInput = .now()
        armIdleTimer()
        handlingRead = true
        processBuffered()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        handlingRead = false
        flushOutput()
        context.fireChannelReadComplete()
    }

    /// Hands complete frames to the engine while output is not backed up. Frames left in
    /// the buffer wait for the output to drain (back-pressure within one read, too).
    private func processBuffered() {
        guard let id else { return }
        var incomplete = false
        while !closing, pendingOutput <= limits.outputHighWater {
            guard buffer.readableBytes >= Header.size else {
                incomplete = buffer.readableBytes > 0
                break
            }
            let length = FrameDecoder.frameLength(header: buffer.readableBytesView.prefix(Header.size))!
            if length > limits.maxFrameBytes {
                frameTooLarge(length)
                return
            }
            guard buffer.readableBytes >= length else {
                incomplete = true
                break
            }
            // The frame is decoded straight from the channel's buffer (no intermediate copy).
            buffer.withUnsafeReadableBytes { bytes in
                let frame = UnsafeRawBufferPointer(rebasing: bytes[0..<length])
                driver.run { $0.received(frame: frame, on: id) }
            }
            buffer.moveReaderIndex(forwardBy: length)
            if completedFrames == 0 {
                firstFrameTimer?.cancel()
                firstFrameTimer = nil
            }
            completedFrames &+= 1
        }
        if buffer.readableBytes == 0 {
            buffer.clear()
        } else if buffer.readerIndex > 65536 {
            buffer.discardReadBytes()
        }
        if incomplete {
            armFrameTimerIfNeeded()
        } else {
            frameTimer?.cancel()
            frameTimer = nil
        }
    }

    /// The header announces more than we accept: answer (servers), then close — we cannot
    /// skip that many bytes without trusting the header.
    private func frameTooLarge(_ length: Int) {
        guard let id else { return }
        driver.limitHit(.frameTooLarge, id)
        driver.run { engine in
            if engine.configuration.sendsReplies {
                engine.send(.error("frame of \(length) bytes exceeds the limit of \(limits.maxFrameBytes)"), to: .connection(id))
            }
            engine.close(id)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopTimers()
        if let id {
            driver.connectionEnded(id)
        }
        if !isClient && !evicted { driver.liveHandlers -= 1 }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    // MARK: - Output and back-pressure

    /// Writes one frame (flushed at once, or with the others of the read being handled);
    /// reading pauses while too much output is pending.
    func write(_ bytes: [UInt8]) {
        guard let context, !closing else { return }
        let n = bytes.count
        pendingOutput += n
        if pendingOutput > limits.maxPendingOutput {
            driver.limitHit(.slowReader, id)
            if let id { driver.run { $0.close(id) } } else { close() }
            return
        }
        unflushedOutput += n
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
        if !handlingRead { flushOutput() }
    }

    /// Flushes what was written since the last flush. One promise per flush: an empty
    /// write after the batch completes once every write before it has, so the batch's
    /// bytes leave `pendingOutput` together.
    private func flushOutput() {
        guard unflushedOutput > 0, let context, !closing else { return }
        let n = unflushedOutput
        unflushedOutput = 0
        let promise = context.eventLoop.makePromise(of: Void.self)
        promise.futureResult.whenComplete { [self] _ in
            pendingOutput -= n
            resumeIfDrained()
        }
        context.write(wrapOutboundOut(ByteBuffer()), promise: promise)
        context.flush()
    }

    /// Once output has drained below half the high-water mark: process the frames that
    /// waited, then read again. Deferred to a fresh event-loop turn, since a write may
    /// complete synchronously inside the engine's flush.
    private func resumeIfDrained() {
        guard !resumeScheduled, !closing, pendingOutput <= limits.outputHighWater / 2,
              readHeld || buffer.readableBytes >= Header.size, let context else { return }
        resumeScheduled = true
        context.eventLoop.execute { [self] in
            resumeScheduled = false
            guard !closing, pendingOutput <= limits.outputHighWater / 2 else { return }
            handlingRead = true
            processBuffered()
            handlingRead = false
            flushOutput()
            if readHeld && pendingOutput <= limits.outputHighWater / 2 {
                readHeld = false
                self.context?.read()
            }
        }
    }

    func read(context: ChannelHandlerContext) {
        // Hold reads while output is backed up or complete frames still wait in the buffer.
        if pendingOutput > limits.outputHighWater || buffer.readableBytes >= limits.maxFrameBytes {
            readHeld = true
            return
        }
        context.read()
    }

    /// A crash's close: output not yet flushed is discarded, nothing more is written.
    func abort() {
        guard !closing, let context else { return }
        closing = true
        stopTimers()
        context.close(promise: nil)
    }

    func close() {
        guard !closing, let context else { return }
        flushOutput()  // a last reply (e.g. "frame too large") goes out before the close
        closing = true
        stopTimers()
        context.close(promise: nil)
    }

    // MARK: - Timers

    private func armFrameTimerIfNeeded() {
        guard frameTimer == nil, limits.frameTimeout > 0, let context else { return }
        frameTimer = context.eventLoop.scheduleTask(in: .nanoseconds(Int64(limits.frameTimeout * 1e9))) { [self] in
            frameTimer = nil
            driver.limitHit(.partialFrameTimeout, id)
            if let id { driver.run { $0.close(id) } } else { close() }
        }
    }

    private func armIdleTimer() {
        idleTimer?.cancel()
        idleTimer = nil
        guard limits.idleTimeout > 0, let context else { return }
        idleTimer = context.eventLoop.scheduleTask(in: .nanoseconds(Int64(limits.idleTimeout * 1e9))) { [self] in
            idleTimer = nil
            driver.limitHit(.idleTimeout, id)
            if let id { driver.run { $0.close(id) } } else { close() }
        }
    }

    /// Accepted connections only: a client's server may legitimately never send.
    private func armFirstFrameTimer() {
        guard !isClient, limits.firstFrameTimeout > 0, completedFrames == 0, let context else { return }
        firstFrameTimer = context.eventLoop.scheduleTask(in: .nanoseconds(Int64(limits.firstFrameTimeout * 1e9))) { [self] in
            firstFrameTimer = nil
            guard completedFrames == 0 else { return }
            driver.limitHit(.firstFrameTimeout, id)
            if let id { driver.run { $0.close(id) } } else { close() }
        }
    }

    private func stopTimers() {
        firstFrameTimer?.cancel()
        firstFrameTimer = nil
        frameTimer?.cancel()
        frameTimer = nil
        idleTimer?.cancel()
        idleTimer = nil
    }
}
