/// How a run starts external nodes (`impl:`, docs/external-nodes.md). A run without options
/// refuses them: a scenario from an untrusted source (a fuzz input, a generated or shrunk
/// file) never starts a process unless the caller allows it.
public struct ExternalNodeOptions: Sendable {
    /// The Python adapter: an interpreter and scripts/python-sim/netaio_node.py. Nil when
    /// there is no Python set-up (a `python` node then fails to start, saying so).
    public var python: [String]?
    /// Relative paths (`module:`, a command's program) resolve against this directory:
    /// the scenario file's.
    public var baseDirectory: String?
    /// Wall-clock seconds a node may take to answer one input before the run gives up on it
    /// (a hang guard: it never changes a result).
    public var replyTimeout: Double

    public init(python: [String]?, baseDirectory: String? = nil, replyTimeout: Double = 30) {
        self.python = python
        self.baseDirectory = baseDirectory
        self.replyTimeout = replyTimeout
    }
}
