import NetaioCore
import NetaioSim

/// Playing the timeline: lifecycle, faults, clocks, requests (with retries), publishes.
extension ScenarioRun {
    func names(_ nodes: [Int]) -> String {
        let n = nodes.map { scenario.nodes[$0].name }
        return n.count <= 6 ? n.joined(separator: ", ") : n.prefix(5).joined(separator: ", ") + ", … (\(n.count) nodes)"
    }

    func perform(_ step: TimelineStep) {
        let text: String
        switch step.action {
        case .start(let nodes):
            nodes.forEach { sim.start($0) }
            text = "start \(names(nodes))"
        case .stop(let nodes):
            nodes.forEach { sim.stop($0) }
            text = "stop \(names(nodes))"
        case .crash(let nodes):
            nodes.forEach { sim.crash($0) }
            text = "crash \(names(nodes))"
        case .restart(let nodes):
            for n in nodes {
                sim.crash(n)
                sim.start(n)
            }
            text = "restart \(names(nodes)) as \(nodes.prefix(3).map { name(sim.nodes[$0].peerID) }.joined(separator: ", "))"
        case .partition(let pname, let a, let b, let oneWay):
            let n = scenario.nodes.count
            sim.partition(Partition(name: pname, a: NodeSet(count: n, members: a), b: NodeSet(count: n, members: b), oneWay: oneWay))
            text = "partition \(pname): [\(names(a))] \(oneWay ? "->" : "|") [\(names(b))]"
        case .heal(let pname):
            sim.heal(pname)
            text = "heal \(pname ?? "all partitions")"
        case .setNetwork(let faults):
            sim.defaults = faults
            sim.note("network defaults changed")
            text = "network: loss \(faults.loss), latency \(faults.latency)"
        case .setLink(let link):
            apply(link)
            sim.note("link override added")
            text = "link [\(names(link.from))] -> [\(names(link.to))]: loss \(link.faults.loss), latency \(link.faults.latency)"
        case .clearLinks:
            sim.overrides.removeAll()
            text = "clear links: every link override removed"
        case .clock(let nodes, let skew, let drift):
            nodes.forEach { sim.setClock($0, skew: skew, drift: drift) }
            text = "clock \(names(nodes)): skew \(skew.map { "\($0)s" } ?? "unchanged"), drift \(drift.map { "\($0)" } ?? "unchanged")"
        case .request(let r):
            requests.append(RequestRecord(step: r))
            sendRequest(requests.count - 1)
            text = "request \(r.name): \(scenario.nodes[r.from].name) -> \(scenario.nodes[r.to].name) \(r.kind.rawValue) \(quoted(r.uri))"
        case .publish(let from, let to, let uri, let content):
            send(from, to, Message(type: .publishURI, uri: Array(uri.utf8), content: Array(content.utf8)))
            text = "publish \(quoted(uri)) \(scenario.nodes[from].name) -> \(scenario.nodes[to].name)"
        case .subscribe(let from, let to, let uri):
            send(from, to, Message(type: .subscribeURI, uri: Array(uri.utf8)))
            text = "subscribe \(scenario.nodes[from].name) to \(quoted(uri)) at \(scenario.nodes[to].name)"
        case .notify(let node, let uri, let content) where external(node) != nil:
            sim.withExternal(node) { ($0 as? ExternalNode)?.notify(uri: uri, content: content) }
            text = "notify \(quoted(uri)) from \(scenario.nodes[node].name)"
        case .notify(let node, let uri, let content):
            sim.withEngine(node) { $0.notify(Array(uri.utf8), Message(type: .notifyURI, uri: Array(uri.utf8), content: Array(content.utf8))) }
            text = "notify \(quoted(uri)) from \(scenario.nodes[node].name)"
        case .note(let s):
            text = s
        }
        sim.note(text)
        log(text)
    }

    /// Where `from` reaches `to`: its address (UDP) or the connection between them (TCP).
    func endpoint(_ engine: NodeEngine, from: Int, to: Int) -> Endpoint? {
        let target = scenario.nodes[to].address
        switch engine.role {
        case .udpNode: return .address(target)
        case .tcpClient: return engine.connection(to: target).map { .connection($0) }
        case .tcpServer:
            return engine.openConnections.first { engine.remoteAddress(of: $0)?.host == target.host }.map { .connection($0) }
        }
    }

    private func send(_ from: Int, _ to: Int, _ message: Message) {
        if external(from) != nil {
            let uri = String(decoding: message.uri, as: UTF8.self)
            sim.withExternal(from) { x in
                guard let x = x as? ExternalNode else { return }
                if message.type == .subscribeURI {
                    x.subscribe(uri: uri, to: externalTarget(to))
                } else {
                    x.publish(uri: uri, content: String(decoding: message.content, as: UTF8.self), to: externalTarget(to))
                }
            }
            return
        }
        sim.withEngine(from) { engine in
            guard let e = endpoint(engine, from: from, to: to) else {
                sim.note("no route from \(scenario.nodes[from].name) to \(scenario.nodes[to].name)", node: from)
                return
            }
            engine.send(message, to: e)
        }
    }

    func sendRequest(_ index: Int) {
        let r = requests[index].step
        requests[index].attempts += 1
        if requests[index].firstSent == nil { requests[index].firstSent = sim.now.seconds }
        if external(r.from) != nil {
            sim.withExternal(r.from) { x in
                guard let x = x as? ExternalNode else { return }
                let id = x.request(r.kind, uri: r.uri, content: r.content, to: externalTarget(r.to), timeout: r.timeout ?? scenario.nodes[r.from].requestTimeout)
                requestIndex[EngineRequestKey(node: r.from, incarnation: sim.nodes[r.from].incarnation, id: id)] = index
            }
            return
        }
        let sent: Bool? = sim.withEngine(r.from) { engine in
            guard let e = endpoint(engine, from: r.from, to: r.to) else { return false }
            let type: MessageType = switch r.kind {
            case .request: .requestURI
            case .create: .createURI
            case .update: .updateURI
            case .delete: .deleteURI
            }
            let id = engine.request(Array(r.uri.utf8), content: Array(r.content.utf8), type: type, to: e, timeout: r.timeout)
            requestIndex[EngineRequestKey(node: r.from, incarnation: sim.nodes[r.from].incarnation, id: id)] = index
            return true
        }
        if sent != true {
            requests[index].failedAt = sim.now.seconds
            requests[index].failure = sent == nil ? "\(scenario.nodes[r.from].name) is down" : "no connection to \(scenario.nodes[r.to].name)"
        }
    }

    func requestCompleted(_ node: Int, _ rid: RequestID, _ message: Message) {
        guard let i = requestIndex[EngineRequestKey(node: node, incarnation: sim.nodes[node].incarnation, id: rid)] else { return }
        let r = requests[i].step
        requests[i].succeededAt = sim.now.seconds
        requests[i].content = message.content
        if r.kind == .request {
            let history = contentHistory[r.to]?[r.uri] ?? []
            if !history.contains(message.content), wrongContent.count < 5 {
                wrongContent.append("\(sim.now) request \(r.name) got \(quoted(name(message.content))), which \(scenario.nodes[r.to].name) never held for \(quoted(r.uri))")
            }
        }
    }

    func requestFailed(_ node: Int, _ rid: RequestID, _ error: RequestError) {
        let key = EngineRequestKey(node: node, incarnation: sim.nodes[node].incarnation, id: rid)
        guard let i = requestIndex.removeValue(forKey: key) else { return }
        if let condition = RetryCondition(error), requests[i].step.retries(after: condition, attempts: requests[i].attempts) {
            var reply: Message?
            if case .errorReply(let m) = error { reply = m }
            sim.note(RetryCondition.retryNote(requests[i].step.name, errorReply: reply, attempt: requests[i].attempts), node: node)
            sendRequest(i)
            return
        }
        requests[i].failedAt = sim.now.seconds
        requests[i].failure = "\(error)"
    }
}
