import NetaioCore
import NetaioSim

/// A parsed scenario file (docs/scenarios.md): who runs, on what network, what happens
/// when, and what must hold. Node references are resolved to node indices at parse time.
public struct Scenario: Sendable {
    public var name: String
    public var description: String
    /// Virtual seconds the run lasts.
    public var duration: Double
    /// Seed used when the command line gives none.
    public var seed: UInt64
    public var nodes: [NodeSpec]
    public var network: NetworkSpec
    public var timeline: [TimelineStep]
    public var expectations: [Expectation]

    /// Node indices by name (lookup only).
    public var nodeIndex: [String: Int]
}

/// One simulated node, after `count` expansion (group `n` with count 3 → n1, n2, n3).
public struct NodeSpec: Sendable {
    public var name: String
    public var group: String
    public var role: Role
    public var address: Address
    public var segment: Int
    /// TCP client: servers to connect to (node indices).
    public var connect: [Int]
    public var auth: PluginSpec?
    public var cipher: PluginSpec?
    public var peers: PeerSettings?
    /// uri → content served to REQUEST_URI (and changed by CREATE/UPDATE/DELETE).
    public var resources: [(uri: String, content: String)]
    public var skew: Double
    public var drift: Double
    /// When the node first starts (seconds); nil = it starts only from the timeline.
    public var startAt: Double?
    /// Keep the same peer id across restarts (default: a new id per start, `name#2`, …).
    public var keepID: Bool
    public var requestTimeout: Double
    /// Which implementation runs the node (`impl`; docs/external-nodes.md).
    public var impl: NodeImpl = .swift
}

/// Which implementation runs a node.
public enum NodeImpl: Sendable, Equatable, CustomStringConvertible {
    /// Our engine, in process.
    case swift
    /// The real Python netaio 0.0.9 through scripts/python-sim/netaio_node.py; `module`
    /// (a .py file) builds the node instead of the reference behaviour.
    case python(module: String?)
    /// Any adapter of the external-node contract (docs/external-nodes.md).
    case command([String])

    public var isExternal: Bool { self != .swift }

    public var description: String {
        switch self {
        case .swift: "swift"
        case .python(nil): "python"
        case .python(let m?): "python (module \(m))"
        case .command(let c): "command \(c.joined(separator: " "))"
        }
    }
}

/// A plugin and its settings.
public enum PluginSpec: Sendable, Equatable {
    /// Two HMAC layers (outer and inner) need different field names: they share one auth
    /// dict, and the outer `make` would overwrite the inner MAC.
    case hmac(secret: String, maxAge: Double?, maxFutureSkew: Double?, hmacField: String, nonceField: String, tsField: String)
    /// `encryptURI` false is needed for inner layers: an encrypted uri cannot match a
    /// `(type, uri)` handler key (docs/PROTOCOL.md §5.4).
    case sha256Stream(key: String, encryptURI: Bool, ivField: String)
    /// X25519 with a key derived from the node name (its pubkey goes into the peer data).
    case x25519
    /// netaio.asymmetric's TapescriptAuthPlugin: the README single-sig lock on the seed's
    /// verify key unless `lock` (byte code) is given.
    case tapescript(seed: [UInt8], lock: [UInt8]?, nonceField: String, tsField: String, witnessField: String)
}

public struct PeerSettings: Sendable {
    public var appID: String
    public var advertiseEvery: Double
    public var timeout: Int
    public var auth: PluginSpec?
    public var cipher: PluginSpec?
    public var maxPeers: Int?
}

public struct NetworkSpec: Sendable {
    public var defaults: LinkFaults
    public var links: [LinkSpec]
    public var connectTimeout: Double
    public var tcpUserTimeout: Double
}

/// Faults for traffic from `from` to `to` (and back when `bothWays`).
public struct LinkSpec: Sendable {
    public var from: [Int]
    public var to: [Int]
    public var bothWays: Bool
    public var faults: LinkFaults
}

public struct TimelineStep: Sendable {
    public var at: Double
    public var action: TimelineAction
    /// Source line, for messages.
    public var line: Int?
}

public enum TimelineAction: Sendable {
    case start([Int])
    case stop([Int])
    case crash([Int])
    /// Crash (if up) and start again as a new process.
    case restart([Int])
    case partition(name: String, a: [Int], b: [Int], oneWay: Bool)
    /// nil = heal every partition.
    case heal(String?)
    case setNetwork(LinkFaults)
    case setLink(LinkSpec)
    /// Removes every link override (the file's `links` and earlier `link` steps).
    case clearLinks
    case clock(nodes: [Int], skew: Double?, drift: Double?)
    case request(RequestStep)
    case publish(from: Int, to: Int, uri: String, content: String)
    case subscribe(from: Int, to: Int, uri: String)
    case notify(node: Int, uri: String, content: String)
    case note(String)
}

public struct RequestStep: Sendable {
    public enum Kind: String, Sendable { case request, create, update, delete }
    public var name: String
    public var from: Int
    public var to: Int
    public var uri: String
    public var kind: Kind
    public var content: String
    public var timeout: Double?
    /// Sent again, up to this many times, after an attempt ends in one of `retryOn`.
    public var retries: Int
    /// Which failed attempts are retried (`retry_on`); default: timeouts only.
    public var retryOn: Set<RetryCondition> = [.timeout]
}

/// A peer id reference: a node's current id, or the id of one of its incarnations (`b#1`).
public struct PeerRef: Sendable, Equatable {
    public var node: Int
    public var incarnation: Int?
}

public struct Expectation: Sendable {
    public var name: String
    public var kind: Kind
    public var line: Int?

    public enum Kind: Sendable {
        /// At `by`, every running node of `nodes` knows every other running node of
        /// `among` (same segment only when `sameSegment`).
        case allKnow(nodes: [Int], among: [Int], by: Double, sameSegment: Bool)
        /// At `by`, each running node of `nodes` knows each of `peers`.
        case knows(nodes: [Int], peers: [PeerRef], by: Double)
        /// At `at`, no running node of `nodes` knows any of `peers`.
        case notKnows(nodes: [Int], peers: [PeerRef], at: Double)
        /// Checked at every step: no node of `nodes` ever adds any of `peers`.
        case neverPeer(nodes: [Int], peers: [PeerRef])
        /// By `by`, each node of `nodes` has removed each of `peers` (with `reason`, if given).
        case peerRemoved(nodes: [Int], peers: [PeerRef], by: Double, reason: String?)
        /// The named request completed with its success type within `within` seconds of
        /// its first send (retries included); `content`, when given, must match.
        case requestSucceeds(name: String, within: Double, content: String?)
        /// The named request failed (timeout or error reply) by `by`.
        case requestFails(name: String, by: Double)
        /// At `at`, `node` has `count` subscribers for `topic`.
        case subscribers(node: Int, topic: String, count: Int, at: Double)
        /// By `by`, each node of `nodes` received at least `atLeast` PUBLISH/NOTIFY for `uri`.
        case received(nodes: [Int], uri: String, atLeast: Int, by: Double)
        /// At `at`, each running node of `nodes` knows between `min` and `max` peers.
        case peerCount(nodes: [Int], min: Int, max: Int, at: Double)
        /// At `at`, each running node of `nodes` holds only peers that are running now,
        /// under their current ids (no node that is gone, no old id of a restarted one).
        case noStalePeers(nodes: [Int], at: Double)
    }
}
