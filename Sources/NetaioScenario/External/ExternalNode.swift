import Foundation
import NetaioCore
import NetaioSim

/// What an external node's reference behaviour reports besides peer and request events.
enum ExternalAppEvent {
    /// A NOTIFY_URI or PUBLISH_URI arrived for the uri.
    case received(type: String, uri: String)
    /// The node now holds this content at the uri.
    case stored(uri: String, content: [UInt8])
}

/// One external node process behind the contract of docs/external-nodes.md, driven by the
/// simulator like an engine: inputs become JSON lines, replies become `Action`s.
final class ExternalNode: ExternalNodeDriver {
    let name: String
    private let process: NodeProcess?
    private let clock: SimNodeClock
    private let multicastGroup: Address
    private var pending: [Action] = []
    private(set) var failure: String?
    var onAppEvent: ((ExternalAppEvent) -> Void)?

    private var timer: (id: TimerID, deadline: Double)?
    private var nextTimerID: UInt64 = 1
    /// Connections the process opened and the simulator has not yet answered.
    private var connecting = Set<ConnectionID>()
    /// Ids for accepted connections: far above anything a process picks for its own connects.
    private var nextAcceptedID: UInt64 = 1 << 40
    private var nextRequestID: UInt64 = 1
    private var requests: [RequestID: (uri: [UInt8], to: Address, timeout: Double)] = [:]
    /// Inputs answered so far (for benchmarks and error messages).
    private(set) var exchanges = 0

    /// Starts the process and sends `init` (its `config` already written by the caller).
    /// A node that cannot start (no Python, external nodes not allowed): down, with a reason.
    init(name: String, refused why: String, clock: SimNodeClock) {
        self.name = name
        self.clock = clock
        multicastGroup = Address(host: "224.0.0.1", port: 0)
        process = nil
        failure = "\(name): \(why)"
    }

    init(name: String, command: [String], environment: [String: String], replyTimeout: Double, clock: SimNodeClock,
         multicastGroup: Address, initFields: (inout JSONLine) -> Void) {
        self.name = name
        self.clock = clock
        self.multicastGroup = multicastGroup
        do {
            process = try NodeProcess(command: command, environment: environment, replyTimeout: replyTimeout)
        } catch {
            process = nil
            failure = "\(name): \(error)"
            return
        }
        var line = JSONLine()
        line.add("op", "init")
        line.add("now", clock.now())
        initFields(&line)
        exchange("init", line)
    }

    deinit { process?.kill() }

    var residentKilobytes: Int? { process?.residentKilobytes }

    // MARK: - Inputs

    private func input(_ op: String, _ fill: (inout JSONLine) -> Void = { _ in }) {
        var line = JSONLine()
        line.add("op", op)
        line.add("now", clock.now())
        fill(&line)
        exchange(op, line)
    }

    func received(datagram: [UInt8], from: Address) {
        input("datagram") {
            $0.add("from", JSONLine.address(from))
            $0.add("data", base64: datagram)
        }
    }

    func accepted(from remote: Address) -> ConnectionID {
        let id = ConnectionID(rawValue: nextAcceptedID)
        nextAcceptedID += 1
        input("accepted") {
            $0.add("conn", Int(id.rawValue))
            $0.add("from", JSONLine.address(remote))
        }
        return id
    }

    func connected(_ id: ConnectionID) {
        guard connecting.remove(id) != nil else { return }
        input("connect_result") {
            $0.add("conn", Int(id.rawValue))
            $0.add("ok", true)
        }
    }

    func received(_ bytes: [UInt8], on id: ConnectionID) {
        input("data") {
            $0.add("conn", Int(id.rawValue))
            $0.add("data", base64: bytes)
        }
    }

    func closed(_ id: ConnectionID) {
        if connecting.remove(id) != nil {
            input("connect_result") {
                $0.add("conn", Int(id.rawValue))
                $0.add("ok", false)
            }
        } else {
            input("closed") { $0.add("conn", Int(id.rawValue)) }
        }
    }

    func timerFired(_ id: TimerID) {
        guard let due = timer, due.id == id else { return }
        timer = nil
        // Never a hair before the deadline (rounding through SimTime): the node would find
        // nothing due (docs/external-nodes.md, "Time").
        var line = JSONLine()
        line.add("op", "timer")
        line.add("now", max(clock.now(), due.deadline))
        exchange("timer", line)
    }

    func stop() {
        input("stop")
        process?.finish()
    }

    func kill() { process?.kill() }

    func takeActions() -> [Action] {
        defer { pending.removeAll(keepingCapacity: true) }
        return pending
    }

    // MARK: - Scenario commands

    /// Sends a scenario request; its outcome comes back as a request event with this id.
    func request(_ kind: RequestStep.Kind, uri: String, content: String, to: Address, timeout: Double) -> RequestID {
        let id = RequestID(rawValue: nextRequestID)
        nextRequestID += 1
        requests[id] = (Array(uri.utf8), to, timeout)
        input("request") {
            $0.add("id", Int(id.rawValue))
            $0.add("kind", kind.rawValue)
            $0.add("uri", uri)
            $0.add("content", content)
            $0.add("to", JSONLine.address(to))
            $0.add("timeout", timeout)
        }
        return id
    }

    func subscribe(uri: String, to: Address) {
        input("subscribe") {
            $0.add("uri", uri)
            $0.add("to", JSONLine.address(to))
        }
    }

    func publish(uri: String, content: String, to: Address) {
        input("publish") {
            $0.add("uri", uri)
            $0.add("content", content)
            $0.add("to", JSONLine.address(to))
        }
    }

    func notify(uri: String, content: String) {
        input("notify") {
            $0.add("uri", uri)
            $0.add("content", content)
        }
    }

    struct State {
        var peers: [[UInt8]] = []
        var subscribers: [String: Int] = [:]
    }

    /// The node's peer table and subscriptions now (a read-only query).
    func state() -> State? {
        var line = JSONLine()
        line.add("op", "state")
        line.add("now", clock.now())
        guard let reply = exchange("state", line) else { return nil }
        guard let s = reply["state"] as? [String: Any] else {
            fail("state", "the reply to `state` has no \"state\" object")
            return nil
        }
        var out = State()
        for p in s["peers"] as? [Any] ?? [] {
            guard let text = p as? String, let id = Hex.decode(text) else {
                fail("state", "a peer id in `state` is not hex: \(p)")
                return nil
            }
            out.peers.append(id)
        }
        for item in s["subscribers"] as? [Any] ?? [] {
            guard let o = item as? [String: Any], let uri = o["uri"] as? String, let n = o["count"] as? Int else {
                fail("state", "a `subscribers` entry is not {uri, count}: \(item)")
                return nil
            }
            out.subscribers[uri] = n
        }
        return out
    }

    // MARK: - Replies

    @discardableResult
    private func exchange(_ op: String, _ line: JSONLine) -> [String: Any]? {
        guard failure == nil, let process else { return nil }
        let bytes: [UInt8]
        do {
            bytes = try process.exchange(line.finished)
        } catch {
            fail(op, "\(error)")
            return nil
        }
        exchanges += 1
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)), let reply = object as? [String: Any] else {
            fail(op, "the reply is not one JSON object: \(String(decoding: bytes.prefix(200), as: UTF8.self))")
            return nil
        }
        if let error = reply["error"] {
            fail(op, "the node reported an error: \(error)")
            return nil
        }
        do {
            if op == "state", let out = reply["out"] as? [Any], !out.isEmpty {
                throw ContractError("`state` must not change the node, but its reply has actions")
            }
            try apply(reply)
        } catch {
            fail(op, "\(error)")
            return nil
        }
        return reply
    }

    private func fail(_ op: String, _ why: String) {
        guard failure == nil else { return }
        let tail = process?.stderrTail() ?? ""
        failure = "\(name): after `\(op)`: \(why)" + (tail.isEmpty ? "" : "\n  its stderr ends with:\n    " + tail.split(separator: "\n").joined(separator: "\n    "))
        process?.kill()
    }

    struct ContractError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    private func apply(_ reply: [String: Any]) throws {
        for item in reply["out"] as? [Any] ?? [] {
            guard let o = item as? [String: Any], o.count == 1, let (kind, value) = o.first, let v = value as? [String: Any] else {
                throw ContractError("an action is not a one-key object: \(item)")
            }
            switch kind {
            case "send":
                let to = try address(v["to"], "send.to")
                let data = try base64(v["data"], "send.data")
                pending.append(to == multicastGroup ? .multicast(data, group: to) : .send(data, to: .address(to)))
            case "connect":
                let id = ConnectionID(rawValue: UInt64(try conn(v["conn"], "connect.conn")))
                connecting.insert(id)
                pending.append(.open(id, to: try address(v["to"], "connect.to")))
            case "write":
                let id = ConnectionID(rawValue: UInt64(try conn(v["conn"], "write.conn")))
                pending.append(.send(try base64(v["data"], "write.data"), to: .connection(id)))
            case "close":
                let id = ConnectionID(rawValue: UInt64(try conn(v["conn"], "close.conn")))
                connecting.remove(id)
                pending.append(.close(id))
            default:
                throw ContractError("unknown action \"\(kind)\"")
            }
        }
        for item in reply["events"] as? [Any] ?? [] {
            guard let o = item as? [String: Any], o.count == 1, let (kind, value) = o.first, let v = value as? [String: Any] else {
                throw ContractError("an event is not a one-key object: \(item)")
            }
            try event(kind, v)
        }
        let deadline: Double?
        switch reply["timer"] {
        case nil, is NSNull: deadline = nil
        case let n as NSNumber:
            deadline = n.doubleValue
            guard deadline!.isFinite else { throw ContractError("timer is not a finite number") }
        default: throw ContractError("timer is neither a number nor null: \(reply["timer"]!)")
        }
        if timer?.deadline != deadline {
            if let old = timer { pending.append(.cancelTimer(old.id)) }
            timer = nil
            if let deadline {
                let id = TimerID(rawValue: nextTimerID)
                nextTimerID += 1
                timer = (id, deadline)
                pending.append(.armTimer(id, deadline: deadline))
            }
        }
    }

    private func event(_ kind: String, _ v: [String: Any]) throws {
        switch kind {
        case "peer_added":
            pending.append(.event(.peerAdded(Peer(id: try hex(v["id"], "peer_added.id")))))
        case "peer_removed":
            let reason: PeerRemovalReason = switch v["reason"] as? String {
            case "disconnect": .disconnect
            case "timed_out": .timedOut
            case "connection_closed": .connectionClosed
            case "address_taken": .addressTaken
            case "removed": .removed
            default: .unknown
            }
            pending.append(.event(.peerRemoved(Peer(id: try hex(v["id"], "peer_removed.id")), reason: reason)))
        case "received":
            onAppEvent?(.received(type: v["type"] as? String ?? "NOTIFY_URI", uri: try text(v["uri"], "received.uri")))
        case "stored":
            onAppEvent?(.stored(uri: try text(v["uri"], "stored.uri"), content: Array(try text(v["content"], "stored.content").utf8)))
        case "request_done":
            let id = RequestID(rawValue: UInt64(try conn(v["id"], "request_done.id")))
            guard let r = requests.removeValue(forKey: id) else { throw ContractError("request_done for unknown or finished request \(id.rawValue)") }
            let type = try messageType(v["type"])
            let content = Array((v["content"] as? String ?? "").utf8)
            if v["ok"] as? Bool == true {
                pending.append(.event(.requestCompleted(id, Message(type: type ?? .respondURI, uri: r.uri, content: content))))
            } else {
                let error: RequestError = switch v["error"] as? String {
                case "timeout": .timedOut(uri: r.uri, endpoint: .address(r.to), timeout: r.timeout)
                case "error_reply": .errorReply(Message(type: type ?? .error, uri: r.uri, content: content))
                case "connection_closed": .connectionClosed
                default: .sendFailed(v["error"] as? String ?? "failed")
                }
                pending.append(.event(.requestFailed(id, error)))
            }
        default:
            break  // events a newer adapter reports are not errors
        }
    }

    private func messageType(_ v: Any?) throws -> MessageType? {
        guard let name = v as? String else { return nil }
        guard let t = MessageType.standard.first(where: { $0.name == name })?.type else {
            throw ContractError("unknown message type \"\(name)\"")
        }
        return t
    }

    private func address(_ v: Any?, _ field: String) throws -> Address {
        guard let o = v as? [String: Any], let host = o["host"] as? String, let port = o["port"] as? Int, (0...65535).contains(port) else {
            throw ContractError("\(field) is not {host, port}")
        }
        return Address(host: host, port: UInt16(port))
    }

    private func conn(_ v: Any?, _ field: String) throws -> Int {
        guard let n = v as? Int, n >= 0 else { throw ContractError("\(field) is not a non-negative integer") }
        return n
    }

    private func base64(_ v: Any?, _ field: String) throws -> [UInt8] {
        guard let s = v as? String, let d = Data(base64Encoded: s) else { throw ContractError("\(field) is not base64") }
        return Array(d)
    }

    private func hex(_ v: Any?, _ field: String) throws -> [UInt8] {
        guard let s = v as? String, let b = Hex.decode(s) else { throw ContractError("\(field) is not hex") }
        return b
    }

    private func text(_ v: Any?, _ field: String) throws -> String {
        guard let s = v as? String else { throw ContractError("\(field) is not a string") }
        return s
    }
}
