/// Where plugins get every random value they use: nonces, IVs, box nonces and the
/// `encrypt_uri` split point. Injected through `PluginContext`, so a simulation can make
/// every run reproducible while real nodes use `SystemRandomSource`.
public protocol RandomSource: Sendable {
    /// `count` random bytes.
    func bytes(_ count: Int) -> [UInt8]

    /// A uniformly distributed integer in `range` (Python's `random.randint(a, b)`).
    func integer(in range: ClosedRange<Int>) -> Int
}

extension RandomSource {
    /// Default: rejection sampling over big-endian 64-bit words from `bytes(8)`, so the
    /// result is exactly uniform and depends only on the byte stream.
    public func integer(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound)) &+ 1
        if span == 0 { return Int(truncatingIfNeeded: word()) }  // the whole Int range
        // Accept only words below the largest multiple of span, so every residue is equally likely.
        let limit = UInt64.max - (UInt64.max % span + 1) % span
        while true {
            let w = word()
            if w <= limit { return range.lowerBound &+ Int(truncatingIfNeeded: w % span) }
        }
    }

    private func word() -> UInt64 {
        bytes(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
