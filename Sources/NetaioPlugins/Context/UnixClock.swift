import Foundation

/// The time source of plugins: Unix seconds as a Double, like Python's `time.time()`.
/// HMAC `make` uses it for `ts`; the optional freshness check compares against it.
public protocol UnixClock: Sendable {
    func now() -> Double
}

/// The wall clock. The only clock for real traffic.
public struct SystemUnixClock: UnixClock {
    public init() {}
    public func now() -> Double { Date().timeIntervalSince1970 }
}

/// A clock stopped at one instant (golden vectors).
public struct FixedUnixClock: UnixClock {
    public let seconds: Double
    public init(_ seconds: Double) { self.seconds = seconds }
    public func now() -> Double { seconds }
}

/// A clock a test or simulator sets and advances by hand.
public final class ManualUnixClock: UnixClock {
    private let time: Locked<Double>

    public init(_ seconds: Double = 0) { time = Locked(seconds) }

    public func now() -> Double { time.withLock { $0 } }
    public func set(_ seconds: Double) { time.withLock { $0 = seconds } }
    public func advance(by seconds: Double) { time.withLock { $0 += seconds } }
}

/// Python's `int(t)` for a clock reading: truncates toward zero; nil when not finite or
/// out of `Int` range, where Python would raise.
func wholeSeconds(_ t: Double) -> Int? {
    guard t.isFinite, t > -9.2e18, t < 9.2e18 else { return nil }
    return Int(t.rounded(.towardZero))
}
