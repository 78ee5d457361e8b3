/// Where two recorded traces of the same scenario and seed part (`--check-determinism`).
public enum TraceDiff {
    /// The index of the first record that differs, or where the shorter trace ends; nil
    /// when the traces are the same.
    public static func firstDifference<S: Equatable>(_ a: [S], _ b: [S]) -> Int? {
        for i in 0..<min(a.count, b.count) where a[i] != b[i] { return i }
        return a.count == b.count ? nil : min(a.count, b.count)
    }
}
