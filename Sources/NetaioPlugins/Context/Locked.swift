import Foundation

/// A value behind a lock, so a source or cache with mutable state can be shared across
/// concurrency domains. NSLock rather than `Synchronization.Mutex` because the package
/// still declares macOS 13, where Mutex is unavailable.
final class Locked<State>: @unchecked Sendable {
    private let lock = NSLock()
    private var state: State

    init(_ state: State) { self.state = state }

    func withLock<R, E: Error>(_ body: (inout State) throws(E) -> R) throws(E) -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }
}
