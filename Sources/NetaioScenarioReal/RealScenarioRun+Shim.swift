import NetaioNIO
import NetaioScenario
import NetaioSim

/// The fault shim on UDP nodes' inbound datagrams (NetaioUDPNode.setInboundShim): the
/// scenario's loss, duplication, corruption, latency, jitter and partitions, drawn from
/// the run's seeded PRNG (xoshiro256**, as the simulator; the draws still depend on
/// real arrival order, so runs are not reproducible). Runs on the shared event loop.
extension RealScenarioRun {
    func shim(to node: Int, _ bytes: [UInt8], from source: Address) -> [(bytes: [UInt8], delay: Double)] {
        // Datagrams from outside the scenario (none expected) pass untouched.
        guard let from = addresses.firstIndex(where: { $0 == source }) else { return [(bytes, 0)] }
        noteRead(bytes, from: from, to: node)
        if blocked(from: from, to: node) {
            count("shim_partitioned")
            return []
        }
        let f = faults(from: from, to: node)
        if random.chance(f.loss) {
            count("shim_lost")
            return []
        }
        var out = [(bytes: bytes, delay: delay(f))]
        if random.chance(f.duplicate) {
            count("shim_duplicated")
            out.append((bytes, delay(f)))
        }
        for i in out.indices where !bytes.isEmpty && random.chance(f.corrupt) {
            count("shim_corrupted")
            let at = Int(random.below(UInt64(bytes.count)))
            out[i].bytes[at] ^= UInt8(1 + random.below(255))
        }
        return out
    }

    /// Wall seconds to hold a datagram: the link's latency and jitter, time-scaled.
    private func delay(_ f: LinkFaults) -> Double {
        (f.latency.draw(&random) + (f.jitter > 0 ? random.unit() * f.jitter : 0)) / timeScale
    }

    /// Later link overrides win, as on the simulator.
    func faults(from: Int, to: Int) -> LinkFaults {
        for link in links.reversed() {
            if link.from.contains(from) && link.to.contains(to) { return link.faults }
            if link.bothWays && link.to.contains(from) && link.from.contains(to) { return link.faults }
        }
        return networkDefaults
    }

    func blocked(from: Int, to: Int) -> Bool {
        partitions.contains { p in
            (p.a.contains(from) && p.b.contains(to)) || (!p.oneWay && p.b.contains(from) && p.a.contains(to))
        }
    }
}
