import NIOCore
import NetaioCore

/// Owns one NodeEngine and performs its actions on one event loop: writes and closes on
/// channels, datagrams, timers as scheduled tasks, request outcomes as promises. The
/// engine is only ever touched on `eventLoop` (every method here asserts it).
final class EngineDriver: @unchecked Sendable {
    let eventLoop: any EventLoop
    let engine: NodeEngine

    // State below is touched only on `eventLoop` (asserted), in short accesses: no
    // dynamic exclusivity checks.
    /// TCP connections by engine id.
    @exclusivity(unchecked) private var connections: [ConnectionID: TCPConnectionHandler] = [:]
    /// TCP client: what to do on `.open` (connect a channel, then call `opened`/`openFailed`).
    var opener: ((ConnectionID, Address) -> Void)?
    /// UDP: the datagram channel.
    var datagramChannel: (any Channel)?
    /// UDP: when set, a multicast goes as one unicast datagram to each of these addresses
    /// instead (multicast emulation where the interface has none, e.g. Linux `lo`).
    var multicastTargets: (() -> [Address])?
    /// UDP: a fault shim between the socket and the engine. Given each inbound datagram
    /// and its source, returns the copies to deliver and the wall seconds to hold each
    /// (none = dropped). For loopback runs of scenarios (NetaioScenarioReal).
    var inboundShim: (([UInt8], Address) -> [(bytes: [UInt8], delay: Double)])?
    /// UDP: told of every datagram handed to the socket, with its destination (the
    /// scenario runner's measure of how far behind the shared event loop reads).
    var outboundObserver: (([UInt8], Address) -> Void)?
    /// Events other than request outcomes (drops, peers), for logs and tests.
    var onEvent: ((Event) -> Void)?

    @exclusivity(unchecked) private var timers: [TimerID: Scheduled<Void>] = [:]
    @exclusivity(unchecked) private var requests: [RequestID: EventLoopPromise<Message>] = [:]
    private var connects: [ConnectionID: EventLoopPromise<Void>] = [:]
    /// Streams (subscriptions) to finish when a connection ends or the node stops.
    private var streams: [ConnectionID?: [AsyncStream<Message>.Continuation]] = [:]
    @exclusivity(unchecked) private var flushing = false
    private(set) var isShutDown = false
    /// Ended by `kill`: whatever the engine still queues is never performed.
    private(set) var isKilled = false
    /// How often each hardening limit was hit, and a hook to log it.
    private(set) var limitCounts: [LimitEvent: Int] = [:]
    var onLimit: ((LimitEvent, ConnectionID?) -> Void)?
    /// Live TCP connection handlers (counted from channel init, so the limit holds
    /// before a channel becomes active).
    var liveHandlers = 0

    init(eventLoop: any EventLoop, configuration: NodeConfiguration) {
        self.eventLoop = eventLoop
        self.engine = NodeEngine(configuration)
    }

    /// Runs `body` against the engine, then performs what it queued.
    func run<T>(_ body: (NodeEngine) throws -> T) rethrows -> T {
        eventLoop.preconditionInEventLoop()
        defer { flush() }
        return try body(engine)
    }

    /// Performs every queued action, including those queued while performing.
    func flush() {
        eventLoop.preconditionInEventLoop()
        guard !flushing, !isKilled else { return }
        flushing = true
        defer { flushing = false }
        while engine.hasPendingActions {
            engine.drainActions { perform($0) }
        }
    }

    private func perform(_ action: Action) {
        switch action {
        case .open(let id, let address):
            if let opener { opener(id, address) } else { engine.closed(id) }
        case .send(let bytes, .connection(let id)):
            connections[id]?.write(bytes)
        case .send(let bytes, .address(let address)):
            sendDatagram(bytes, to: address)
        case .multicast(let bytes, let group):
            if let multicastTargets {
                for target in multicastTargets() { sendDatagram(bytes, to: target) }
            } else {
                sendDatagram(bytes, to: group)
            }
        case .close(let id):
            connections.removeValue(forKey: id)?.close()
            finishStreams(of: id)
        case .armTimer(let id, let deadline):
            // A scaled clock runs `rate` times faster than the wall: its seconds are shorter.
            let rate = (engine.configuration.clock as? ScaledUnixClock)?.rate ?? 1
            let delay = max(0, deadline - engine.configuration.clock.now()) / rate
            let nanos = Int64(min(delay, 1e9) * 1e9)
            timers[id] = eventLoop.scheduleTask(in: .nanoseconds(nanos)) { [self] in
                timers[id] = nil
                run { $0.timerFired(id) }
            }
        case .cancelTimer(let id):
            timers.removeValue(forKey: id)?.cancel()
        case .event(.requestCompleted(let id, let message)):
            requests.removeValue(forKey: id)?.succeed(message)
        case .event(.requestFailed(let id, let error)):
            requests.removeValue(forKey: id)?.fail(NetaioError(error))
        case .event(let other):
            onEvent?(other)
        }
    }

    private func sendDatagram(_ bytes: [UInt8], to address: Address) {
        guard let channel = datagramChannel else { return }
        outboundObserver?(bytes, address)
        do {
            let envelope = AddressedEnvelope(remoteAddress: try address.socketAddress(), data: ByteBuffer(bytes: bytes))
            channel.writeAndFlush(envelope, promise: nil)
        } catch {
            onEvent?(.dropped(Drop(.sendFailed("bad address \(address): \(error)"), endpoint: .address(address))))
        }
    }

    func limitHit(_ event: LimitEvent, _ id: ConnectionID?) {
        limitCounts[event, default: 0] += 1
        onLimit?(event, id)
    }

    // MARK: - Connections

    func register(_ handler: TCPConnectionHandler, as id: ConnectionID) {
        connections[id] = handler
    }

    /// The connection to close when a server is full (ConnectionLimits.maxConnections):
    /// the oldest that never completed a frame, else the one whose last input is oldest.
    /// nil when none can be evicted (none is active yet).
    func evictionCandidate() -> TCPConnectionHandler? {
        var silent: TCPConnectionHandler?
        var idle: TCPConnectionHandler?
        for handler in connections.values where handler.isEvictable {
            if handler.completedFrames == 0 {
                if silent.map({ handler.activeSince < $0.activeSince }) ?? true { silent = handler }
            } else if idle.map({ handler.lastInput < $0.lastInput }) ?? true {
                idle = handler
            }
        }
        return silent ?? idle
    }

    /// TCP client: the channel for `id` is up.
    func opened(_ id: ConnectionID, handler: TCPConnectionHandler) {
        connections[id] = handler
        run { $0.connected(id) }
        connects.removeValue(forKey: id)?.succeed(())
    }

    func openFailed(_ id: ConnectionID, _ error: any Error) {
        run { $0.closed(id) }
        connects.removeValue(forKey: id)?.fail(NetaioError.connectionFailed(String(describing: error)))
    }

    /// The channel of `id` is gone (EOF, reset, our close).
    func connectionEnded(_ id: ConnectionID) {
        connections[id] = nil
        // After a kill the engine is dead: it hears nothing more (a stopped engine has
        // already forgotten the connection, so telling it would change nothing either).
        if !isShutDown { run { $0.closed(id) } }
        finishStreams(of: id)
    }

    /// TCP client: asks the engine to connect; the future completes when it is up.
    func connect(to server: Address) -> EventLoopFuture<ConnectionID> {
        eventLoop.preconditionInEventLoop()
        let promise = eventLoop.makePromise(of: Void.self)
        let id = engine.connect(to: server)
        connects[id] = promise
        flush()
        return promise.futureResult.map { id }
    }

    // MARK: - Requests and streams

    /// Starts a request through `start` (which calls the engine) and returns its outcome.
    func request(_ start: (NodeEngine) -> RequestID) -> EventLoopFuture<Message> {
        eventLoop.preconditionInEventLoop()
        guard !isShutDown else { return eventLoop.makeFailedFuture(NetaioError.cancelled) }
        let promise = eventLoop.makePromise(of: Message.self)
        let id = start(engine)
        requests[id] = promise  // before flushing: an immediate failure is an action too
        flush()
        return promise.futureResult
    }

    func addStream(_ continuation: AsyncStream<Message>.Continuation, endingWith connection: ConnectionID?) {
        streams[connection, default: []].append(continuation)
    }

    private func finishStreams(of id: ConnectionID) {
        for c in streams.removeValue(forKey: id) ?? [] { c.finish() }
    }

    /// Stops the engine (DISCONNECTs, closes, cancels requests), cancels timers, ends streams.
    func shutdown() {
        eventLoop.preconditionInEventLoop()
        guard !isShutDown else { return }
        run { $0.stop() }
        isShutDown = true
        endLocalWork()
    }

    /// What a killed process leaves behind: no DISCONNECT, no last reply, nothing queued
    /// is written; every connection is closed as the kernel closes a dead process's
    /// sockets, and the peers on the other side only see the connection end. The engine
    /// is not told (its state dies with the process).
    func kill() {
        eventLoop.preconditionInEventLoop()
        guard !isShutDown else { return }
        isShutDown = true
        isKilled = true
        let open = connections
        connections.removeAll()
        for (_, handler) in open { handler.abort() }
        for (_, p) in requests { p.fail(NetaioError.cancelled) }
        requests.removeAll()
        endLocalWork()
    }

    private func endLocalWork() {
        for (_, t) in timers { t.cancel() }
        timers.removeAll()
        for (_, list) in streams { for c in list { c.finish() } }
        streams.removeAll()
        for (_, p) in connects { p.fail(NetaioError.cancelled) }
        connects.removeAll()
    }
}
