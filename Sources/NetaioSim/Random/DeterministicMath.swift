/// `log` and `exp` from + − × ÷ only. libm's transcendental functions are not correctly
/// rounded and differ between platforms in the last bit; the simulator draws latencies
/// with these instead, so a seed gives the same run on Linux and macOS.
enum DeterministicMath {
    static let ln2 = 0.693_147_180_559_945_309_417_232_121_458

    /// Natural log for finite x > 0 (x ≤ 0 gives -infinity).
    static func log(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x > 0 ? x : -.infinity }
        // x = m · 2^e with m in [1, 2): exact.
        let e = Double(x.exponent)
        let m = x.significand
        // ln m = 2 atanh(y), y = (m-1)/(m+1) in [0, 1/3): the series converges fast.
        let y = (m - 1) / (m + 1)
        let y2 = y * y
        var term = y
        var sum = 0.0
        var k = 1.0
        for _ in 0..<30 {
            sum += term / k
            term *= y2
            k += 2
        }
        return 2 * sum + e * ln2
    }

    /// e^x (overflow to +infinity, underflow to 0).
    static func exp(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > 709 { return .infinity }
        if x < -745 { return 0 }
        let k = (x / ln2).rounded()
        let r = x - k * ln2  // |r| ≤ ln2/2
        var term = 1.0
        var sum = 1.0
        for i in 1...25 {
            term *= r / Double(i)
            sum += term
        }
        return scale(sum, by: Int(k))
    }

    /// x · 2^n by repeated exact scaling (no ldexp, for the same reason).
    private static func scale(_ x: Double, by n: Int) -> Double {
        var v = x
        var n = n
        while n > 0 {
            let step = min(n, 1000)
            v *= Double(sign: .plus, exponent: step, significand: 1)
            n -= step
        }
        while n < 0 {
            let step = max(n, -1000)
            v *= Double(sign: .plus, exponent: step, significand: 1)
            n -= step
        }
        return v
    }
}
