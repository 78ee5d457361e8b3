import Foundation
import NetaioPlugins

extension ConformanceCases {
    static let framing: [ConformanceCase] = [
        ConformanceCase("F-01", .framing, "replies are well-formed frames", rule: "docs/PROTOCOL.md §1.1-§1.6 (lengths, CRC-32 of the body block, packify auth dict)") { run in
            let s = try run.session()
            let reply = try run.expect(s, run.message(.createURI, run.uri(), "x"), .ok)
            do {
                _ = try Message.decode(reply.frame)
            } catch {
                return .fail("the OK reply does not decode strictly: \(error)")
            }
            return .pass("\(reply.frame.count)-byte reply decodes strictly (checksum, lengths, auth dict)")
        },
        ConformanceCase("F-02", .framing, "two frames in one write are both answered, in order", rule: "docs/PROTOCOL.md §1.7(b): the header's lengths delimit frames in a stream", transports: [.tcp]) { run in
            let s = try run.session()
            let u = run.uri()
            try s.sendRaw(try s.prepare(run.message(.createURI, u, "two")) + s.prepare(run.message(.requestURI, u)))
            let first = try s.receive(), second = try s.receive()
            if let p = run.mismatch(first, .ok, uri: u) { return .fail("first reply: \(p)") }
            if let p = run.mismatch(second, .respondURI, uri: u, content: Array("two".utf8)) { return .fail("second reply: \(p)") }
            return .pass("OK then RESPOND_URI")
        },
        ConformanceCase("F-03", .framing, "a frame written one byte at a time is answered", rule: "docs/PROTOCOL.md §1.7(b): readexactly on the stream", transports: [.tcp]) { run in
            let s = try run.session()
            let u = run.uri()
            for b in try s.prepare(run.message(.createURI, u, "dribble")) { try s.sendRaw([b]) }
            if let p = run.mismatch(try s.receive(), .ok, uri: u) { return .fail(p) }
            return .pass("OK after a byte-by-byte frame")
        },
        ConformanceCase("F-04", .framing, "every built-in message type is accepted and the channel stays usable", rule: "docs/PROTOCOL.md §2.1 (the built-in types 0-13, 20, 23-25, 30)") { run in
            let s = try run.session()
            for (name, type) in MessageType.standard {
                try s.send(run.message(type, run.uri("type-\(type.rawValue)"), "t"))
                _ = try? s.replyIfAny(within: 0.05)
                if run.isTCP, s.wire.closedByPeer(within: 0.01) { return .fail("the connection was closed after \(name)") }
            }
            while try s.replyIfAny() != nil {}  // drain the answers
            let u = run.uri("after")
            try run.expect(s, run.message(.createURI, u, "still"), .ok, uri: u)
            return .pass("\(MessageType.standard.count) types sent; a CREATE_URI afterwards is answered")
        },
        ConformanceCase("F-05", .framing, "empty uri and empty content", rule: "docs/PROTOCOL.md §1.4 (uri_length 0, content is the rest)") { run in
            let s = try run.session()
            try run.expect(s, Message(type: .createURI, uri: [], content: []), .ok, uri: [])
            try run.expect(s, Message(type: .requestURI, uri: [], content: []), .respondURI, uri: [], content: [])
            return .pass("CREATE/REQUEST on the empty uri")
        },
        ConformanceCase("F-06", .framing, "a frame at Body.prepare's size limit round-trips", rule: "docs/PROTOCOL.md §1.6 (content + uri up to 65422 bytes; UDP: 65507-byte datagrams)") { run in
            let s = try run.session()
            let u = run.uri()
            let content = [UInt8](repeating: 0x61, count: try ConformanceCases.maxContent(run, s, uri: u))
            try run.expect(s, Message(type: .createURI, uri: u, content: content), .ok, uri: u)
            let r = try run.expect(s, Message(type: .requestURI, uri: u), .respondURI, uri: u)
            if r.content != content { return .fail("RESPOND_URI carried \(r.content.count) bytes, stored \(content.count)") }
            return .pass("\(content.count)-byte content stored and returned (\(r.frame.count)-byte reply frame)")
        },
        ConformanceCase("F-07", .framing, "an extra auth field of another plugin is tolerated", rule: "docs/PROTOCOL.md §5.2 (plugins share the auth fields)") { run in
            let s = try run.session()
            let u = run.uri()
            var m = run.message(.createURI, u, "extra")
            m.authFields["x-conformance"] = .bytes([1, 2, 3])
            try run.expect(s, m, .ok, uri: u)
            return .pass("OK")
        },
    ]

    /// The largest content for `uri` that the suite's own layers and the transport allow.
    static func maxContent(_ run: CaseRun, _ s: Session, uri: [UInt8]) throws -> Int {
        // encrypt_uri adds the uri length field; a NaCl box adds its nonce and tag, to the
        // request and to the implementation's reply alike.
        let growth = (run.config.cipherKey != nil ? 2 : 0) + (run.config.x25519 && run.config.managePeers ? 40 : 0)
        var limit = Body.maximumPayload() - uri.count - growth
        if !run.isTCP {
            let overhead = try s.prepare(Message(type: .respondURI, uri: uri, content: [])).count
            limit = min(limit, 65507 - overhead - 8)
        }
        return limit
    }
}

/// The catalogue of cases, in run order.
public enum ConformanceCases {
    public static var all: [ConformanceCase] {
        framing + crud + pubsub + errors + checksum + hmac + tapescript + authMatrix + cipher + x25519 + peers + robustness
    }
}
