import NetaioCore

/// Performing what engines ask for, and dispatching scheduled events.
extension Simulator {
    /// Takes a node's pending actions and performs them in order.
    func collect(_ index: Int) {
        if let engine = engines[index] {
            engine.drainActions { perform($0, node: index) }
        } else if let external = nodes[index].external {
            for action in external.takeActions() { perform(action, node: index) }
            if let failure = external.failure { externalFailed(index, failure) }
        }
    }

    /// An external node broke the contract or died: it is down from now on (its
    /// connections reset, as a crashed process's), and the run remembers why.
    private func externalFailed(_ index: Int, _ why: String) {
        guard nodes[index].external != nil else { return }
        nodes[index].external?.kill()
        externalFailures.append((node: index, time: now, reason: why))
        trace(.crash, node: index, detail: "external node failed: \(why)")
        bringDown(index)
    }

    private func perform(_ action: Action, node: Int) {
        switch action {
        case .open(let id, let address):
            connect(node, id, to: address)
        case .send(let bytes, .connection(let id)):
            streamSend(node, id, bytes)
        case .send(let bytes, .address(let address)):
            sendDatagram(from: node, bytes, to: address)
        case .multicast(let bytes, let group):
            multicast(from: node, bytes, group: group)
        case .close(let id):
            closeConnection(node, id)
        case .armTimer(let id, let deadline):
            let n = nodes[node]
            let local = max(0, deadline - n.clock.now())
            let wait = n.clock.virtualDuration(ofLocal: local)
            let delay = SimTime(nanoseconds: wait >= 9.2e9 ? Int64(9.2e18) : Int64((wait * 1e9).rounded(.up)))
            n.activeTimers.insert(id)
            queue.push(.timer(node: node, incarnation: n.incarnation, id: id), at: now + delay, lane: .later)
        case .cancelTimer(let id):
            nodes[node].activeTimers.remove(id)
        case .event(let event):
            traceEvent(event, node: node)
            observer?(node, event)
        }
    }

    func handle(_ event: Scheduled) {
        switch event {
        case .datagram(let to, let from, let bytes, let packet):
            guard let engine = engines[to] else {
                if let external = nodes[to].external {
                    tracePacket(.deliver, node: to, other: from, packet: packet, bytes: bytes, payload: [], detail: "")
                    if let check = datagramObserver { check(to, from, bytes) }
                    external.received(datagram: bytes, from: hostAddresses[from])
                    collect(to)
                    return
                }
                tracePacket(.drop, node: to, other: from, packet: packet, bytes: bytes, payload: [NetworkDrop.hostDown.rawValue], detail: "host down")
                return
            }
            tracePacket(.deliver, node: to, other: from, packet: packet, bytes: bytes, payload: [], detail: "")
            if let check = datagramObserver { check(to, from, bytes) }
            engine.received(datagram: bytes, from: hostAddresses[from], sharing: &bodyMemos[from])
            collect(to)
        case .segment(let c, let direction, let bytes, let packet):
            segmentArrives(c, direction, bytes, packet)
        case .fin(let c, let direction):
            finArrives(c, direction)
        case .reset(let c, let side):
            resetSide(c, side, why: "connection reset")
        case .synArrives(let c):
            synArrives(c)
        case .synAckArrives(let c):
            synAckArrives(c)
        case .connectFailed(let c):
            resetSide(c, 0, why: "connect failed")
        case .retransmit(let c, let direction):
            retransmit(c, direction)
        case .timer(let node, let incarnation, let id):
            let n = nodes[node]
            guard n.incarnation == incarnation, n.isUp, n.activeTimers.remove(id) != nil else { return }
            trace(.timer, node: node, detail: "timer \(id.rawValue)")
            if let engine = n.engine { engine.timerFired(id) } else { n.external?.timerFired(id) }
            collect(node)
        case .call(let body):
            body()
        }
    }

    /// The node whose current peer id is `id`, if any (for readable traces).
    func nodeIndex(ofPeerID id: [UInt8]?) -> Int {
        guard let id else { return -1 }
        return peerIDIndex[id] ?? -1
    }

    private func traceEvent(_ event: Event, node: Int) {
        switch event {
        case .peerAdded(let p):
            trace(.peerAdded, node: node, other: nodeIndex(ofPeerID: p.id), detail: "peer added \(text(p.id))")
        case .peerRemoved(let p, let reason):
            trace(.peerRemoved, node: node, other: nodeIndex(ofPeerID: p.id), detail: "peer removed \(text(p.id)) (\(reason))")
        case .requestCompleted(let id, let m):
            trace(.requestCompleted, node: node, detail: "\(id) completed: \(m.type) \(text(m.uri)) = \(text(m.content))")
        case .requestFailed(let id, let error):
            trace(.requestFailed, node: node, detail: "\(id) failed: \(error)")
        case .dropped(let drop):
            trace(.engineDrop, node: node, detail: drop.description)
        }
    }

    func text(_ bytes: [UInt8]?) -> String {
        guard let bytes else { return "None" }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Why the network lost a packet (the byte hashed into the trace).
enum NetworkDrop: UInt8 {
    case loss = 1
    case partition = 2
    case queueFull = 3
    case hostDown = 4
    case noHost = 5
    case connectionReset = 6

    var text: String {
        switch self {
        case .loss: "lost"
        case .partition: "partitioned"
        case .queueFull: "queue full"
        case .hostDown: "host down"
        case .noHost: "no such host"
        case .connectionReset: "connection reset"
        }
    }
}
