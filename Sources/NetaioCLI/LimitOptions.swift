import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NetaioNIO

/// The TCP hardening limits (docs/differences.md; netaio's server has none).
struct LimitOptions: ParsableArguments {
    @Option(name: .customLong("max-connections"), help: "Most simultaneous client connections; when full, a newcomer evicts the oldest connection that never completed a frame, else the one silent longest.")
    var maxConnections = ConnectionLimits.default.maxConnections

    @Option(name: .customLong("max-frame-bytes"), help: "Largest frame accepted; a bigger header gets an ERROR reply and a close.")
    var maxFrameBytes = ConnectionLimits.default.maxFrameBytes

    @Option(name: .customLong("frame-timeout"), help: "Seconds a started frame may take to arrive in full (slowloris guard; 0 = off).")
    var frameTimeout = ConnectionLimits.default.frameTimeout

    @Option(name: .customLong("idle-timeout"), help: "Close connections silent this many seconds (0 = never; subscribers may idle).")
    var idleTimeout = ConnectionLimits.default.idleTimeout

    @Option(name: .customLong("first-frame-timeout"), help: "Close a connection that has not sent one complete frame this many seconds after it was accepted (0 = never).")
    var firstFrameTimeout = ConnectionLimits.default.firstFrameTimeout

    @Option(name: .customLong("max-pending-output"), help: "Close a connection whose unsent output exceeds this many bytes (reading pauses at 1/16 of it).")
    var maxPendingOutput = ConnectionLimits.default.maxPendingOutput

    func validate() throws {
        guard maxConnections > 0, maxFrameBytes >= 9, frameTimeout >= 0, idleTimeout >= 0, firstFrameTimeout >= 0, maxPendingOutput > 0 else {
            throw ValidationError("limits must be positive (timeouts may be 0 = off)")
        }
    }

    var limits: ConnectionLimits {
        ConnectionLimits(
            maxFrameBytes: maxFrameBytes, frameTimeout: frameTimeout, idleTimeout: idleTimeout, firstFrameTimeout: firstFrameTimeout,
            maxConnections: maxConnections, outputHighWater: max(1, maxPendingOutput / 16), maxPendingOutput: maxPendingOutput)
    }

    /// Raises the soft RLIMIT_NOFILE (up to the hard limit) so --max-connections clients
    /// plus the listener, pipes and a margin can be open: with the common soft limit of
    /// 1,024, accept would fail with EMFILE before the connection limit and its eviction
    /// policy were ever reached.
    func raiseDescriptorLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        let wanted = rlim_t(maxConnections + 128)
        if limit.rlim_cur < wanted {
            limit.rlim_cur = min(wanted, limit.rlim_max)
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
    }
}
