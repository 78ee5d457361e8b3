import Foundation
import NetaioCore

/// A clock that runs `rate` times faster than the wall clock from `origin` on, so a
/// real-socket run can compress long waits (`netaio scenario run --transport real
/// --time-scale`). Engine timers armed against it fire after deadline/rate wall seconds
/// (EngineDriver divides), so advertise periods, peer timeouts and request timeouts all
/// shrink together; every node of a run must share one origin and rate.
public struct ScaledUnixClock: UnixClock {
    public let origin: Double
    public let rate: Double

    public init(origin: Double, rate: Double) {
        self.origin = origin
        self.rate = rate
    }

    public func now() -> Double { origin + (Date().timeIntervalSince1970 - origin) * rate }
}
