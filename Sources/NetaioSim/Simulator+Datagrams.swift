import NetaioCore

/// UDP: unicast and multicast datagrams, with every fault of the link applied.
extension Simulator {
    func sendDatagram(from: Int, _ bytes: [UInt8], to address: Address) {
        let packet = nextPacket()
        if let check = datagramSendObserver { check(from, bytes) }
        let target = boundAddresses[address].flatMap { hostRoles[$0] == .udpNode ? $0 : nil }
        tracePacket(.send, node: from, other: target ?? -1, packet: packet, bytes: bytes, payload: bytes, detail: "udp to \(address)")
        guard let target else {
            tracePacket(.drop, node: -1, other: from, packet: packet, bytes: bytes, payload: [NetworkDrop.noHost.rawValue], detail: "no host at \(address)")
            return
        }
        transmit(from: from, to: target, bytes, packet: packet)
    }

    /// One datagram to every UDP node of the sender's segment bound to the group's port
    /// and family. The sender's own looped-back copy is not simulated (netaio's
    /// `ignore_own_ip` drops it).
    func multicast(from: Int, _ bytes: [UInt8], group: Address) {
        let packet = nextPacket()
        if let check = datagramSendObserver { check(from, bytes) }
        tracePacket(.multicast, node: from, other: -1, packet: packet, bytes: bytes, payload: bytes, detail: "multicast \(group)")
        let v6 = group.host.contains(":")
        guard let members = udpMembers[nodes[from].spec.segment] else { return }
        for r in members where r != from {
            guard hostAddresses[r].port == group.port, hostIsIPv6[r] == v6 else { continue }
            transmit(from: from, to: r, bytes, packet: packet)
        }
    }

    /// Applies the link's faults, in a fixed order of draws: partition, loss, queue,
    /// latency, jitter, corruption, duplication (and the duplicate's own latency and jitter).
    func transmit(from: Int, to: Int, _ bytes: [UInt8], packet: UInt64) {
        if isPartitioned(from: from, to: to) { return networkDrop(.partition, from: from, to: to, bytes, packet) }
        let f = faults(from: from, to: to)
        if generator.chance(f.loss) { return networkDrop(.loss, from: from, to: to, bytes, packet) }
        guard let departure = departureTime(f, from: from, to: to, size: bytes.count, mayDrop: true) else {
            return networkDrop(.queueFull, from: from, to: to, bytes, packet)
        }
        var delay = f.latency.draw(&generator)
        if f.jitter > 0 { delay += f.jitter * generator.unit() }
        var payload = bytes
        if generator.chance(f.corrupt), !bytes.isEmpty {
            let i = Int(generator.below(UInt64(bytes.count)))
            payload[i] ^= UInt8(1 + generator.below(255))
            tracePacket(.corrupt, node: to, other: from, packet: packet, bytes: payload, payload: payload, detail: "byte \(i) flipped")
        }
        queue.push(.datagram(to: to, from: from, bytes: payload, packet: packet), at: departure + .seconds(delay), hint: DatagramHint(to: to, from: from).raw)
        if generator.chance(f.duplicate) {
            var again = f.latency.draw(&generator)
            if f.jitter > 0 { again += f.jitter * generator.unit() }
            tracePacket(.duplicate, node: to, other: from, packet: packet, bytes: payload, payload: [], detail: "duplicated")
            queue.push(.datagram(to: to, from: from, bytes: payload, packet: packet), at: departure + .seconds(again), hint: DatagramHint(to: to, from: from).raw)
        }
    }

    func networkDrop(_ why: NetworkDrop, from: Int, to: Int, _ bytes: [UInt8], _ packet: UInt64) {
        tracePacket(.drop, node: to, other: from, packet: packet, bytes: bytes, payload: [why.rawValue], detail: why.text)
    }

    /// When a packet of `size` bytes has left a bandwidth-limited link direction (now when
    /// unlimited); nil when the queue is over its limit and `mayDrop`.
    func departureTime(_ f: LinkFaults, from: Int, to: Int, size: Int, mayDrop: Bool) -> SimTime? {
        guard let bandwidth = f.bandwidth, bandwidth > 0 else { return now }
        let key = LinkKey(from: Int32(from), to: Int32(to))
        let free = max(now, linkBusyUntil[key] ?? now)
        if mayDrop, let limit = f.queueLimit, (free - now).seconds * bandwidth + Double(size) > Double(limit) { return nil }
        let done = free + .seconds(Double(size) / bandwidth)
        linkBusyUntil[key] = done
        return done
    }
}

/// The queue hint of a datagram (`EventQueue.push(hint:)`): its target and source
/// nodes, packed into one word beside its payload slot; read by `prefetchUpcoming`.
struct DatagramHint {
    let to: Int
    let from: Int

    init(to: Int, from: Int) {
        self.to = to
        self.from = from
    }

    /// A hint read back from the queue; nil for events queued without one (-1).
    @inline(__always)
    init?(_ raw: Int64) {
        guard raw >= 0 else { return nil }
        to = Int(truncatingIfNeeded: raw & 0xFFFF_FFFF)
        from = Int(raw >> 32)
    }

    var raw: Int64 { Int64(from) << 32 | Int64(to) }
}
