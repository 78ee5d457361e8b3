import NetaioCore

/// A node the simulator runs out of process (docs/external-nodes.md): any implementation
/// behind the external-node contract, e.g. the real Python netaio. It gets the same inputs an
/// in-process engine gets and answers with the same `Action`s, so routing, faults, timers and
/// the trace treat both alike.
///
/// Timers: a driver arms at most one timer at a time and uses a fresh `TimerID` for every
/// new deadline (cancelling the old one), so a replaced deadline never fires early.
public protocol ExternalNodeDriver: AnyObject {
    func received(datagram: [UInt8], from: Address)
    /// TCP server: a client connected. The driver names the connection.
    func accepted(from: Address) -> ConnectionID
    /// TCP client: a connection the process opened (`Action.open`) is established.
    func connected(_ id: ConnectionID)
    func received(_ bytes: [UInt8], on id: ConnectionID)
    /// The other end closed or reset the connection, or a connect failed.
    func closed(_ id: ConnectionID)
    func timerFired(_ id: TimerID)
    /// Graceful stop: what the process says on its way out is in the next `takeActions()`.
    func stop()
    /// Crash: the process dies at once.
    func kill()
    /// What the process asked for since the last call, in order.
    func takeActions() -> [Action]
    /// Set once the process broke the contract or died; the simulator then takes the node
    /// down as if it had crashed and the run reports the reason.
    var failure: String? { get }
}
