import Foundation
import NetaioPlugins

/// Everything a case body needs: sessions to the implementation, unique uris, checks.
public final class CaseRun {
    public let target: ConformanceTarget
    public let config: ConformanceConfig
    let caseID: String
    private var sessions: [Session] = []
    let canary: Canary

    init(target: ConformanceTarget, config: ConformanceConfig, caseID: String, canary: Canary) {
        self.target = target
        self.config = config
        self.caseID = caseID
        self.canary = canary
    }

    var isTCP: Bool { target.kind == .tcp }

    /// A new connection (TCP) or socket (UDP), closed when the case ends.
    func session() throws -> Session {
        let s = Session(wire: try Wire.open(target, timeout: config.replyTimeout), config: config, tag: "\(caseID)-\(sessions.count)")
        sessions.append(s)
        return s
    }

    func finish() { sessions.forEach { $0.close() } }

    /// A uri no other case uses.
    func uri(_ suffix: String = "r") -> [UInt8] { Array("conformance/\(caseID)/\(suffix)".utf8) }

    func message(_ type: MessageType, _ uri: [UInt8], _ content: String = "") -> Message {
        Message(type: type, uri: uri, content: Array(content.utf8))
    }

    /// nil when the reply has the type (and uri/content when given), else what differs.
    func mismatch(_ r: Reply, _ type: MessageType, uri: [UInt8]? = nil, content: [UInt8]? = nil) -> String? {
        var problems: [String] = []
        if r.type != type { problems.append("type \(r.type), expected \(type)") }
        if let uri, r.uri != uri { problems.append("uri \"\(printable(r.uri))\", expected the request's \"\(printable(uri))\"") }
        if let content, r.content != content { problems.append("content \"\(printable(r.content))\", expected \"\(printable(content))\"") }
        // Error replies may be plain (AUTH_ERROR always; UDP checksum errors, Q25).
        if r.outerAuth == false && type != .authError && type != .error { problems.append("the reply's outer HMAC does not verify") }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }

    /// Sends and checks the reply; throws a CaseFailure describing a mismatch.
    @discardableResult
    func expect(_ s: Session, _ m: Message, _ type: MessageType, uri: [UInt8]? = nil, content: [UInt8]? = nil, inner: InnerLayers? = nil) throws -> Reply {
        let reply: Reply
        do {
            reply = try s.exchange(m, inner: inner)
        } catch let e as WireFailure {
            throw CaseFailure("\(m.type) \"\(printable(m.uri))\": \(e)")
        }
        if let problem = mismatch(reply, type, uri: uri, content: content) {
            throw CaseFailure("\(m.type) \"\(printable(m.uri))\" got \(reply.summary): \(problem)")
        }
        return reply
    }

    /// Fails (strictly, whatever the case's level) when the well-behaved canary client is
    /// no longer served.
    func stillServing() -> CaseOutcome? {
        canary.check().map { .stoppedServing("the implementation stopped serving a well-behaved client: \($0)") }
    }
}

/// A well-behaved client kept for the whole run: robustness cases check it is still
/// answered after each hostile act.
final class Canary {
    let target: ConformanceTarget
    let config: ConformanceConfig
    private var session: Session?
    private var round = 0

    init(target: ConformanceTarget, config: ConformanceConfig) {
        self.target = target
        self.config = config
    }

    /// nil when served; else why not. A closed connection is retried once on a fresh one
    /// (an idle timeout may close a quiet client) and the retry must be served.
    func check() -> String? {
        round += 1
        let uri = Array("conformance/canary/\(round)".utf8)
        for attempt in 0..<2 {
            do {
                if session == nil || attempt == 1 {
                    session?.close()
                    session = Session(wire: try Wire.open(target, timeout: config.replyTimeout), config: config, tag: "canary-\(round)")
                }
                let reply = try session!.exchange(Message(type: .createURI, uri: uri, content: Array("alive".utf8)))
                if reply.type == .ok { return nil }
                return "CREATE_URI got \(reply.summary)"
            } catch WireFailure.closed where attempt == 0 {
                continue
            } catch {
                return "\(error)"
            }
        }
        return "unreachable"
    }

    func close() { session?.close() }
}
