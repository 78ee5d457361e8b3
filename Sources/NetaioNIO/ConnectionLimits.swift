/// Hardening limits for TCP connections (netaio's server has none of these; see
/// docs/differences.md). All configurable; 0 disables a timeout.
public struct ConnectionLimits: Sendable, Equatable {
    /// Largest frame accepted (header + auth + body). A header announcing more gets an
    /// ERROR reply and the connection is closed, since framing cannot be trusted.
    public var maxFrameBytes: Int
    /// A frame whose first byte arrived must be complete within this many seconds, else
    /// the connection is closed (slowloris guard).
    public var frameTimeout: Double
    /// A connection with no input for this long is closed; 0 = never (subscribers may
    /// legitimately stay silent for hours).
    public var idleTimeout: Double
    /// A connection that has not completed a single frame this many seconds after it was
    /// accepted is closed; 0 = never. On by default: an idle socket that never spoke is
    /// not a client yet, only a held slot.
    public var firstFrameTimeout: Double
    /// Most simultaneous connections (server). When full, a newcomer is still accepted and
    /// one connection is evicted instead: the oldest that never completed a frame, else
    /// the one silent longest (see `LimitEvent.evicted`). Only when no connection can be
    /// evicted is the newcomer closed on accept.
    public var maxConnections: Int
    /// Stop reading from a connection while this many bytes of its output are unsent
    /// (back-pressure); resume below half of it.
    public var outputHighWater: Int
    /// Close a connection whose unsent output exceeds this (a subscriber that never reads).
    public var maxPendingOutput: Int

    public init(
        maxFrameBytes: Int = 9 + 0xFFFF + 0xFFFF, frameTimeout: Double = 10, idleTimeout: Double = 0,
        firstFrameTimeout: Double = 30, maxConnections: Int = 1024, outputHighWater: Int = 256 << 10, maxPendingOutput: Int = 4 << 20
    ) {
        self.maxFrameBytes = maxFrameBytes
        self.frameTimeout = frameTimeout
        self.idleTimeout = idleTimeout
        self.firstFrameTimeout = firstFrameTimeout
        self.maxConnections = maxConnections
        self.outputHighWater = outputHighWater
        self.maxPendingOutput = maxPendingOutput
    }

    public static let `default` = ConnectionLimits()
}

/// A hardening limit that was hit (counted per node, reported to the `onLimit` hook).
public enum LimitEvent: String, Sendable, Hashable, CaseIterable {
    /// A header announced more than `maxFrameBytes`; ERROR reply (server) and close.
    case frameTooLarge = "frame_too_large"
    /// A frame stayed incomplete for `frameTimeout`; closed.
    case partialFrameTimeout = "partial_frame_timeout"
    /// No input for `idleTimeout`; closed.
    case idleTimeout = "idle_timeout"
    /// No complete frame within `firstFrameTimeout` of being accepted; closed.
    case firstFrameTimeout = "first_frame_timeout"
    /// Closed to make room for a newcomer at `maxConnections`.
    case evicted
    /// Unsent output exceeded `maxPendingOutput`; closed.
    case slowReader = "slow_reader"
    /// Accepting would exceed `maxConnections` and no connection could be evicted; the
    /// newcomer is closed at once.
    case connectionRefused = "connection_refused"
}
