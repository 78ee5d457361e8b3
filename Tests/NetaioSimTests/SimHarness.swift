import NetaioCore
import NetaioSim

/// Small simulator set-ups for fault tests: plain nodes with no peer management that
/// count what reaches them.
final class SimBench {
    let sim: Simulator
    var received: [[String]] = []

    init(seed: UInt64 = 1, roles: [Role], record: Bool = true) {
        sim = Simulator(seed: seed, recordTrace: record)
        received = Array(repeating: [], count: roles.count)
        for (i, role) in roles.enumerated() {
            let address = Address(host: "10.0.0.\(i + 1)", port: role == .tcpServer ? 9999 : 8888)
            let spec = SimNodeSpec(
                name: "n\(i)", role: role, address: address,
                peerID: { Array("n\(i)#\($0)".utf8) }, peerData: { _ in [1] },
                start: { [unowned self] engine, index, _ in
                    engine.on(HandlerKey(.publishURI)) { m, _ in
                        self.received[index].append(String(decoding: m.content, as: UTF8.self))
                        return nil
                    }
                })
            sim.addNode(spec)
        }
        for i in roles.indices { sim.start(i) }
    }

    func address(_ i: Int) -> Address { sim.nodes[i].spec.address }

    /// Node `from` sends `count` numbered PUBLISH datagrams to `to`, one every `gap` seconds.
    func publish(from: Int, to: Int, count: Int, gap: Double = 0.01) {
        for k in 0..<count {
            sim.schedule(at: .seconds(sim.now.seconds + Double(k) * gap)) { [unowned self] in
                self.sim.withEngine(from) { $0.send(Message(type: .publishURI, uri: Array("t".utf8), content: Array("\(k)".utf8)), to: .address(self.address(to))) }
            }
        }
    }

    func records(_ kind: TraceRecord.Kind) -> [TraceRecord] { sim.records.filter { $0.kind == kind } }
}
