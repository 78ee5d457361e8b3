import NetaioScenario
import NetaioSim
import Yams

/// A scenario document as a plain tree (scalars keep their YAML form), and the smaller
/// documents each shrink pass proposes.
indirect enum Tree {
    case leaf(Node)
    case seq([Tree])
    case map([(key: String, value: Tree)])

    init(_ node: Node) {
        switch node {
        case .mapping(let m): self = .map(m.map { (key: $0.key.string ?? "", value: Tree($0.value)) })
        case .sequence(let s): self = .seq(s.map(Tree.init))
        default: self = .leaf(node)
        }
    }

    var node: Node {
        switch self {
        case .leaf(let n): n
        case .seq(let items): .sequence(Node.Sequence(items.map(\.node)))
        case .map(let pairs): .mapping(Node.Mapping(pairs.map { (Node($0.key), $0.value.node) }))
        }
    }

    var string: String? { if case .leaf(let n) = self { n.string } else { nil } }
    var items: [Tree] { if case .seq(let s) = self { s } else if case .leaf = self { [self] } else { [] } }

    subscript(key: String) -> Tree? {
        get { if case .map(let pairs) = self { pairs.first { $0.key == key }?.value } else { nil } }
        set {
            guard case .map(var pairs) = self else { return }
            if let i = pairs.firstIndex(where: { $0.key == key }) {
                if let newValue { pairs[i].value = newValue } else { pairs.remove(at: i) }
            } else if let newValue {
                pairs.append((key, newValue))
            }
            self = .map(pairs)
        }
    }

    var keys: [String] { if case .map(let pairs) = self { pairs.map(\.key) } else { [] } }

    /// This item with the removed node names taken out of its node lists; nil when it
    /// names one of them where a single node is required (or a list empties).
    func purging(_ names: Set<String>, renaming: [String: String]) -> Tree? {
        switch self {
        case .leaf(let n):
            guard let s = n.string else { return self }
            if names.contains(s) { return nil }
            if let to = renaming[s] { return .leaf(Node(to)) }
            return self
        case .seq(let items):
            var kept: [Tree] = []
            for item in items {
                if let s = item.string, names.contains(s) { continue }
                guard let p = item.purging(names, renaming: renaming) else { return nil }
                kept.append(p)
            }
            return kept.isEmpty && !items.isEmpty ? nil : .seq(kept)
        case .map(let pairs):
            var out: [(key: String, value: Tree)] = []
            for (k, v) in pairs {
                guard let p = v.purging(names, renaming: renaming) else { return nil }
                out.append((k, p))
            }
            return .map(out)
        }
    }
}

enum Document {
    static let faultKeys = ["loss", "latency", "jitter", "duplicate", "corrupt", "bandwidth", "queue"]
    static let faultSteps: Set<String> = ["partition", "crash", "restart", "stop", "clock", "network", "link"]

    /// Every expectation gets its parsed name written out, so names survive re-serialising.
    static func nameExpectations(_ doc: Node, _ scenario: Scenario) -> Node {
        var root = Tree(doc)
        guard case .seq(var list)? = root["expect"], list.count == scenario.expectations.count else { return doc }
        for i in list.indices where list[i]["name"] == nil {
            list[i]["name"] = .leaf(Node(scenario.expectations[i].name))
        }
        root["expect"] = .seq(list)
        return root.node
    }

    static func size(_ s: Scenario) -> Shrinker.Size {
        let d = s.network.defaults
        var faults = s.network.links.count
        faults += [d.loss > 0, d.latency != .fixed(0.001), d.jitter > 0, d.duplicate > 0, d.corrupt > 0, d.bandwidth != nil].filter { $0 }.count
        faults += s.nodes.filter { $0.skew != 0 || $0.drift != 0 }.count
        for step in s.timeline {
            switch step.action {
            case .partition, .crash, .restart, .stop, .clock, .setNetwork, .setLink: faults += 1
            default: break
            }
        }
        return Shrinker.Size(nodes: s.nodes.count, steps: s.timeline.count, faults: faults, duration: s.duration, expectations: s.expectations.count)
    }

    static func candidates(_ pass: Shrinker.Pass, _ doc: Node, target: String) -> [Candidate] {
        let root = Tree(doc)
        var out: [(String, Tree)] = []
        switch pass {
        case .expectations: out = expectationCandidates(root, target: target)
        case .groups: out = groupCandidates(root, target: target)
        case .steps: out = stepCandidates(root)
        case .members: out = memberCandidates(root, target: target)
        case .faults: out = faultCandidates(root)
        case .plugins: out = pluginCandidates(root)
        case .duration: out = durationCandidates(root)
        }
        return out.map { Candidate(pass: pass, label: $0.0, doc: $0.1.node) }
    }

    private static func expectationCandidates(_ root: Tree, target: String) -> [(String, Tree)] {
        guard case .seq(let list)? = root["expect"] else { return [] }
        let others = list.indices.filter { list[$0]["name"]?.string != target }
        guard !others.isEmpty else { return [] }
        var out: [(String, Tree)] = []
        var all = root
        all["expect"] = .seq(list.filter { $0["name"]?.string == target })
        if others.count > 1 { out.append(("\(others.count) expectations other than the target", all)) }
        for i in others {
            var r = root
            var l = list
            l.remove(at: i)
            r["expect"] = .seq(l)
            out.append(("expectation '\(list[i]["name"]?.string ?? "?")'", r))
        }
        return out
    }

    /// The node names a group entry defines (its members, and its own name).
    private static func names(of group: Tree) -> (group: String, members: [String]) {
        let name = group["name"]?.string ?? ""
        let count = group["count"]?.string.flatMap(Int.init) ?? 1
        return (name, count <= 1 ? [name] : (1...count).map { "\(name)\($0)" })
    }

    /// `root` without the given node names anywhere it refers to nodes; nil when the
    /// target expectation would go with them.
    private static func purge(_ root: Tree, _ gone: Set<String>, renaming: [String: String] = [:], target: String) -> Tree? {
        var r = root
        if case .seq(let groups)? = r["nodes"] {
            r["nodes"] = .seq(groups.map { g in
                var g = g
                if let c = g["connect"] { g["connect"] = c.purging(gone, renaming: renaming) }
                return g
            })
        }
        if case .seq(let steps)? = r["timeline"] { r["timeline"] = .seq(steps.compactMap { $0.purging(gone, renaming: renaming) }) }
        if case .seq(let list)? = r["expect"] {
            var kept: [Tree] = []
            for e in list {
                if let p = e.purging(gone, renaming: renaming) { kept.append(p) } else if e["name"]?.string == target { return nil }
            }
            r["expect"] = .seq(kept)
        }
        if var net = r["network"], case .seq(let links)? = net["links"] {
            let kept = links.compactMap { $0.purging(gone, renaming: renaming) }
            net["links"] = kept.isEmpty ? nil : .seq(kept)
            r["network"] = net.keys.isEmpty ? nil : net
        }
        return r
    }

    private static func groupCandidates(_ root: Tree, target: String) -> [(String, Tree)] {
        guard case .seq(let groups)? = root["nodes"], groups.count > 1 else { return [] }
        var out: [(String, Tree)] = []
        for i in groups.indices {
            var r = root
            var g = groups
            let (name, members) = names(of: g.remove(at: i))
            r["nodes"] = .seq(g)
            if let p = purge(r, Set(members + [name]), target: target) { out.append(("node group \(name)", p)) }
        }
        return out
    }

    private static func memberCandidates(_ root: Tree, target: String) -> [(String, Tree)] {
        guard case .seq(let groups)? = root["nodes"] else { return [] }
        var out: [(String, Tree)] = []
        for i in groups.indices {
            let (name, members) = names(of: groups[i])
            guard members.count > 1 else { continue }
            for keep in Set([1, members.count / 2]).sorted() where keep >= 1 && keep < members.count - 1 {
                var g = groups
                var renaming: [String: String] = [:]
                if keep == 1 {
                    g[i]["count"] = nil
                    renaming[members[0]] = name
                } else {
                    g[i]["count"] = .leaf(Node(String(keep)))
                }
                var r = root
                r["nodes"] = .seq(g)
                if let p = purge(r, Set(members[keep...]), renaming: renaming, target: target) {
                    out.append(("\(members.count - keep) of \(members.count) nodes of \(name)", p))
                }
            }
            // One member at a time; the ones after it are renumbered (with one left, it
            // takes the group's name), so the steps that name the others still hold.
            for j in members.indices {
                var g = groups
                var renaming: [String: String] = [:]
                let left = members.count - 1
                if left == 1 {
                    g[i]["count"] = nil
                    renaming[members[j == 0 ? 1 : 0]] = name
                } else {
                    g[i]["count"] = .leaf(Node(String(left)))
                    for k in (j + 1)..<members.count { renaming[members[k]] = members[k - 1] }
                }
                var r = root
                r["nodes"] = .seq(g)
                if let p = purge(r, [members[j]], renaming: renaming, target: target) {
                    out.append(("node \(members[j])", p))
                }
            }
        }
        return out
    }

    /// Delta debugging over the timeline: halves, quarters, … then single steps.
    private static func stepCandidates(_ root: Tree) -> [(String, Tree)] {
        guard case .seq(let steps)? = root["timeline"], !steps.isEmpty else { return [] }
        var out: [(String, Tree)] = []
        var chunk = steps.count
        while chunk >= 1 {
            var start = 0
            while start < steps.count {
                let range = start..<min(start + chunk, steps.count)
                var r = root
                var kept = steps
                kept.removeSubrange(range)
                r["timeline"] = kept.isEmpty ? nil : .seq(kept)
                let times = steps[range].compactMap { $0["at"]?.string }
                let label = range.count == 1 ? "timeline step at \(times.first ?? "?") (\(steps[range.lowerBound].keys.filter { $0 != "at" }.joined()))"
                    : "\(range.count) timeline steps (\(times.first ?? "?")…\(times.last ?? "?"))"
                out.append((label, r))
                start += chunk
            }
            chunk /= 2
        }
        return out
    }

    private static func faultCandidates(_ root: Tree) -> [(String, Tree)] {
        var out: [(String, Tree)] = []
        if let net = root["network"] {
            for key in faultKeys where net[key] != nil {
                var r = root, n = net
                n[key] = nil
                r["network"] = n.keys.isEmpty ? nil : n
                out.append(("network \(key)", r))
            }
            if case .seq(let links)? = net["links"] {
                for i in links.indices {
                    var r = root, n = net, l = links
                    l.remove(at: i)
                    n["links"] = l.isEmpty ? nil : .seq(l)
                    r["network"] = n.keys.isEmpty ? nil : n
                    out.append(("network link \(i + 1)", r))
                }
            }
        }
        out += groupFieldCandidates(root, field: "clock", label: "clock skew/drift")
        return out
    }

    private static func pluginCandidates(_ root: Tree) -> [(String, Tree)] {
        var out = groupFieldCandidates(root, field: "auth", label: "auth")
        out += groupFieldCandidates(root, field: "cipher", label: "cipher")
        guard case .seq(let groups)? = root["nodes"] else { return out }
        for i in groups.indices {
            guard let peers = groups[i]["peers"], case .map = peers else { continue }
            for key in ["auth", "cipher", "max_peers"] where peers[key] != nil {
                var g = groups, p = peers, r = root
                p[key] = nil
                g[i]["peers"] = p
                r["nodes"] = .seq(g)
                out.append(("peers \(key) of \(groups[i]["name"]?.string ?? "?")", r))
            }
            // A smaller cap needs fewer nodes to overflow.
            if let cap = peers["max_peers"]?.string.flatMap(Int.init), cap > 1 {
                for lower in Set([1, cap / 2]).sorted() where lower >= 1 && lower < cap {
                    var g = groups, p = peers, r = root
                    p["max_peers"] = .leaf(Node(String(lower)))
                    g[i]["peers"] = p
                    r["nodes"] = .seq(g)
                    out.append(("max_peers of \(groups[i]["name"]?.string ?? "?") \(cap) → \(lower)", r))
                }
            }
        }
        return out
    }

    private static func groupFieldCandidates(_ root: Tree, field: String, label: String) -> [(String, Tree)] {
        guard case .seq(let groups)? = root["nodes"] else { return [] }
        var out: [(String, Tree)] = []
        for i in groups.indices where groups[i][field] != nil {
            var g = groups, r = root
            g[i][field] = nil
            r["nodes"] = .seq(g)
            out.append(("\(label) of \(groups[i]["name"]?.string ?? "?")", r))
        }
        return out
    }

    private static func durationCandidates(_ root: Tree) -> [(String, Tree)] {
        guard let text = root["duration"]?.string, let s = seconds(text), s > 1 else { return [] }
        var out: [(String, Tree)] = []
        for d in Set([s / 2, s * 3 / 4, s - 1].map { max(1, $0.rounded(.down)) }).sorted() where d < s {
            var r = root
            r["duration"] = .leaf(Node(fmtSeconds(d)))
            out.append(("duration \(text) → \(fmtSeconds(d))", r))
        }
        return out
    }

    private static func seconds(_ text: String) -> Double? {
        for (suffix, scale) in [("ms", 0.001), ("us", 0.000_001), ("s", 1.0), ("m", 60.0), ("h", 3600.0)] where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * scale }
        }
        return Double(text)
    }
}
