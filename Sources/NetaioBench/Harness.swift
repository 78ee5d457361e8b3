/// A small measuring harness: calibrate the iteration count until one repetition takes
/// long enough, repeat, report the best rate (the run least disturbed by the machine).
struct Harness {
    var minimumRepetitionSeconds: Double
    var repetitions: Int

    static let standard = Harness(minimumRepetitionSeconds: 0.2, repetitions: 5)
    static let quick = Harness(minimumRepetitionSeconds: 0.02, repetitions: 2)

    /// Operations per second of `operation`, best of `repetitions`.
    func measure(_ operation: () throws -> Void) rethrows -> Double {
        var iterations = 1
        while true {
            let elapsed = try time(iterations, operation)
            if elapsed >= minimumRepetitionSeconds { break }
            iterations = elapsed <= 0 ? iterations * 10 : max(iterations * 2, Int(Double(iterations) * minimumRepetitionSeconds * 1.2 / elapsed))
        }
        var best = 0.0
        for _ in 0..<repetitions {
            best = max(best, Double(iterations) / (try time(iterations, operation)))
        }
        return best
    }

    private func time(_ iterations: Int, _ operation: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<iterations { try operation() }
        let d = clock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}

/// Keeps results alive so the optimizer cannot delete the measured work.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

/// Set by `--only`: rows whose name does not contain it are skipped.
nonisolated(unsafe) var onlyRowsContaining: String? = nil

/// Measures and prints one row unless `--only` excludes it.
func row(_ name: String, bytes: Int, harness: Harness, _ operation: () throws -> Void) rethrows {
    if let only = onlyRowsContaining, !name.contains(only) { return }
    report(name: name, opsPerSecond: try harness.measure(operation), bytes: bytes)
}

/// One output row, in the JSON-lines format bench/compare.py reads.
func report(name: String, opsPerSecond: Double, bytes: Int) {
    let mb = opsPerSecond * Double(bytes) / 1e6
    print(#"{"impl":"swift","name":"\#(name)","ops_per_s":\#(opsPerSecond),"mb_per_s":\#(mb),"bytes":\#(bytes)}"#)
}
