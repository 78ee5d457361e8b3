import NetaioCore
import NetaioFuzzChecks

/// A deterministic plugin context: seeded randomness and a fixed clock, so an input
/// always replays the same way.
func fuzzContext(seed: Int, localPeer: Peer? = nil) -> PluginContext {
    PluginContext(random: SeededRandomSource(seed: UInt64(seed)), clock: FixedUnixClock(1_700_000_000), localPeer: localPeer)
}

/// Auth fields from a fuzz-chosen auth block, or none when it does not decode.
func fuzzFields(_ block: [UInt8]) -> AuthFields {
    (try? AuthFields.decode(block)) ?? AuthFields()
}

/// Fails the check with `message` unless `condition` holds.
@inline(__always)
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(FuzzFailure) {
    if !condition { throw FuzzFailure(message()) }
}
