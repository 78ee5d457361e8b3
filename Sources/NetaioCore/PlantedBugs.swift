/// Deliberate bugs the explorer's tests plant in the engine to prove that exploration
/// and shrinking find real failures (docs/exploring.md, "Proving it bites").
///
/// SPI: only code that imports `@_spi(PlantedBugs) import NetaioCore` can switch one
/// on. The `netaio` command line never does, so no normal build of the CLI can run a
/// bugged engine. Every switch is off by default.
@_spi(PlantedBugs)
public struct PlantedBugs: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Answers error-type messages with error-type messages (the Q1 NOT_FOUND storm).
    public static let answersErrorTypes = PlantedBugs(rawValue: 1 << 0)
    /// Never removes peers that went silent (the timeout sweep does nothing).
    public static let keepsTimedOutPeers = PlantedBugs(rawValue: 1 << 1)
    /// Peer-management handlers match any app id (registered by type only).
    public static let acceptsAnyAppID = PlantedBugs(rawValue: 1 << 2)
    /// DISCONNECT removes the peer but keeps its subscriptions.
    public static let disconnectKeepsSubscriptions = PlantedBugs(rawValue: 1 << 3)
    /// The peer table ignores `maxPeers`.
    public static let unboundedPeerTable = PlantedBugs(rawValue: 1 << 4)
    /// Traffic from a known peer does not refresh its last-seen time.
    public static let noLastSeenRefresh = PlantedBugs(rawValue: 1 << 5)

    /// Each bug with the name tests and docs use.
    public static let named: [(name: String, bug: PlantedBugs)] = [
        ("answers-error-types", .answersErrorTypes), ("keeps-timed-out-peers", .keepsTimedOutPeers),
        ("accepts-any-app-id", .acceptsAnyAppID), ("disconnect-keeps-subscriptions", .disconnectKeepsSubscriptions),
        ("unbounded-peer-table", .unboundedPeerTable), ("no-last-seen-refresh", .noLastSeenRefresh),
    ]
}
