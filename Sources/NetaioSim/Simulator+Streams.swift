import NetaioCore

/// TCP-like connections: connect/accept, reliable ordered delivery, close (FIN) and reset.
///
/// A kernel's TCP hides most link faults from the application, and so does this model:
/// a lost or corrupted segment arrives late (retransmission after 0.2 s, doubling), never
/// out of order or twice. Data sent into a partition waits and is retransmitted when it
/// heals; after `tcpUserTimeout` seconds of waiting the sender's side is reset. A process
/// that crashes has its connections reset by its kernel (the other side sees the close
/// after one link latency). Connects to a host with no listener are refused after a round
/// trip; connects into a partition fail after `connectTimeout`.
struct SimConnection {
    /// Side 0 is the client, side 1 the server. Direction d runs from side d to side 1-d.
    var nodes: [Int]
    var incarnations: [Int]
    var ids: [ConnectionID?]
    var open: [Bool]
    var addresses: [Address]
    var directions = [StreamDirection(), StreamDirection()]
}

struct StreamDirection {
    enum Item {
        case data([UInt8], UInt64)
        case fin
    }

    var lastArrival = SimTime.zero
    var backlog: [Item] = []
    var retrying = false
    var rto = 0.2
    var blockedSince = SimTime.zero
}

struct ConnectionKey: Hashable {
    var node: Int32
    var incarnation: Int32
    var id: UInt64
}

extension Simulator {
    func key(_ node: Int, _ id: ConnectionID) -> ConnectionKey {
        ConnectionKey(node: Int32(node), incarnation: Int32(nodes[node].incarnation), id: id.rawValue)
    }

    func connect(_ client: Int, _ id: ConnectionID, to address: Address) {
        let n = nodes[client]
        let port = n.nextEphemeralPort
        n.nextEphemeralPort = port == 65535 ? 49152 : port + 1
        let server = boundAddresses[address].flatMap { hostRoles[$0] == .tcpServer ? $0 : nil }
        let c = connections.count
        connections.append(SimConnection(
            nodes: [client, server ?? -1], incarnations: [n.incarnation, 0], ids: [id, nil], open: [true, false],
            addresses: [Address(host: n.spec.address.host, port: port), address]))
        connectionIndex[key(client, id)] = c
        trace(.connect, node: client, other: server ?? -1, detail: "connect \(id) to \(address)")
        guard let server else {
            queue.push(.connectFailed(connection: c), at: now + .seconds(2 * defaults.latency.typical))
            return
        }
        if isPartitioned(from: client, to: server) || isPartitioned(from: server, to: client) {
            queue.push(.connectFailed(connection: c), at: now + .seconds(connectTimeout))
            return
        }
        let f = faults(from: client, to: server)
        var delay = f.latency.draw(&generator)
        var retry = 1.0
        while generator.chance(f.loss), retry < 64 {  // SYN retransmission: 1 s, 2 s, 4 s, …
            delay += retry
            retry *= 2
        }
        queue.push(.synArrives(connection: c), at: now + .seconds(delay))
    }

    func synArrives(_ c: Int) {
        let server = connections[c].nodes[1]
        let client = connections[c].nodes[0]
        guard let engine = StreamProcess(nodes[server]) else {
            queue.push(.connectFailed(connection: c), at: now + .seconds(faults(from: server, to: client).latency.draw(&generator)))
            return
        }
        let id = engine.accepted(from: connections[c].addresses[0])
        connections[c].ids[1] = id
        connections[c].incarnations[1] = nodes[server].incarnation
        connections[c].open[1] = true
        connectionIndex[key(server, id)] = c
        trace(.accept, node: server, other: client, detail: "accept \(id) from \(connections[c].addresses[0])")
        let back = now + .seconds(faults(from: server, to: client).latency.draw(&generator))
        connections[c].directions[1].lastArrival = back
        queue.push(.synAckArrives(connection: c), at: back)
        collect(server)
    }

    func synAckArrives(_ c: Int) {
        let client = connections[c].nodes[0]
        guard connections[c].open[0], let id = connections[c].ids[0], let engine = liveEngine(c, 0) else {
            resetSide(c, 1, why: "client gone")
            return
        }
        trace(.connected, node: client, other: connections[c].nodes[1], detail: "connected \(id)")
        engine.connected(id)
        collect(client)
    }

    /// The process of a connection side if it is still the one that opened it.
    func liveEngine(_ c: Int, _ side: Int) -> StreamProcess? {
        let n = nodes[connections[c].nodes[side]]
        return n.incarnation == connections[c].incarnations[side] ? StreamProcess(n) : nil
    }

    private func side(of node: Int, _ id: ConnectionID) -> (connection: Int, side: Int)? {
        guard let c = connectionIndex[key(node, id)] else { return nil }
        return (c, connections[c].nodes[0] == node && connections[c].ids[0] == id ? 0 : 1)
    }

    func streamSend(_ node: Int, _ id: ConnectionID, _ bytes: [UInt8]) {
        let packet = nextPacket()
        guard let (c, s) = side(of: node, id) else {
            tracePacket(.drop, node: node, other: -1, packet: packet, bytes: bytes, payload: [NetworkDrop.connectionReset.rawValue], detail: "no connection \(id)")
            return
        }
        tracePacket(.send, node: node, other: connections[c].nodes[1 - s], packet: packet, bytes: bytes, payload: bytes, detail: "tcp \(id)")
        push(c, s, .data(bytes, packet))
    }

    func closeConnection(_ node: Int, _ id: ConnectionID) {
        guard let (c, s) = side(of: node, id) else { return }
        connections[c].open[s] = false
        connectionIndex[key(node, id)] = nil
        trace(.closed, node: node, other: connections[c].nodes[1 - s], detail: "close \(id)")
        if connections[c].ids[1 - s] != nil { push(c, s, .fin) }
    }

    /// Queues an item in direction `d`, behind anything already waiting.
    private func push(_ c: Int, _ d: Int, _ item: StreamDirection.Item) {
        let from = connections[c].nodes[d], to = connections[c].nodes[1 - d]
        if !connections[c].directions[d].backlog.isEmpty || isPartitioned(from: from, to: to) {
            connections[c].directions[d].backlog.append(item)
            if !connections[c].directions[d].retrying {
                connections[c].directions[d].retrying = true
                connections[c].directions[d].blockedSince = now
                connections[c].directions[d].rto = 0.2
                queue.push(.retransmit(connection: c, direction: d), at: now + .seconds(0.2))
            }
            return
        }
        send(c, d, item)
    }

    /// Schedules an item's arrival: link latency plus retransmissions for each loss or
    /// corruption, never before the previous item of the same direction.
    private func send(_ c: Int, _ d: Int, _ item: StreamDirection.Item) {
        let from = connections[c].nodes[d], to = connections[c].nodes[1 - d]
        let f = faults(from: from, to: to)
        var delay = f.latency.draw(&generator)
        if f.jitter > 0 { delay += f.jitter * generator.unit() }
        var rto = 0.2
        var tries = 0
        while tries < 8, generator.chance(f.loss) || generator.chance(f.corrupt) {
            delay += rto
            rto *= 2
            tries += 1
        }
        var size = 0
        if case .data(let bytes, _) = item { size = bytes.count }
        let departure = departureTime(f, from: from, to: to, size: size, mayDrop: false) ?? now
        let arrival = max(connections[c].directions[d].lastArrival, departure + .seconds(delay))
        connections[c].directions[d].lastArrival = arrival
        switch item {
        case .data(let bytes, let packet): queue.push(.segment(connection: c, direction: d, bytes: bytes, packet: packet), at: arrival)
        case .fin: queue.push(.fin(connection: c, direction: d), at: arrival)
        }
    }

    func retransmit(_ c: Int, _ d: Int) {
        let from = connections[c].nodes[d], to = connections[c].nodes[1 - d]
        if isPartitioned(from: from, to: to) {
            if (now - connections[c].directions[d].blockedSince).seconds >= tcpUserTimeout {
                connections[c].directions[d].backlog = []
                connections[c].directions[d].retrying = false
                resetSide(c, d, why: "retransmission timeout")
                return
            }
            let rto = min(connections[c].directions[d].rto * 2, 10)
            connections[c].directions[d].rto = rto
            queue.push(.retransmit(connection: c, direction: d), at: now + .seconds(rto))
            return
        }
        let items = connections[c].directions[d].backlog
        connections[c].directions[d].backlog = []
        connections[c].directions[d].retrying = false
        for item in items { send(c, d, item) }
    }

    func segmentArrives(_ c: Int, _ d: Int, _ bytes: [UInt8], _ packet: UInt64) {
        let r = 1 - d
        let receiver = connections[c].nodes[r], sender = connections[c].nodes[d]
        guard connections[c].open[r], let id = connections[c].ids[r], let engine = liveEngine(c, r) else {
            tracePacket(.drop, node: receiver, other: sender, packet: packet, bytes: bytes, payload: [NetworkDrop.connectionReset.rawValue], detail: "connection reset")
            if connections[c].open[d] {
                queue.push(.reset(connection: c, side: d), at: now + .seconds(faults(from: receiver, to: sender).latency.draw(&generator)))
            }
            return
        }
        tracePacket(.deliver, node: receiver, other: sender, packet: packet, bytes: bytes, payload: [], detail: "")
        engine.received(bytes, on: id)
        collect(receiver)
    }

    func finArrives(_ c: Int, _ d: Int) { resetSide(c, 1 - d, why: "closed by peer") }

    /// Side `s` learns its connection is gone (FIN, RST, failed connect, timeout).
    func resetSide(_ c: Int, _ s: Int, why: String) {
        guard connections[c].open[s], let id = connections[c].ids[s] else { return }
        let node = connections[c].nodes[s]
        connections[c].open[s] = false
        guard let engine = liveEngine(c, s) else { return }
        connectionIndex[key(node, id)] = nil
        trace(.closed, node: node, other: connections[c].nodes[1 - s], detail: "\(id) \(why)")
        engine.closed(id)
        collect(node)
    }

    /// A process went away: its kernel resets every connection it had.
    func resetConnections(of node: Int, incarnation: Int) {
        for c in connections.indices {
            for s in 0..<2 where connections[c].nodes[s] == node && connections[c].incarnations[s] == incarnation && connections[c].open[s] {
                connections[c].open[s] = false
                if let id = connections[c].ids[s] {
                    connectionIndex[ConnectionKey(node: Int32(node), incarnation: Int32(incarnation), id: id.rawValue)] = nil
                }
                let other = connections[c].nodes[1 - s]
                if other >= 0, connections[c].open[1 - s], !isPartitioned(from: node, to: other) {
                    queue.push(.reset(connection: c, side: 1 - s), at: now + .seconds(faults(from: node, to: other).latency.draw(&generator)))
                }
            }
        }
    }
}

/// The process on one side of a connection: our engine, or an external node.
enum StreamProcess {
    case engine(NodeEngine)
    case external(any ExternalNodeDriver)

    init?(_ node: SimNode) {
        if let engine = node.engine {
            self = .engine(engine)
        } else if let external = node.external {
            self = .external(external)
        } else {
            return nil
        }
    }

    func accepted(from remote: Address) -> ConnectionID {
        switch self {
        case .engine(let e): e.accepted(from: remote)
        case .external(let x): x.accepted(from: remote)
        }
    }

    func connected(_ id: ConnectionID) {
        switch self {
        case .engine(let e): e.connected(id)
        case .external(let x): x.connected(id)
        }
    }

    func received(_ bytes: [UInt8], on id: ConnectionID) {
        switch self {
        case .engine(let e): e.received(bytes, on: id)
        case .external(let x): x.received(bytes, on: id)
        }
    }

    func closed(_ id: ConnectionID) {
        switch self {
        case .engine(let e): e.closed(id)
        case .external(let x): x.closed(id)
        }
    }
}
