import NetaioCore
import NetaioTestSupport

/// A tiny in-memory network: shuttles engine actions between engines with a manual
/// clock. Deliveries go through one FIFO queue, so runs are deterministic and a message
/// storm shows up as a step count instead of a stack overflow.
final class Harness {
    let clock = ManualUnixClock(1_700_000_000)
    private(set) var nodes: [NodeEngine] = []
    private(set) var addresses: [Address] = []
    /// Chunk size for TCP deliveries (nil = whole writes).
    var chunkSize: Int?

    struct Link { var a: (node: Int, conn: ConnectionID); var b: (node: Int, conn: ConnectionID) }
    private var links: [Link] = []
    private var timers: [(node: Int, id: TimerID, deadline: Double)] = []
    private var queue: [(node: Int, action: Action)] = []
    /// Every event, per node, in order.
    private(set) var events: [(node: Int, event: Event)] = []
    /// Every frame put on the wire: sender, bytes, destination description.
    private(set) var wire: [(from: Int, bytes: [UInt8], to: String)] = []
    /// Nodes that are "unplugged" (their sends vanish and nothing reaches them).
    var offline: Set<Int> = []

    @discardableResult
    func add(_ role: Role, at address: Address, localPeerID: String? = nil, random: (any RandomSource)? = nil,
             _ configure: (inout NodeConfiguration) -> Void = { _ in }) -> Int {
        var config = NodeConfiguration(
            role: role, random: random ?? SeededRandomSource(seed: UInt64(nodes.count + 1)), clock: clock,
            localPeer: localPeerID.map { Peer(id: Array($0.utf8), data: Array("data-\($0)".utf8)) })
        config.localAddress = address
        config.multicastGroup = Address(host: address.family == .ipv6 ? "ff02::1" : "224.0.0.1", port: 8888)
        configure(&config)
        nodes.append(NodeEngine(config))
        addresses.append(address)
        return nodes.count - 1
    }

    func node(at address: Address) -> Int? { addresses.firstIndex(of: address) }

    /// TCP: `client` connects to `server`; returns the client's connection id.
    @discardableResult
    func connect(_ client: Int, to server: Int) -> ConnectionID {
        let id = nodes[client].connect(to: addresses[server])
        collect(client)
        run()
        return id
    }

    /// The server-side connection id paired with a client connection.
    func peerConnection(of node: Int, _ conn: ConnectionID) -> (node: Int, conn: ConnectionID)? {
        for l in links {
            if l.a.node == node && l.a.conn == conn { return l.b }
            if l.b.node == node && l.b.conn == conn { return l.a }
        }
        return nil
    }

    /// Queues the actions an engine produced after a direct call.
    func collect(_ node: Int) {
        for a in nodes[node].takeActions() { queue.append((node, a)) }
    }

    /// Calls `body` on a node's engine, then runs the network until quiet.
    @discardableResult
    func with<T>(_ node: Int, _ body: (NodeEngine) throws -> T) rethrows -> T {
        let result = try body(nodes[node])
        collect(node)
        run()
        return result
    }

    /// Processes queued actions until none are left or `maxSteps`; returns the steps taken.
    @discardableResult
    func run(maxSteps: Int = 10_000) -> Int {
        var steps = 0
        while !queue.isEmpty && steps < maxSteps {
            steps += 1
            let (from, action) = queue.removeFirst()
            perform(action, from: from)
        }
        return steps
    }

    var queueIsEmpty: Bool { queue.isEmpty }

    private func perform(_ action: Action, from: Int) {
        switch action {
        case .open(let conn, let to):
            guard let server = node(at: to), !offline.contains(server) else {
                nodes[from].closed(conn)
                collect(from)
                return
            }
            let sconn = nodes[server].accepted(from: addresses[from])
            links.append(Link(a: (from, conn), b: (server, sconn)))
            nodes[from].connected(conn)
            collect(from)
        case .send(let bytes, let endpoint):
            guard !offline.contains(from) else { return }
            switch endpoint {
            case .connection(let conn):
                wire.append((from, bytes, "\(conn)"))
                guard let other = peerConnection(of: from, conn), !offline.contains(other.node) else { return }
                deliver(bytes, to: other)
            case .address(let addr):
                wire.append((from, bytes, addr.description))
                guard let to = node(at: addr), !offline.contains(to) else { return }
                nodes[to].received(datagram: bytes, from: addresses[from])
                collect(to)
            }
        case .multicast(let bytes, let group):
            guard !offline.contains(from) else { return }
            wire.append((from, bytes, "multicast \(group)"))
            for (i, n) in nodes.enumerated() where n.role == .udpNode && !offline.contains(i)
                && addresses[i].port == group.port && addresses[i].family == addresses[from].family {
                n.received(datagram: bytes, from: addresses[from])
                collect(i)
            }
        case .close(let conn):
            if let other = peerConnection(of: from, conn) {
                links.removeAll { ($0.a.node == from && $0.a.conn == conn) || ($0.b.node == from && $0.b.conn == conn) }
                nodes[other.node].closed(other.conn)
                collect(other.node)
            }
        case .armTimer(let id, let deadline):
            timers.append((from, id, deadline))
        case .cancelTimer(let id):
            timers.removeAll { $0.node == from && $0.id == id }
        case .event(let e):
            events.append((from, e))
        }
    }

    private func deliver(_ bytes: [UInt8], to target: (node: Int, conn: ConnectionID)) {
        let size = chunkSize ?? max(bytes.count, 1)
        var i = 0
        while i < bytes.count {
            nodes[target.node].received(bytes[i..<min(i + size, bytes.count)], on: target.conn)
            i += size
        }
        collect(target.node)
    }

    /// Simulates an abrupt connection loss (no DISCONNECT): both sides see `closed`.
    func sever(_ node: Int, _ conn: ConnectionID) {
        guard let other = peerConnection(of: node, conn) else { return }
        links.removeAll { ($0.a.node == node && $0.a.conn == conn) || ($0.b.node == node && $0.b.conn == conn) }
        nodes[node].closed(conn)
        nodes[other.node].closed(other.conn)
        collect(node)
        collect(other.node)
        run()
    }

    /// Advances the clock, firing due timers in deadline order (ties by arming order).
    func advance(by seconds: Double) {
        let target = clock.now() + seconds
        while true {
            run()
            guard let next = timers.enumerated().filter({ $0.element.deadline <= target })
                .min(by: { $0.element.deadline < $1.element.deadline || ($0.element.deadline == $1.element.deadline && $0.offset < $1.offset) })
            else { break }
            timers.remove(at: next.offset)
            clock.set(max(clock.now(), next.element.deadline))
            nodes[next.element.node].timerFired(next.element.id)
            collect(next.element.node)
        }
        clock.set(target)
        run()
    }

    func events(of node: Int) -> [Event] { events.filter { $0.node == node }.map(\.event) }

    func drops(of node: Int) -> [DropReason] {
        events(of: node).compactMap { if case .dropped(let d) = $0 { d.reason } else { nil } }
    }

    /// The outcome of a request: the success reply, the failure, or nil while pending.
    func outcome(of node: Int, _ id: RequestID) -> Result<Message, RequestError>? {
        for e in events(of: node) {
            switch e {
            case .requestCompleted(id, let m): return .success(m)
            case .requestFailed(id, let err): return .failure(err)
            default: continue
            }
        }
        return nil
    }

    func frames(from node: Int) -> [[UInt8]] { wire.filter { $0.from == node }.map(\.bytes) }
    func clearWire() { wire.removeAll() }
}

extension Message {
    var uriText: String { String(decoding: uri, as: UTF8.self) }
    var contentText: String { String(decoding: content, as: UTF8.self) }
}

func b(_ s: String) -> [UInt8] { Array(s.utf8) }

let serverAddress = Address(host: "10.0.0.1", port: 8888)
let clientAddress = Address(host: "10.0.0.2", port: 50001)
let client2Address = Address(host: "10.0.0.3", port: 50002)
