import NetaioNIO
import NetaioScenario

/// How far behind the shared event loop reads datagrams. All nodes share one event-loop
/// thread; when the scenario's traffic times the time scale needs more CPU than that
/// thread gets, datagrams wait unread in the socket buffers (4 MiB each, so the kernel
/// rarely drops them) and every timer, reply and peer table runs late, while virtual
/// time (the wall clock times the scale) goes on. Each datagram's send is noted (per
/// sender and receiver, in order) and matched when the shim reads it; the wait is its
/// lag. The verdict "real transport: kept up with the time scale" fails when a datagram
/// waited more than `Self.maxLag` virtual seconds, or a timeline step (whose starts,
/// actions and checks hop onto the same loop) began that much after its time.
struct DatagramLag {
    /// Sends not read yet, per (sender, receiver), oldest first: virtual send time and
    /// a hash of the bytes (entries skipped by a match were lost in the kernel).
    private var inFlight: [Int: (items: [(sent: Double, hash: Int)], head: Int)] = [:]
    private(set) var measured = 0
    private(set) var total = 0.0
    private(set) var worst = 0.0
    private(set) var worstAt = 0.0
    private(set) var late = 0
    /// The latest a timeline step (start, action, check) began after its time.
    private(set) var worstStep = 0.0
    private(set) var worstStepAt = 0.0

    mutating func stepBegan(planned: Double, at now: Double) {
        if now - planned > worstStep { (worstStep, worstStepAt) = (now - planned, planned) }
    }

    static func hash(_ bytes: [UInt8]) -> Int {
        var h = Hasher()
        h.combine(bytes)
        return h.finalize()
    }

    mutating func sent(_ hash: Int, from: Int, to: Int, nodes: Int, at now: Double) {
        inFlight[from * nodes + to, default: ([], 0)].items.append((now, hash))
    }

    mutating func read(_ hash: Int, from: Int, to: Int, nodes: Int, at now: Double, maxLag: Double) {
        let key = from * nodes + to
        guard var queue = inFlight[key] else { return }
        inFlight[key] = nil  // keeps `queue` uniquely referenced while it is edited
        // Sends before the match were dropped by the kernel (a full socket buffer); a
        // datagram with no noted send (its receiver had no address yet) is not measured.
        if let i = (queue.head..<queue.items.count).first(where: { queue.items[$0].hash == hash }) {
            let lag = now - queue.items[i].sent
            measured += 1
            total += lag
            if lag > maxLag { late += 1 }
            if lag > worst { (worst, worstAt) = (lag, now) }
            queue.head = i + 1
            if queue.head > 1024 && queue.head * 2 > queue.items.count {
                queue.items.removeFirst(queue.head)
                queue.head = 0
            }
        }
        inFlight[key] = queue
    }

    /// A node (re)started or stopped: what was in flight to or from it is gone.
    mutating func forget(_ node: Int, nodes: Int) {
        inFlight = inFlight.filter { $0.key / nodes != node && $0.key % nodes != node }
    }
}

extension RealScenarioRun {
    /// The most a datagram may wait unread, in virtual seconds, before the run counts
    /// as not keeping up (well above the fault model's latencies).
    static let maxLag = 1.0

    /// A datagram handed to the socket by `node` (on the loop).
    func noteSent(_ bytes: [UInt8], from node: Int, to address: Address) {
        guard let to = addresses.firstIndex(where: { $0 == address }) else { return }
        lag.sent(DatagramLag.hash(bytes), from: node, to: to, nodes: scenario.nodes.count, at: now)
    }

    /// A datagram from `from` read by `node`'s socket (on the loop, before the shim).
    func noteRead(_ bytes: [UInt8], from: Int, to node: Int) {
        lag.read(DatagramLag.hash(bytes), from: from, to: node, nodes: scenario.nodes.count, at: now, maxLag: Self.maxLag)
    }

    func addLagVerdict() {
        let ok = lag.worst <= Self.maxLag && lag.worstStep <= Self.maxLag
        let mean = lag.measured == 0 ? 0 : lag.total / Double(lag.measured)
        let steps = "timeline steps began at worst \(fmtSeconds(lag.worstStep))s late (the one due at \(stamp(lag.worstStepAt)))"
        let figures = lag.measured == 0 ? steps
            : "\(lag.measured) datagrams read \(fmtSeconds(mean))s after their send on average, at worst \(fmtSeconds(lag.worst))s (at \(stamp(lag.worstAt))); \(steps)"
        let detail = ok ? figures : """
            the shared event loop fell behind: \(figures); \(lag.late) datagram(s) waited over \(fmtSeconds(Self.maxLag))s \
            unread; timers, replies and peer tables ran late and timing verdicts are not trustworthy; \
            lower --time-scale (or use a release build)
            """
        if !ok { log("NOT KEPT UP: \(detail)") }
        verdicts.append(Verdict(name: "real transport: kept up with the time scale", passed: ok, detail: detail, line: nil, time: now))
    }
}
