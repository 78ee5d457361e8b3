/// Virtual time: whole nanoseconds since the run started. Integers, so ordering and
/// arithmetic are exact; converted to Unix seconds only for a node's clock.
public struct SimTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }
    public static let zero = SimTime(nanoseconds: 0)

    /// Seconds, rounded to the nearest nanosecond; negative and non-finite values clamp.
    public static func seconds(_ s: Double) -> SimTime {
        guard s.isFinite, s > 0 else { return .zero }
        return SimTime(nanoseconds: s >= 9.2e9 ? Int64(9.2e18) : Int64((s * 1e9).rounded()))
    }

    public var seconds: Double { Double(nanoseconds) / 1e9 }

    public static func < (a: SimTime, b: SimTime) -> Bool { a.nanoseconds < b.nanoseconds }
    public static func + (a: SimTime, b: SimTime) -> SimTime { SimTime(nanoseconds: a.nanoseconds &+ b.nanoseconds) }
    public static func - (a: SimTime, b: SimTime) -> SimTime { SimTime(nanoseconds: a.nanoseconds &- b.nanoseconds) }

    /// `12.345s`, millisecond precision.
    public var description: String {
        let ms = nanoseconds / 1_000_000
        let frac = String(ms % 1000)
        return "\(ms / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)s"
    }
}
