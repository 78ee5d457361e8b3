/// Hands out pre-set values, for golden vectors and unit tests: `bytes(n)` takes the next
/// n bytes of `bytes`, `integer(in:)` the next value of `integers`.
///
/// Running out, or a queued integer outside the requested range, is a mistake in the
/// test that set it up, so it stops with a message naming what was missing.
public final class FixedRandomSource: RandomSource {
    private struct State {
        var bytes: [UInt8]
        var integers: [Int]
    }

    private let state: Locked<State>

    public init(bytes: [UInt8] = [], integers: [Int] = []) {
        state = Locked(State(bytes: bytes, integers: integers))
    }

    /// Convenience for several values drawn in order (e.g. a nonce, then an IV).
    public convenience init(chunks: [[UInt8]], integers: [Int] = []) {
        self.init(bytes: chunks.flatMap { $0 }, integers: integers)
    }

    public func bytes(_ count: Int) -> [UInt8] {
        state.withLock { s in
            precondition(s.bytes.count >= count, "FixedRandomSource: asked for \(count) bytes, \(s.bytes.count) left")
            let out = Array(s.bytes.prefix(count))
            s.bytes.removeFirst(count)
            return out
        }
    }

    public func integer(in range: ClosedRange<Int>) -> Int {
        state.withLock { s in
            precondition(!s.integers.isEmpty, "FixedRandomSource: asked for an integer in \(range), none left")
            let value = s.integers.removeFirst()
            precondition(range.contains(value), "FixedRandomSource: queued \(value) is outside \(range)")
            return value
        }
    }

    /// Bytes and integers not yet handed out (lets a test check that all were used).
    public var remaining: (bytes: Int, integers: Int) {
        state.withLock { s in (s.bytes.count, s.integers.count) }
    }
}
