import Foundation

/// Polls `condition` every `interval` seconds until it holds or `timeout` seconds have
/// passed, and returns whether it held: `#expect(try await eventually { ... })`. The one
/// way tests wait for something asynchronous to happen, instead of a fixed sleep.
public func eventually(
    timeout: Double = 10, every interval: Double = 0.02, _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = Date(timeIntervalSinceNow: timeout)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(nanoseconds: UInt64(interval * 1e9))
    }
    return try await condition()
}
