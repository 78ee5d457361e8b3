import NetaioCore
import NetaioSim

/// Reads scenario files (YAML, or the same structure as JSON; docs/scenarios.md).
///
/// `parse(_:)` is the single entry point for untrusted bytes: it returns a `Scenario` or
/// throws a `ScenarioError` with the line, column and field path; it never traps,
/// whatever the input (it is fuzzed).
public enum ScenarioParser {
    public static let maxNodes = 10_000

    public static func parse(_ bytes: [UInt8]) throws(ScenarioError) -> Scenario {
        let root = Field(node: try DocumentReader.read(bytes), path: "")
        let top = try root.mapping()
        try top.only(["name", "description", "duration", "seed", "network", "nodes", "timeline", "expect"])
        var p = Parser()
        let name = try top["name"]?.string() ?? "scenario"
        let description = try top["description"]?.string() ?? ""
        let duration = try top.require("duration").seconds(max: 86_400)
        guard duration > 0 else { throw try top.require("duration").error(.invalidValue, "duration must be positive") }
        let seed = try top["seed"].map { f throws(ScenarioError) in UInt64(try f.int(in: 0...Int.max)) } ?? 1
        try p.readNodes(try top.require("nodes"))
        let network = try p.readNetwork(top["network"])
        let timeline = try top["timeline"].map { f throws(ScenarioError) in try p.readTimeline(f) } ?? []
        let expectations = try top["expect"].map { f throws(ScenarioError) in try p.readExpectations(f) } ?? []
        return Scenario(
            name: name, description: description, duration: duration, seed: seed, nodes: p.nodes, network: network,
            timeline: timeline.sorted { $0.at < $1.at }, expectations: expectations, nodeIndex: p.index)
    }
}

/// Parsing state: the nodes read so far, so later sections can refer to them by name.
struct Parser {
    var nodes: [NodeSpec] = []
    var index: [String: Int] = [:]
    /// Group name → members, in order.
    var groups: [(name: String, members: [Int])] = []
    var pendingConnects: [(node: Int, targets: [Field])] = []

    // MARK: - Nodes

    mutating func readNodes(_ field: Field) throws(ScenarioError) {
        let list = try field.strictList()
        guard !list.isEmpty else { throw field.error(.invalidValue, "at least one node is required") }
        for item in list { try readGroup(item) }
        for (node, targets) in pendingConnects {
            var servers: [Int] = []
            for t in targets {
                for s in try resolve(t) {
                    guard nodes[s].role == .tcpServer else { throw t.error(.invalidValue, "\(nodes[s].name) is not a tcp_server") }
                    servers.append(s)
                }
            }
            nodes[node].connect = servers
        }
    }

    private mutating func readGroup(_ field: Field) throws(ScenarioError) {
        let m = try field.mapping()
        try m.only(["name", "role", "count", "ipv6", "port", "segment", "segment_size", "connect", "auth", "cipher", "peers",
                    "resources", "clock", "start", "keep_id", "request_timeout", "impl"])
        let nameField = try m.require("name")
        let name = try nameField.string()
        guard Self.isValidName(name) else {
            throw nameField.error(.invalidValue, "node names use letters, digits, '-' and '_' (and start with a letter)")
        }
        let roleField = try m.require("role")
        let role: Role
        switch try roleField.string() {
        case "udp": role = .udpNode
        case "tcp_server": role = .tcpServer
        case "tcp_client": role = .tcpClient
        case let other: throw roleField.error(.invalidValue, "unknown role \(quoted(other)); expected udp, tcp_server or tcp_client")
        }
        let count = try m["count"]?.int(in: 1...ScenarioParser.maxNodes) ?? 1
        guard nodes.count + count <= ScenarioParser.maxNodes else {
            throw field.error(.tooLarge, "more than \(ScenarioParser.maxNodes) nodes in all")
        }
        let ipv6 = try m["ipv6"]?.bool() ?? false
        let port = UInt16(try m["port"]?.int(in: 1...65535) ?? (role == .tcpServer ? 9999 : 8888))
        let segment = try m["segment"]?.int(in: 0...1_000_000) ?? 0
        let segmentSize = try m["segment_size"]?.int(in: 1...ScenarioParser.maxNodes)
        let auth = try m["auth"].map { f throws(ScenarioError) in try readPlugin(f, kind: .auth) }
        let cipher = try m["cipher"].map { f throws(ScenarioError) in try readPlugin(f, kind: .cipher) }
        let peers = try m["peers"].map { f throws(ScenarioError) in try readPeers(f) }
        var resources: [(uri: String, content: String)] = []
        if let r = m["resources"] {
            for (uri, value) in try r.mapping().entries { resources.append((uri, try value.string())) }
        }
        var skew = 0.0, drift = 0.0
        if let c = m["clock"] {
            let cm = try c.mapping()
            try cm.only(["skew", "drift"])
            skew = try cm["skew"]?.double() ?? 0
            drift = try cm["drift"]?.double() ?? 0
            guard abs(skew) <= 1e8, drift > -0.5, drift < 10 else { throw c.error(.invalidValue, "skew must be within ±1e8 s and drift within (-0.5, 10)") }
        }
        var startAt: Double? = 0
        if let s = m["start"] {
            if case .scalar(let sc) = s.node, sc.string == "manual" { startAt = nil } else { startAt = try s.seconds() }
        }
        let keepID = try m["keep_id"]?.bool() ?? false
        let requestTimeout = try m["request_timeout"]?.seconds(max: 3600) ?? 10
        let impl = try m["impl"].map { f throws(ScenarioError) in try readImpl(f) } ?? .swift
        if impl.isExternal, ipv6, role == .udpNode {
            throw try m.require("impl").error(.invalidValue, "netaio's UDPNode is IPv4 only: an external udp node cannot have ipv6: true")
        }
        if role != .tcpClient, m["connect"] != nil { throw try m.require("connect").error(.invalidValue, "only tcp_client nodes connect") }

        var members: [Int] = []
        for k in 0..<count {
            let nodeName = count == 1 ? name : "\(name)\(k + 1)"
            guard index[nodeName] == nil, !groups.contains(where: { $0.name == nodeName }) else {
                throw nameField.error(.duplicateName, "node name \(quoted(nodeName)) is used twice")
            }
            let n = nodes.count
            let host = ipv6 ? "fd00::\(String(n + 1, radix: 16))" : "10.\((n + 1) >> 16 & 255).\((n + 1) >> 8 & 255).\((n + 1) & 255)"
            nodes.append(NodeSpec(
                name: nodeName, group: name, role: role, address: Address(host: host, port: port),
                segment: segment + (segmentSize.map { k / $0 } ?? 0), connect: [], auth: auth, cipher: cipher, peers: peers,
                resources: resources, skew: skew, drift: drift, startAt: startAt, keepID: keepID, requestTimeout: requestTimeout,
                impl: impl))
            index[nodeName] = n
            members.append(n)
        }
        if count > 1 {
            guard index[name] == nil else { throw nameField.error(.duplicateName, "group name \(quoted(name)) is also a node name") }
        }
        groups.append((name, members))
        if let c = m["connect"] { for n in members { pendingConnects.append((n, try c.list())) } }
    }

    static func isValidName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.properties.isAlphabetic, s.count <= 64 else { return false }
        return s.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_" }
    }

    enum PluginKind { case auth, cipher }

    /// `impl: swift | python`, `impl: {python: {module: FILE}}` or `impl: {command: [ARGV…]}`.
    private func readImpl(_ field: Field) throws(ScenarioError) -> NodeImpl {
        if case .scalar = field.node {
            switch try field.string() {
            case "swift": return .swift
            case "python": return .python(module: nil)
            case let other: throw field.error(.invalidValue, "unknown impl \(quoted(other)); expected swift, python, {python: {module: FILE}} or {command: [ARGV…]}")
            }
        }
        let m = try field.mapping()
        try m.only(["python", "command"])
        if let p = m["python"] {
            guard m["command"] == nil else { throw field.error(.invalidValue, "impl takes python or command, not both") }
            if case .scalar = p.node, try p.string() == "" { return .python(module: nil) }
            let pm = try p.mapping()
            try pm.only(["module"])
            let module = try pm["module"]?.string()
            if let module, module.isEmpty { throw try pm.require("module").error(.invalidValue, "module is an empty path") }
            return .python(module: module)
        }
        let c = try m.require("command")
        var argv: [String] = []
        for item in try c.list() { argv.append(try item.string()) }
        guard !argv.isEmpty, !argv[0].isEmpty else { throw c.error(.invalidValue, "command needs at least the program to run") }
        guard argv.count <= 64 else { throw c.error(.tooLarge, "command has more than 64 arguments") }
        return .command(argv)
    }

    private func readPlugin(_ field: Field, kind: PluginKind) throws(ScenarioError) -> PluginSpec {
        let m = try field.mapping()
        guard m.entries.count == 1, let (name, settings) = m.entries.first else {
            throw field.error(.invalidValue, "give exactly one plugin, e.g. {hmac: {secret: s}}")
        }
        switch (kind, name) {
        case (.auth, "hmac"):
            let s = try settings.mapping()
            try s.only(["secret", "max_age", "max_future_skew", "hmac_field", "nonce_field", "ts_field"])
            return .hmac(
                secret: try s.require("secret").string(), maxAge: try s["max_age"]?.seconds(), maxFutureSkew: try s["max_future_skew"]?.seconds(),
                hmacField: try s["hmac_field"]?.string() ?? "hmac", nonceField: try s["nonce_field"]?.string() ?? "nonce",
                tsField: try s["ts_field"]?.string() ?? "ts")
        case (.auth, "tapescript"):
            let s = try settings.mapping()
            try s.only(["seed", "lock", "nonce_field", "ts_field", "witness_field"])
            let seedField = try s.require("seed")
            guard let seed = Hex.decode(try seedField.string()), seed.count == 32 else {
                throw seedField.error(.invalidValue, "seed must be 64 hex digits (a 32-byte Ed25519 seed)")
            }
            var lock: [UInt8]?
            if let lockField = s["lock"] {
                guard let bytes = Hex.decode(try lockField.string()), !bytes.isEmpty else {
                    throw lockField.error(.invalidValue, "lock must be tapescript byte code in hex")
                }
                lock = bytes
            }
            return .tapescript(
                seed: seed, lock: lock, nonceField: try s["nonce_field"]?.string() ?? "nonce",
                tsField: try s["ts_field"]?.string() ?? "ts", witnessField: try s["witness_field"]?.string() ?? "witness")
        case (.cipher, "sha256_stream"):
            let s = try settings.mapping()
            try s.only(["key", "encrypt_uri", "iv_field"])
            return .sha256Stream(
                key: try s.require("key").string(), encryptURI: try s["encrypt_uri"]?.bool() ?? true,
                ivField: try s["iv_field"]?.string() ?? "iv")
        case (.cipher, "x25519"):
            if case .mapping = settings.node { try settings.mapping().only([]) }
            return .x25519
        default:
            let known = kind == .auth ? "hmac, tapescript" : "sha256_stream, x25519"
            throw settings.error(.invalidValue, "unknown \(kind == .auth ? "auth" : "cipher") plugin \(quoted(name)); expected \(known)")
        }
    }

    private func readPeers(_ field: Field) throws(ScenarioError) -> PeerSettings {
        if case .scalar(let s) = field.node, ["true", "yes", "on"].contains(s.string) {
            return PeerSettings(appID: "netaio", advertiseEvery: 20, timeout: 60, auth: nil, cipher: nil, maxPeers: nil)
        }
        let m = try field.mapping()
        try m.only(["app_id", "advertise_every", "timeout", "auth", "cipher", "max_peers"])
        let every = try m["advertise_every"]?.seconds(max: 86_400) ?? 20
        guard every >= 0.1 else { throw try m.require("advertise_every").error(.invalidValue, "advertise_every must be at least 100ms") }
        return PeerSettings(
            appID: try m["app_id"]?.string() ?? "netaio", advertiseEvery: every,
            timeout: Int(try m["timeout"]?.seconds(max: 86_400) ?? 60),
            auth: try m["auth"].map { f throws(ScenarioError) in try readPlugin(f, kind: .auth) },
            cipher: try m["cipher"].map { f throws(ScenarioError) in try readPlugin(f, kind: .cipher) },
            maxPeers: try m["max_peers"]?.int(in: 1...1_000_000))
    }

    // MARK: - Node references

    /// `all`, a group name, a node name, or a list of those, as node indices in order.
    func resolve(_ field: Field) throws(ScenarioError) -> [Int] {
        var out: [Int] = []
        for item in try field.list() {
            let s = try item.string()
            var found: [Int]
            if s == "all" {
                found = Array(nodes.indices)
            } else if let g = groups.first(where: { $0.name == s }) {
                found = g.members
            } else if let n = index[s] {
                found = [n]
            } else {
                throw item.error(.unknownNode, "no node or group named \(quoted(s))")
            }
            for n in found where !out.contains(n) { out.append(n) }
        }
        return out
    }

    func resolveOne(_ field: Field) throws(ScenarioError) -> Int {
        let all = try resolve(field)
        guard all.count == 1 else { throw field.error(.invalidValue, "expected exactly one node, this names \(all.count)") }
        return all[0]
    }

    /// Peer ids: node references, or `name#k` for the id of its k-th start.
    func resolvePeers(_ field: Field) throws(ScenarioError) -> [PeerRef] {
        var out: [PeerRef] = []
        for item in try field.list() {
            let s = try item.string()
            if let hash = s.firstIndex(of: "#") {
                let base = String(s[..<hash])
                guard let n = index[base] else { throw item.error(.unknownNode, "no node named \(quoted(base))") }
                guard let k = Int(s[s.index(after: hash)...]), k >= 1, k <= 1_000_000 else {
                    throw item.error(.invalidValue, "expected name#k with k ≥ 1, found \(quoted(s))")
                }
                out.append(PeerRef(node: n, incarnation: k))
            } else {
                out += try resolve(item).map { PeerRef(node: $0, incarnation: nil) }
            }
        }
        return out
    }

    // MARK: - Network

    func readNetwork(_ field: Field?) throws(ScenarioError) -> NetworkSpec {
        var spec = NetworkSpec(defaults: LinkFaults(), links: [], connectTimeout: 10, tcpUserTimeout: 60)
        guard let field else { return spec }
        let m = try field.mapping()
        try m.only(Self.faultKeys + ["links", "connect_timeout", "tcp_user_timeout"])
        spec.defaults = try readFaults(m, over: LinkFaults())
        spec.connectTimeout = try m["connect_timeout"]?.seconds(max: 3600) ?? 10
        spec.tcpUserTimeout = try m["tcp_user_timeout"]?.seconds(max: 86_400) ?? 60
        if let links = m["links"] {
            for item in try links.strictList() { spec.links.append(try readLink(item, over: spec.defaults)) }
        }
        return spec
    }

    static let faultKeys = ["loss", "latency", "jitter", "duplicate", "corrupt", "bandwidth", "queue"]

    func readLink(_ field: Field, over base: LinkFaults) throws(ScenarioError) -> LinkSpec {
        let m = try field.mapping()
        try m.only(Self.faultKeys + ["from", "to", "both_ways"])
        return LinkSpec(
            from: try resolve(try m.require("from")), to: try resolve(try m.require("to")),
            bothWays: try m["both_ways"]?.bool() ?? false, faults: try readFaults(m, over: base))
    }

    /// Fault fields present in `m`, over `base`.
    func readFaults(_ m: Mapping, over base: LinkFaults) throws(ScenarioError) -> LinkFaults {
        var f = base
        if let v = m["loss"] { f.loss = try v.probability() }
        if let v = m["duplicate"] { f.duplicate = try v.probability() }
        if let v = m["corrupt"] { f.corrupt = try v.probability() }
        if let v = m["jitter"] { f.jitter = try v.seconds(max: 3600) }
        if let v = m["bandwidth"] { f.bandwidth = try v.bandwidth() }
        if let v = m["queue"] { f.queueLimit = try v.int(in: 1...1 << 40) }
        if let v = m["latency"] { f.latency = try readLatency(v) }
        return f
    }

    /// `5ms` (fixed), `{uniform: [1ms, 9ms]}`, `{normal: {mean: 20ms, stddev: 5ms}}`,
    /// `{long_tail: {min: 5ms, alpha: 1.5, max: 2s}}`.
    func readLatency(_ field: Field) throws(ScenarioError) -> LatencyDistribution {
        if case .scalar = field.node { return .fixed(try field.seconds(max: 3600)) }
        let m = try field.mapping()
        guard m.entries.count == 1, let (kind, v) = m.entries.first else {
            throw field.error(.invalidValue, "give one distribution: fixed, uniform, normal or long_tail")
        }
        switch kind {
        case "fixed":
            return .fixed(try v.seconds(max: 3600))
        case "uniform":
            let items = try v.strictList()
            guard items.count == 2 else { throw v.error(.invalidValue, "uniform takes [low, high]") }
            let lo = try items[0].seconds(max: 3600), hi = try items[1].seconds(max: 3600)
            guard lo <= hi else { throw v.error(.invalidValue, "uniform: low must not exceed high") }
            return .uniform(low: lo, high: hi)
        case "normal":
            let n = try v.mapping()
            try n.only(["mean", "stddev"])
            return .normal(mean: try n.require("mean").seconds(max: 3600), stddev: try n.require("stddev").seconds(max: 3600))
        case "long_tail":
            let n = try v.mapping()
            try n.only(["min", "alpha", "max"])
            let alpha = try n["alpha"]?.double() ?? 1.5
            guard alpha >= 0.1, alpha <= 100 else { throw try n.require("alpha").error(.invalidValue, "alpha must be within 0.1…100") }
            let lo = try n.require("min").seconds(max: 3600)
            let hi = try n["max"]?.seconds(max: 3600) ?? max(lo * 100, 1)
            return .longTail(minimum: lo, alpha: alpha, maximum: hi)
        default:
            throw v.error(.invalidValue, "unknown latency distribution \(quoted(kind)); expected fixed, uniform, normal or long_tail")
        }
    }
}
