import NetaioSim

/// The `timeline` and `expect` sections.
extension Parser {
    static let actions = ["start", "stop", "crash", "restart", "partition", "heal", "network", "link", "clear_links", "clock",
                          "request", "publish", "subscribe", "notify", "note"]

    func readTimeline(_ field: Field) throws(ScenarioError) -> [TimelineStep] {
        var steps: [TimelineStep] = []
        var requestNames = Set<String>()
        for item in try field.strictList() {
            let m = try item.mapping()
            try m.only(["at"] + Self.actions)
            let at = try m.require("at").seconds(max: 86_400)
            let present = m.keys.filter { $0 != "at" }
            guard present.count == 1, let key = present.first, let v = m[key] else {
                throw item.error(.invalidValue, "each step has `at` and exactly one action: \(Self.actions.joined(separator: ", "))")
            }
            let action = try readAction(key, v)
            if case .request(let r) = action {
                guard requestNames.insert(r.name).inserted else { throw v.error(.duplicateName, "request name \(quoted(r.name)) is used twice") }
            }
            steps.append(TimelineStep(at: at, action: action, line: item.line))
        }
        return steps
    }

    private func readAction(_ key: String, _ v: Field) throws(ScenarioError) -> TimelineAction {
        switch key {
        case "start": return .start(try resolve(v))
        case "stop": return .stop(try resolve(v))
        case "crash": return .crash(try resolve(v))
        case "restart": return .restart(try resolve(v))
        case "partition":
            let m = try v.mapping()
            try m.only(["name", "a", "b", "one_way"])
            let a = try resolve(try m.require("a"))
            var b: [Int]
            if let bf = m["b"] { b = try resolve(bf) } else { b = nodes.indices.filter { !a.contains($0) } }
            return .partition(name: try m["name"]?.string() ?? "partition", a: a, b: b, oneWay: try m["one_way"]?.bool() ?? false)
        case "heal":
            let s = try v.string()
            return .heal(s == "all" ? nil : s)
        case "network":
            let m = try v.mapping()
            try m.only(Self.faultKeys)
            return .setNetwork(try readFaults(m, over: LinkFaults()))
        case "link":
            return .setLink(try readLink(v, over: LinkFaults()))
        case "clear_links":
            guard try v.string() == "all" else { throw v.error(.invalidValue, "clear_links takes `all`") }
            return .clearLinks
        case "clock":
            let m = try v.mapping()
            try m.only(["nodes", "skew", "drift"])
            return .clock(nodes: try resolve(try m.require("nodes")), skew: try m["skew"]?.double(), drift: try m["drift"]?.double())
        case "request":
            let m = try v.mapping()
            try m.only(["name", "from", "to", "uri", "type", "content", "timeout", "retries", "retry_on"])
            let typeField = m["type"]
            let kindText = try typeField?.string() ?? "request"
            guard let kind = RequestStep.Kind(rawValue: kindText) else {
                throw typeField!.error(.invalidValue, "unknown request type \(quoted(kindText)); expected request, create, update or delete")
            }
            let from = try resolveOne(try m.require("from"))
            var retryOn: Set<RetryCondition> = [.timeout]
            if let field = m["retry_on"] { retryOn = try readRetryOn(field) }
            return .request(RequestStep(
                name: try m.require("name").string(), from: from, to: try resolveOne(try m.require("to")),
                uri: try m.require("uri").string(), kind: kind, content: try m["content"]?.string() ?? "",
                timeout: try m["timeout"]?.seconds(max: 3600), retries: try m["retries"]?.int(in: 0...1000) ?? 0,
                retryOn: retryOn))
        case "publish":
            let m = try v.mapping()
            try m.only(["from", "to", "uri", "content"])
            return .publish(from: try resolveOne(try m.require("from")), to: try resolveOne(try m.require("to")),
                            uri: try m.require("uri").string(), content: try m["content"]?.string() ?? "")
        case "subscribe":
            let m = try v.mapping()
            try m.only(["from", "to", "uri"])
            return .subscribe(from: try resolveOne(try m.require("from")), to: try resolveOne(try m.require("to")), uri: try m.require("uri").string())
        case "notify":
            let m = try v.mapping()
            try m.only(["node", "uri", "content"])
            return .notify(node: try resolveOne(try m.require("node")), uri: try m.require("uri").string(), content: try m["content"]?.string() ?? "")
        default:
            return .note(try v.string())
        }
    }

    /// `retry_on: timeout` or a list of `timeout`, `error`, `not_found`.
    private func readRetryOn(_ v: Field) throws(ScenarioError) -> Set<RetryCondition> {
        var out = Set<RetryCondition>()
        for item in try v.list() {
            let text = try item.string()
            guard let condition = RetryCondition(rawValue: text) else {
                throw item.error(.invalidValue, "unknown retry_on \(quoted(text)); expected timeout, error or not_found")
            }
            out.insert(condition)
        }
        if out.isEmpty { throw v.error(.invalidValue, "retry_on needs at least one of timeout, error, not_found (or use retries: 0)") }
        return out
    }

    // MARK: - Expectations

    static let expectationKinds = ["all_know", "knows", "not_knows", "never_peer", "peer_removed", "request_succeeds",
                                   "request_fails", "subscribers", "received", "peer_count", "no_stale_peers"]

    func readExpectations(_ field: Field) throws(ScenarioError) -> [Expectation] {
        var out: [Expectation] = []
        for item in try field.strictList() {
            let m = try item.mapping()
            try m.only(["name"] + Self.expectationKinds)
            let present = m.keys.filter { $0 != "name" }
            guard present.count == 1, let key = present.first, let v = m[key] else {
                throw item.error(.invalidValue, "each expectation has an optional `name` and exactly one of: \(Self.expectationKinds.joined(separator: ", "))")
            }
            let kind = try readExpectation(key, v)
            out.append(Expectation(name: try m["name"]?.string() ?? "\(key) (line \(item.line ?? 0))", kind: kind, line: item.line))
        }
        return out
    }

    private func readExpectation(_ key: String, _ v: Field) throws(ScenarioError) -> Expectation.Kind {
        let m = try v.mapping()
        switch key {
        case "all_know":
            try m.only(["nodes", "among", "by", "same_segment"])
            let nodes = try m["nodes"].map { f throws(ScenarioError) in try resolve(f) } ?? Array(self.nodes.indices)
            return .allKnow(nodes: nodes, among: try m["among"].map { f throws(ScenarioError) in try resolve(f) } ?? nodes,
                            by: try m.require("by").seconds(), sameSegment: try m["same_segment"]?.bool() ?? false)
        case "knows":
            try m.only(["nodes", "peers", "by"])
            return .knows(nodes: try resolve(try m.require("nodes")), peers: try resolvePeers(try m.require("peers")), by: try m.require("by").seconds())
        case "not_knows":
            try m.only(["nodes", "peers", "at"])
            return .notKnows(nodes: try resolve(try m.require("nodes")), peers: try resolvePeers(try m.require("peers")), at: try m.require("at").seconds())
        case "never_peer":
            try m.only(["nodes", "peers"])
            return .neverPeer(nodes: try resolve(try m.require("nodes")), peers: try resolvePeers(try m.require("peers")))
        case "peer_removed":
            try m.only(["nodes", "peers", "by", "reason"])
            let reason = try m["reason"]?.string()
            let reasons = ["disconnect", "timed_out", "connection_closed", "address_taken", "removed"]
            if let reason, !reasons.contains(reason) {
                throw try m.require("reason").error(.invalidValue, "unknown reason \(quoted(reason)); expected one of: \(reasons.joined(separator: ", "))")
            }
            return .peerRemoved(nodes: try resolve(try m.require("nodes")), peers: try resolvePeers(try m.require("peers")),
                                by: try m.require("by").seconds(), reason: reason)
        case "request_succeeds":
            try m.only(["request", "within", "content"])
            return .requestSucceeds(name: try m.require("request").string(), within: try m.require("within").seconds(), content: try m["content"]?.string())
        case "request_fails":
            try m.only(["request", "by"])
            return .requestFails(name: try m.require("request").string(), by: try m.require("by").seconds())
        case "subscribers":
            try m.only(["node", "topic", "count", "at"])
            return .subscribers(node: try resolveOne(try m.require("node")), topic: try m.require("topic").string(),
                                count: try m.require("count").int(in: 0...1_000_000), at: try m.require("at").seconds())
        case "received":
            try m.only(["nodes", "uri", "at_least", "by"])
            return .received(nodes: try resolve(try m.require("nodes")), uri: try m.require("uri").string(),
                             atLeast: try m["at_least"]?.int(in: 0...1_000_000_000) ?? 1, by: try m.require("by").seconds())
        case "no_stale_peers":
            try m.only(["nodes", "at"])
            let nodes = try m["nodes"].map { f throws(ScenarioError) in try resolve(f) } ?? Array(self.nodes.indices)
            return .noStalePeers(nodes: nodes, at: try m.require("at").seconds())
        default:
            try m.only(["nodes", "min", "max", "at"])
            let lo = try m["min"]?.int(in: 0...1_000_000) ?? 0
            let hi = try m["max"]?.int(in: 0...1_000_000) ?? 1_000_000
            guard lo <= hi else { throw v.error(.invalidValue, "min must not exceed max") }
            return .peerCount(nodes: try resolve(try m.require("nodes")), min: lo, max: hi, at: try m.require("at").seconds())
        }
    }
}
