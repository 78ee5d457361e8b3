import CSodium

/// The operating system's CSPRNG through libsodium's `randombytes_buf`. The only random
/// source for real traffic.
public struct SystemRandomSource: RandomSource {
    public init() {}

    public func bytes(_ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        // Without a working libsodium there is no safe way to make nonces: stop loudly.
        precondition(Sodium.isReady, "libsodium failed to initialise; no secure random source")
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            randombytes_buf(buffer.baseAddress!, count)
            initialized = count
        }
    }
}
