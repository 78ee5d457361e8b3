import NetaioPlugins

/// A node's own wall clock in a simulation: Unix seconds =
/// `epoch + t + skew + drift · t`, where t is the virtual time since the run started.
/// Skew and drift can change during a run (a scenario's "skew clocks" step).
public final class SimNodeClock: UnixClock, @unchecked Sendable {
    /// Unix time at the start of every run: 2023-11-14T22:13:20Z.
    public static let epoch: Double = 1_700_000_000

    private let virtualTime: VirtualTime
    @exclusivity(unchecked) public var skew: Double
    /// Seconds gained per second (0.001 = 1 ms/s fast).
    @exclusivity(unchecked) public var drift: Double

    init(_ virtualTime: VirtualTime, skew: Double = 0, drift: Double = 0) {
        self.virtualTime = virtualTime
        self.skew = skew
        self.drift = drift
    }

    public func now() -> Double {
        let t = virtualTime.now.seconds
        return Self.epoch + t + skew + drift * t
    }

    /// Virtual seconds until this clock has advanced by `localSeconds` (a real timer
    /// sleeps relative durations, measured on the node's own clock).
    func virtualDuration(ofLocal localSeconds: Double) -> Double {
        localSeconds / max(1 + drift, 0.01)
    }
}

/// The simulator's current instant, shared by every node clock.
final class VirtualTime: @unchecked Sendable {
    @exclusivity(unchecked) var now: SimTime = .zero  // read by every node clock; one thread
}
