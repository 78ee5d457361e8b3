import Foundation
import Testing
@testable import NetaioSim

/// The simulator's own log/exp (no libm) are accurate enough for latency draws.
@Suite struct MathTests {
    @Test func logAndExpAgreeWithLibmClosely() {
        for x in [1e-300, 1e-9, 0.001, 0.25, 0.5, 0.999, 1, 1.5, 2, 10, 12345.678, 1e300] {
            let ours = DeterministicMath.log(x), libm = Foundation.log(x)
            #expect(abs(ours - libm) <= 1e-12 * max(1, abs(libm)), "log(\(x))")
        }
        for x in [-700.0, -20, -1, -0.5, 0, 0.3, 1, 5, 50, 700] {
            let ours = DeterministicMath.exp(x), libm = Foundation.exp(x)
            #expect(abs(ours - libm) <= 1e-12 * libm, "exp(\(x))")
        }
    }
}
