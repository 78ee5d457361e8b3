import CSodium

/// libsodium set-up. `sodium_init` is idempotent and thread-safe; a `static let` runs it
/// exactly once, on first use.
enum Sodium {
    static let isReady: Bool = sodium_init() >= 0
}
