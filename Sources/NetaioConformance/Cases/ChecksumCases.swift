import NetaioPlugins

extension ConformanceCases {
    /// A prepared frame with its CRC-32 field broken.
    static func badChecksum(_ s: Session, _ m: Message) throws -> [UInt8] {
        var frame = try s.prepare(m)
        frame[8] ^= 0xFF
        return frame
    }

    static let checksum: [ConformanceCase] = [
        ConformanceCase("K-01", .checksum, "a checksum mismatch answers ERROR", rule: "docs/PROTOCOL.md §1.5, §6.2 (check() fails → make_error(\"invalid message\"))") { run in
            let s = try run.session()
            try s.sendRaw(try badChecksum(s, run.message(.createURI, run.uri(), "crc")))
            guard let r = try s.replyIfAny(within: run.config.replyTimeout) else { return .fail("no reply to a frame with a wrong CRC-32") }
            return r.type == .error ? .pass(r.summary + (r.outerAuth == nil ? "" : r.outerAuth! ? " (through the outer plugins)" : " (plain)")) : .fail("answered \(r.summary)")
        },
        ConformanceCase("K-02", .checksum, "the checksum error reply says \"invalid message\" with uri ERROR", rule: "docs/PROTOCOL.md §6.2 (make_error_msg(\"invalid message\"))", level: .nonStrict) { run in
            let s = try run.session()
            try s.sendRaw(try badChecksum(s, run.message(.createURI, run.uri(), "crc")))
            guard let r = try s.replyIfAny(within: run.config.replyTimeout) else { return .fail("no reply") }
            if let p = run.mismatch(r, .error, uri: Array("ERROR".utf8), content: Array("invalid message".utf8)) { return .fail(p) }
            return .pass(r.summary)
        },
        ConformanceCase("K-03", .checksum, "the frame with the bad checksum is not applied", rule: "docs/PROTOCOL.md §6.2 (no handler runs)") { run in
            let s = try run.session(), u = run.uri()
            try s.sendRaw(try badChecksum(s, run.message(.createURI, u, "must not be stored")))
            _ = try s.replyIfAny(within: run.config.replyTimeout)
            try run.expect(s, run.message(.requestURI, u), .notFound, uri: u)
            return .pass("REQUEST_URI afterwards is NOT_FOUND")
        },
        ConformanceCase("K-04", .checksum, "the stream stays in sync after a checksum failure", rule: "docs/PROTOCOL.md §1.7(b) (lengths come from the header; vector tcp/stream_checksum_failure_then_good_frame)", transports: [.tcp]) { run in
            let s = try run.session(), u = run.uri()
            try s.sendRaw(try badChecksum(s, run.message(.createURI, u, "bad")) + s.prepare(run.message(.createURI, u, "good")))
            var replies: [Reply] = []
            while replies.count < 2, let r = try s.replyIfAny(within: run.config.replyTimeout) { replies.append(r) }
            guard replies.contains(where: { $0.type == .ok && $0.uri == u }) else {
                return .fail("the good frame after the bad one was not answered OK (got \(replies.map(\.summary)))")
            }
            try run.expect(s, run.message(.requestURI, u), .respondURI, uri: u, content: Array("good".utf8))
            return .pass("the next frame was read and applied")
        },
    ]
}
