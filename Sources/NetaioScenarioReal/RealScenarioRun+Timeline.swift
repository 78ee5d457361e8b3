import NetaioNIO
import NetaioScenario

/// Playing the timeline for real. Network and clock changes cannot be made on loopback;
/// they are logged as not honoured (and counted by the fault verdict).
extension RealScenarioRun {
    func perform(_ step: TimelineStep) async {
        switch step.action {
        case .start(let nodes):
            for n in nodes { await start(n) }
        case .stop(let nodes):
            await onLoop { self.log("stop \(self.names(nodes))") }
            for n in nodes { await stop(n, crash: false) }
        case .crash(let nodes):
            await onLoop { self.log("crash \(self.names(nodes))") }
            for n in nodes { await stop(n, crash: true) }
        case .restart(let nodes):
            await onLoop { self.log("restart \(self.names(nodes))") }
            for n in nodes {
                await stop(n, crash: true)
                await start(n)
            }
        case .partition(let pname, let a, let b, let oneWay):
            await onLoop {
                self.partitions.append((pname, a, b, oneWay))
                self.log("partition \(pname): [\(self.names(a))] \(oneWay ? "->" : "|") [\(self.names(b))] (UDP datagrams only)")
            }
        case .heal(let pname):
            await onLoop {
                self.partitions.removeAll { pname == nil || $0.name == pname }
                self.log("heal \(pname ?? "all partitions")")
            }
        case .setNetwork(let faults):
            await onLoop {
                self.networkDefaults = faults
                self.log("network: loss \(faults.loss), latency \(faults.latency) (UDP datagrams only)")
            }
        case .setLink(let link):
            await onLoop {
                self.links.append(link)
                self.log("link [\(self.names(link.from))] -> [\(self.names(link.to))]: loss \(link.faults.loss), latency \(link.faults.latency) (UDP datagrams only)")
            }
        case .clearLinks:
            await onLoop {
                self.links.removeAll()
                self.log("clear links: every link override removed")
            }
        case .clock(let nodes, _, _):
            await onLoop { self.log("NOT HONOURED: clock change of \(self.names(nodes)) (real nodes share the wall clock)") }
        case .request(let r):
            let index = await onLoop { () -> Int in
                self.requests.append(RequestRecord(step: r))
                self.log("request \(r.name): \(self.scenario.nodes[r.from].name) -> \(self.scenario.nodes[r.to].name) \(r.kind.rawValue) \(quoted(r.uri))")
                return self.requests.count - 1
            }
            // Runs alongside the timeline, like the simulator's in-flight requests.
            let task = Task { await self.runRequest(index) }
            await onLoop { self.pending.append(task) }
        case .publish(let from, let to, let uri, let content):
            await onLoop { self.log("publish \(quoted(uri)) \(self.scenario.nodes[from].name) -> \(self.scenario.nodes[to].name)") }
            await send(from, to, Message(type: .publishURI, uri: Array(uri.utf8), content: Array(content.utf8)))
        case .subscribe(let from, let to, let uri):
            await onLoop { self.log("subscribe \(self.scenario.nodes[from].name) to \(quoted(uri)) at \(self.scenario.nodes[to].name)") }
            await send(from, to, Message(type: .subscribeURI, uri: Array(uri.utf8)))
        case .notify(let node, let uri, let content):
            await onLoop { self.log("notify \(quoted(uri)) from \(self.scenario.nodes[node].name)") }
            if let p = await onLoop({ self.processes[node] }) {
                let message = Message(type: .notifyURI, uri: Array(uri.utf8), content: Array(content.utf8))
                _ = try? await p.node.withEngine { $0.notify(Array(uri.utf8), message) }
            }
        case .note(let s):
            await onLoop { self.log(s) }
        }
    }

    /// One message from `from` to `to` without waiting for a reply.
    private func send(_ from: Int, _ to: Int, _ message: Message) async {
        let (p, target) = await onLoop { (self.processes[from], self.addresses[to]) }
        do {
            switch (p, target) {
            case (.udp(let udp)?, let a?): try await udp.send(message, to: a)
            case (.client(let c)?, let a?): try await c.send(message, server: a)
            default: throw NetaioError.sendFailed(p == nil ? "sender is down" : target == nil ? "receiver is down" : "a TCP server cannot address one client on the real transport")
            }
        } catch {
            await onLoop { self.log("\(self.scenario.nodes[from].name) -> \(self.scenario.nodes[to].name): not sent: \(error)") }
        }
    }

    /// Sends a request, retrying failed attempts its `retry_on` names up to `retries` times, and records its outcome.
    func runRequest(_ index: Int) async {
        let r = await onLoop { self.requests[index].step }
        while true {
            let (p, target, started) = await onLoop { () -> (RealNode?, Address?, Double) in
                self.requests[index].attempts += 1
                if self.requests[index].firstSent == nil { self.requests[index].firstSent = self.now }
                return (self.processes[r.from], self.addresses[r.to], self.now)
            }
            _ = started
            let type: MessageType = switch r.kind {
            case .request: .requestURI
            case .create: .createURI
            case .update: .updateURI
            case .delete: .deleteURI
            }
            // Timeouts are virtual seconds; the engine's clock runs at the time scale.
            let timeout = r.timeout
            do {
                let reply: Message
                switch (p, target) {
                case (.udp(let udp)?, let a?):
                    reply = try await udp.request(r.uri, content: Array(r.content.utf8), type: type, to: a, timeout: timeout)
                case (.client(let c)?, let a?):
                    reply = try await c.request(r.uri, content: Array(r.content.utf8), type: type, server: a, timeout: timeout)
                case (nil, _):
                    throw NetaioError.sendFailed("\(scenario.nodes[r.from].name) is down")
                case (_, nil):
                    throw NetaioError.sendFailed("\(scenario.nodes[r.to].name) is down")
                default:
                    throw NetaioError.sendFailed("a TCP server cannot send requests to one client on the real transport")
                }
                await onLoop { self.completed(index, reply) }
                return
            } catch {
                let retry = await onLoop { () -> Bool in
                    let reply: Message? = if case NetaioError.errorReply(let m) = error { m } else { nil }
                    let condition: RetryCondition? = switch error {
                    case NetaioError.timedOut: .timeout
                    case NetaioError.errorReply(let m): RetryCondition(errorReply: m.type)
                    default: nil
                    }
                    if let condition, r.retries(after: condition, attempts: self.requests[index].attempts) {
                        self.log(RetryCondition.retryNote(r.name, errorReply: reply, attempt: self.requests[index].attempts))
                        return true
                    }
                    self.count("requests_failed")
                    self.requests[index].failedAt = self.now
                    self.requests[index].failure = "\(error)"
                    return false
                }
                if !retry { return }
            }
        }
    }

    private func completed(_ index: Int, _ reply: Message) {
        let r = requests[index].step
        count("requests_completed")
        requests[index].succeededAt = now
        requests[index].content = reply.content
        if r.kind == .request {
            let history = contentHistory[r.to]?[r.uri] ?? []
            if !history.contains(reply.content), wrongContent.count < 5 {
                wrongContent.append("\(stamp(now)) request \(r.name) got \(quoted(name(reply.content))), which \(scenario.nodes[r.to].name) never held for \(quoted(r.uri))")
            }
        }
    }
}
