import ArgumentParser
import NetaioNIO

/// The TCP hardening limits (docs/differences.md; netaio's server has none).
struct LimitOptions: ParsableArguments {
    @Option(name: .customLong("max-connections"), help: "Most simultaneous client connections; more are closed on accept.")
    var maxConnections = ConnectionLimits.default.maxConnections

    @Option(name: .customLong("max-frame-bytes"), help: "Largest frame accepted; a bigger header gets an ERROR reply and a close.")
    var maxFrameBytes = ConnectionLimits.default.maxFrameBytes

    @Option(name: .customLong("frame-timeout"), help: "Seconds a started frame may take to arrive in full (slowloris guard; 0 = off).")
    var frameTimeout = ConnectionLimits.default.frameTimeout

    @Option(name: .customLong("idle-timeout"), help: "Close connections silent this many seconds (0 = never; subscribers may idle).")
    var idleTimeout = ConnectionLimits.default.idleTimeout

    @Option(name: .customLong("max-pending-output"), help: "Close a connection whose unsent output exceeds this many bytes (reading pauses at 1/16 of it).")
    var maxPendingOutput = ConnectionLimits.default.maxPendingOutput

    func validate() throws {
        guard maxConnections > 0, maxFrameBytes >= 9, frameTimeout >= 0, idleTimeout >= 0, maxPendingOutput > 0 else {
            throw ValidationError("limits must be positive (timeouts may be 0 = off)")
        }
    }

    var limits: ConnectionLimits {
        ConnectionLimits(
            maxFrameBytes: maxFrameBytes, frameTimeout: frameTimeout, idleTimeout: idleTimeout,
            maxConnections: maxConnections, outputHighWater: max(1, maxPendingOutput / 16), maxPendingOutput: maxPendingOutput)
    }
}
