import Dispatch

/// Runs CPU-heavy or blocking test work (whole simulations, child processes) on a GCD
/// thread instead of Swift concurrency's cooperative pool: that pool has one thread per
/// core, and a synchronous test holding one for a minute starves the socket tests' async
/// work on a 2-core machine until their time limits run out.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try body() })
        }
    }
}
