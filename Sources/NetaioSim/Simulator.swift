import CPrefetch
import NetaioCore

/// A deterministic discrete-event simulation of netaio nodes on a virtual network.
///
/// One virtual clock, one seeded generator for the network (xoshiro256** seeded by
/// SplitMix64; each node's engine gets its own stream derived from the same seed), and
/// one event queue ordered by (time, sequence). Nothing reads the wall clock or the system
/// random source, nothing iterates a hashed collection, nothing runs on another thread:
/// the same nodes, timeline and seed give the same run, and the same trace hash, anywhere.
public final class Simulator {
    public let seed: UInt64
    let virtualTime = VirtualTime()
    // Hot state of the event loop: short accesses only, one thread (see NodeEngine).
    @exclusivity(unchecked) var generator: Xoshiro256StarStar
    @exclusivity(unchecked) var queue = EventQueue<Scheduled>()
    @exclusivity(unchecked) public private(set) var nodes: [SimNode] = []
    /// Each node's running engine (nil while down), beside `nodes` so delivering a packet
    /// touches one object less.
    @exclusivity(unchecked) var engines: [NodeEngine?] = []
    /// Bound addresses (UDP sockets, listening TCP servers) → node. Looked up, never iterated.
    @exclusivity(unchecked) var boundAddresses = AddressIndex()
    /// UDP nodes per LAN segment, in index order (multicast recipients).
    @exclusivity(unchecked) var udpMembers: [Int: [Int]] = [:]
    /// Each host's address and family, beside `nodes`: every datagram names its sender's,
    /// every multicast checks its recipients'.
    @exclusivity(unchecked) var hostAddresses: [Address] = []
    @exclusivity(unchecked) var hostIsIPv6: [Bool] = []
    /// Each node's role, beside the nodes (routing asks it for every datagram; the node
    /// object itself would be one more cache miss).
    @exclusivity(unchecked) var hostRoles: [Role] = []
    /// What each host's last delivered datagram decoded to: the next receiver of the same
    /// body (the rest of a multicast, or another reply with the same record) shares its
    /// arrays, already warm in the cache, instead of keeping a copy of its own.
    @exclusivity(unchecked) var bodyMemos: [BodyMemo?] = []

    /// Faults for every link without an override.
    @exclusivity(unchecked) public var defaults = LinkFaults()
    /// Later overrides win.
    @exclusivity(unchecked) public var overrides: [LinkOverride] = []
    @exclusivity(unchecked) public private(set) var partitions: [Partition] = []
    /// Transmission queues of bandwidth-limited link directions: when each is free again.
    var linkBusyUntil: [LinkKey: SimTime] = [:]

    var connections: [SimConnection] = []
    var connectionIndex: [ConnectionKey: Int] = [:]
    /// TCP: a connect to an unreachable server fails after this long (seconds).
    public var connectTimeout: Double = 10
    /// TCP: data stuck behind a partition for this long resets the connection (seconds).
    public var tcpUserTimeout: Double = 60

    /// External nodes that broke the contract or died, in order (docs/external-nodes.md).
    public internal(set) var externalFailures: [(node: Int, time: SimTime, reason: String)] = []

    /// Current peer ids → node, for readable traces (lookup only).
    var peerIDIndex: [[UInt8]: Int] = [:]
    @exclusivity(unchecked) var hasher = TraceHasher()
    @exclusivity(unchecked) var packetCounter: UInt64 = 0
    /// Whether records are kept (with their text) for `records`; the hash is always computed.
    public let recordsTrace: Bool
    @exclusivity(unchecked) public private(set) var records: [TraceRecord] = []
    /// How many records of each kind were traced (indexed by `TraceRecord.Kind.rawValue`).
    @exclusivity(unchecked) public private(set) var kindCounts = [UInt64](repeating: 0, count: 32)
    /// Events taken from the queue so far.
    @exclusivity(unchecked) public private(set) var eventsProcessed: UInt64 = 0
    /// Hears every engine event (after it is traced), e.g. to check invariants at each step.
    public var observer: ((_ node: Int, _ event: Event) -> Void)?
    /// Checkers only (nil in plain runs; they add no trace record): sees every datagram
    /// just before it reaches a running engine, and every datagram a node sends
    /// (unicast or multicast), so invariants can judge what the engine did with it.
    public var datagramObserver: ((_ to: Int, _ from: Int, _ bytes: [UInt8]) -> Void)?
    public var datagramSendObserver: ((_ from: Int, _ bytes: [UInt8]) -> Void)?

    public init(seed: UInt64, recordTrace: Bool = false) {
        self.seed = seed
        generator = Xoshiro256StarStar(seed: SplitMix64.mix(seed, 0x6E65_7477_6F72_6B))  // "network"
        recordsTrace = recordTrace
    }

    public var now: SimTime { virtualTime.now }

    /// Adds a host (not started). Returns its index.
    @discardableResult
    public func addNode(_ spec: SimNodeSpec, skew: Double = 0, drift: Double = 0) -> Int {
        let index = nodes.count
        nodes.append(SimNode(spec: spec, clock: SimNodeClock(virtualTime, skew: skew, drift: drift)))
        engines.append(nil)
        hostAddresses.append(spec.address)
        hostIsIPv6.append(spec.address.host.contains(":"))
        hostRoles.append(spec.role)
        bodyMemos.append(nil)
        if spec.role != .tcpClient { boundAddresses[spec.address] = index }
        if spec.role == .udpNode { udpMembers[spec.segment, default: []].append(index) }
        return index
    }

    public func node(named name: String) -> Int? { nodes.firstIndex { $0.name == name } }

    /// How many records of a kind were traced so far.
    public func count(_ kind: TraceRecord.Kind) -> UInt64 { kindCounts[Int(kind.rawValue)] }

    // MARK: - Running

    /// Runs `body` at virtual time `time` (after everything already scheduled for that instant).
    public func schedule(at time: SimTime, _ body: @escaping () -> Void) {
        queue.push(.call(body), at: max(time, now))
    }

    /// Processes every event up to and including `time`, then sets the clock to `time`.
    public func run(until time: SimTime) {
        while let entry = queue.pop(notAfter: time) {
            virtualTime.now = entry.time
            eventsProcessed += 1
            let payload = entry.payload
            prefetchUpcoming()
            handle(payload)
        }
        if time > now { virtualTime.now = time }
    }

    /// Warms what the next events will touch while this one runs, as a pipeline over
    /// the next three datagrams (from the hints they are queued with, `DatagramHint`):
    /// the engine object of the third; the peer-book index slot of the second's sender
    /// and the objects its engine's hot fields point at (that engine warmed by the
    /// previous step); the next one's per-peer state (its index slot warmed likewise).
    /// With a thousand engines the event loop is memory-bound, and each of these first
    /// touches would be a cache miss waiting on the one before; started here, they
    /// overlap with the current event's work. Only addresses are read (nothing retained
    /// or copied); a wrong guess (a timer or a late packet comes first) costs a wasted hint.
    @inline(__always)
    private func prefetchUpcoming() {
        queue.lookAhead(3) { distance, raw in
            guard let hint = DatagramHint(raw) else { return }
            engines.withUnsafeMutableBufferPointer { engines in
                // The engine reference's bits, without a retain.
                guard let object = UnsafeRawPointer(engines.baseAddress! + hint.to).load(as: UnsafeRawPointer?.self) else { return }
                if distance == 2 {
                    for line in 0..<Self.engineLinesToPrefetch { netaio_prefetch(object + 64 * line) }
                    return
                }
                Unmanaged<NodeEngine>.fromOpaque(object)._withUnsafeGuaranteedRef { engine in
                    let source = hostAddresses[hint.from]
                    if distance == 1 { engine.prefetchState(forDatagramFrom: source) } else { engine.prefetchPeerState(forDatagramFrom: source) }
                }
            }
        }
    }

    /// The engine fields a received frame reads lie in the object's first ~460 bytes (see
    /// `NodeEngine`'s field order): eight cache lines.
    static let engineLinesToPrefetch = 8

    /// Events still scheduled.
    public var pendingEvents: Int { queue.count }

    /// Calls `body` on a running node's engine and performs what it asked for.
    @discardableResult
    public func withEngine<T>(_ node: Int, _ body: (NodeEngine) throws -> T) rethrows -> T? {
        guard let engine = nodes[node].engine else { return nil }
        let result = try body(engine)
        collect(node)
        return result
    }

    /// Calls `body` on a running external node and performs what it asked for.
    @discardableResult
    public func withExternal<T>(_ node: Int, _ body: (any ExternalNodeDriver) throws -> T) rethrows -> T? {
        guard let external = nodes[node].external else { return nil }
        let result = try body(external)
        collect(node)
        return result
    }

    // MARK: - Node lifecycle

    /// Starts (or restarts) a node as a new process: new engine, new incarnation.
    public func start(_ index: Int) {
        let node = nodes[index]
        guard !node.isUp else { return }
        node.incarnation += 1
        let inc = node.incarnation
        let spec = node.spec
        let nodeSeed = SplitMix64.mix(seed, UInt64(index), UInt64(inc))
        if let launch = spec.external {
            node.activeTimers = []
            peerIDIndex[spec.peerID(inc)] = index
            trace(.start, node: index, detail: "start #\(inc) as \(String(decoding: spec.peerID(inc), as: UTF8.self)) (external)")
            node.external = launch(inc, nodeSeed, node.clock)
            collect(index)
            return
        }
        let random = SimRandomSource(seed: nodeSeed)
        var config = NodeConfiguration(
            role: spec.role, random: random, clock: node.clock,
            localPeer: Peer(id: spec.peerID(inc), data: spec.peerData(inc)))
        config.localAddress = spec.address
        let v6 = spec.address.host.contains(":")
        config.multicastGroup = Address(host: v6 ? "ff02::1" : "224.0.0.1", port: spec.address.port)
        spec.configure(&config, inc)
        let engine = NodeEngine(config)
        node.engine = engine
        engines[index] = engine
        peerIDIndex[spec.peerID(inc)] = index
        node.activeTimers = []
        trace(.start, node: index, detail: "start #\(inc) as \(String(decoding: spec.peerID(inc), as: UTF8.self))")
        spec.start(engine, index, self)
        collect(index)
    }

    /// Graceful stop: the engine says goodbye (DISCONNECT, closes), then the process exits.
    public func stop(_ index: Int) {
        if let external = nodes[index].external {
            external.stop()
            collect(index)
            if nodes[index].external != nil { external.kill() }
            trace(.stop, node: index, detail: "stop")
            bringDown(index)
            return
        }
        guard let engine = nodes[index].engine else { return }
        engine.stop()
        collect(index)
        trace(.stop, node: index, detail: "stop")
        bringDown(index)
    }

    /// Crash: the process dies with all its state; the kernel resets its connections.
    public func crash(_ index: Int) {
        guard nodes[index].isUp else { return }
        trace(.crash, node: index, detail: "crash")
        nodes[index].external?.kill()
        bringDown(index)
    }

    func bringDown(_ index: Int) {
        let node = nodes[index]
        node.engine = nil
        node.external = nil
        engines[index] = nil
        node.activeTimers = []
        resetConnections(of: index, incarnation: node.incarnation)
    }

    // MARK: - Faults

    public func partition(_ p: Partition) {
        partitions.append(p)
        trace(.partition, node: -1, detail: "partition \(p.name)\(p.oneWay ? " (one-way)" : "")")
    }

    /// Heals the partitions with this name (all when nil).
    public func heal(_ name: String?) {
        partitions.removeAll { name == nil || $0.name == name }
        trace(.heal, node: -1, detail: "heal \(name ?? "all")")
    }

    public func setClock(_ index: Int, skew: Double?, drift: Double?) {
        let clock = nodes[index].clock
        if let skew { clock.skew = skew }
        if let drift { clock.drift = drift }
        trace(.note, node: index, detail: "clock skew \(clock.skew)s drift \(clock.drift)")
    }

    func isPartitioned(from: Int, to: Int) -> Bool {
        for p in partitions where p.blocks(from: from, to: to) { return true }
        return false
    }

    func faults(from: Int, to: Int) -> LinkFaults {
        var i = overrides.count - 1
        while i >= 0 {
            if overrides[i].from.contains(from) && overrides[i].to.contains(to) { return overrides[i].faults }
            i -= 1
        }
        return defaults
    }

    // MARK: - Trace

    /// The run's identity so far: SHA-256 of the canonical trace (see `TraceHasher`).
    public var traceHash: String {
        var copy = hasher
        return copy.hex()
    }

    public var traceRecordCount: UInt64 { hasher.records }

    /// Adds a scenario note to the trace (a step of the timeline, an observation).
    public func note(_ text: String, node: Int = -1) { trace(.note, node: node, detail: text) }

    func trace(_ kind: TraceRecord.Kind, node: Int, other: Int = -1, detail: String) {
        let r = TraceRecord(
            time: now, kind: kind, node: Int32(node), other: Int32(other), packet: 0, size: 0, messageType: 255,
            detail: recordsTrace ? detail : "")
        kindCounts[Int(kind.rawValue)] += 1
        hasher.add(r, payload: Array(detail.utf8))
        if recordsTrace { records.append(r) }
    }

    /// A network record: the payload hashed is `payload` (frame bytes for sends).
    func tracePacket(
        _ kind: TraceRecord.Kind, node: Int, other: Int, packet: UInt64, bytes: [UInt8], payload: [UInt8],
        detail: @autoclosure () -> String
    ) {
        let r = TraceRecord(
            time: now, kind: kind, node: Int32(node), other: Int32(other), packet: packet, size: Int32(bytes.count),
            messageType: bytes.first ?? 255, detail: recordsTrace ? detail() : "")
        kindCounts[Int(kind.rawValue)] += 1
        hasher.add(r, payload: payload)
        if recordsTrace { records.append(r) }
    }

    func nextPacket() -> UInt64 {
        packetCounter += 1
        return packetCounter
    }
}

/// One direction between two hosts, for bandwidth queues.
struct LinkKey: Hashable {
    var from: Int32
    var to: Int32
}

enum Scheduled {
    /// The source address is the sender's (`hostAddresses[from]`, fixed for the run): not
    /// stored here, which keeps every queued event at 40 bytes instead of 64.
    case datagram(to: Int, from: Int, bytes: [UInt8], packet: UInt64)
    case segment(connection: Int, direction: Int, bytes: [UInt8], packet: UInt64)
    case fin(connection: Int, direction: Int)
    case reset(connection: Int, side: Int)
    case synArrives(connection: Int)
    case synAckArrives(connection: Int)
    case connectFailed(connection: Int)
    case retransmit(connection: Int, direction: Int)
    case timer(node: Int, incarnation: Int, id: TimerID)
    case call(() -> Void)
}
