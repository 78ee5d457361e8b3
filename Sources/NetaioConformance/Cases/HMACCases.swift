import NetaioPlugins

extension ConformanceCases {
    static let hmacRule = "docs/PROTOCOL.md §5.3 (HMACAuthPlugin), §6.2-§6.3"

    /// A frame with outer encryption as configured but the outer HMAC made by `auth`
    /// (or none), so the suite can send wrong or missing MACs.
    static func frame(_ run: CaseRun, _ s: Session, _ m: Message, auth: HMACAuthPlugin?, tamper: Bool = false) throws -> [UInt8] {
        var out = m
        if let c = run.config.cipherKey.map({ Sha256StreamCipherPlugin(key: $0) }) { out = try c.encrypt(out, context: s.context) }
        if let auth { out = try auth.made(out, context: s.context) }
        if tamper { out.content += [0x21] }
        return try out.encode()
    }

    static func expectAuthError(_ run: CaseRun, _ s: Session, _ bytes: [UInt8], _ what: String) throws -> CaseOutcome {
        try s.sendRaw(bytes)
        guard let r = try s.replyIfAny(within: run.config.replyTimeout) else { return .fail("no reply to \(what)") }
        return r.type == .authError ? .pass("AUTH_ERROR for \(what)") : .fail("\(what) answered \(r.summary)")
    }

    static let hmac: [ConformanceCase] = [
        ConformanceCase("H-01", .hmac, "a request with a valid HMAC is answered, and the reply's HMAC verifies", rule: hmacRule, requires: [.hmac]) { run in
            let s = try run.session(), u = run.uri()
            let r = try run.expect(s, run.message(.createURI, u, "signed"), .ok, uri: u)
            return r.outerAuth == true ? .pass("OK with a valid HMAC (nonce, ts, hmac)") : .fail("the reply's HMAC does not verify")
        },
        ConformanceCase("H-02", .hmac, "a request without auth fields answers AUTH_ERROR", rule: hmacRule, requires: [.hmac]) { run in
            let s = try run.session()
            return try expectAuthError(run, s, try frame(run, s, run.message(.createURI, run.uri(), "unsigned"), auth: nil), "a message without HMAC")
        },
        ConformanceCase("H-03", .hmac, "the AUTH_ERROR reply is netaio's plain \"HMAC auth failed\" (uri ERROR)", rule: hmacRule + " (error() = make_error_msg)", level: .nonStrict, requires: [.hmac]) { run in
            let s = try run.session()
            try s.sendRaw(try frame(run, s, run.message(.createURI, run.uri(), "unsigned"), auth: nil))
            guard let r = try s.replyIfAny(within: run.config.replyTimeout) else { return .fail("no reply") }
            if let p = run.mismatch(r, .authError, uri: Array("ERROR".utf8), content: Array("HMAC auth failed".utf8)) { return .fail(p) }
            return r.wire.authFields.isEmpty ? .pass("plain AUTH_ERROR") : .fail("the AUTH_ERROR reply carries auth fields \(r.wire.authFields.names)")
        },
        ConformanceCase("H-04", .hmac, "a wrong secret answers AUTH_ERROR", rule: hmacRule, requires: [.hmac]) { run in
            let s = try run.session()
            return try expectAuthError(run, s, try frame(run, s, run.message(.createURI, run.uri(), "x"), auth: HMACAuthPlugin(secret: "not the secret")), "a wrong secret")
        },
        ConformanceCase("H-05", .hmac, "a body changed after signing answers AUTH_ERROR and is not applied", rule: hmacRule, requires: [.hmac]) { run in
            let s = try run.session(), u = run.uri()
            let outcome = try expectAuthError(run, s, try frame(run, s, run.message(.createURI, u, "x"), auth: s.outerAuth, tamper: true), "a tampered body")
            guard case .pass = outcome else { return outcome }
            try run.expect(s, run.message(.requestURI, u), .notFound, uri: u)
            return .pass("AUTH_ERROR; the resource was not created")
        },
        ConformanceCase("H-06", .hmac, "bad auth on error-type messages gets no reply", rule: hmacRule + " (auth_error_handler: no reply when the type name contains ERROR)", requires: [.hmac]) { run in
            let s = try run.session()
            for type in [MessageType.error, .authError] {
                try s.sendRaw(try frame(run, s, run.message(type, run.uri(), "x"), auth: nil))
                if let r = try s.replyIfAny() { return .fail("\(type) with a bad HMAC was answered with \(r.summary)") }
            }
            return .pass("silence for ERROR and AUTH_ERROR")
        },
        ConformanceCase("H-07", .hmac, "the channel keeps serving after auth failures", rule: hmacRule, requires: [.hmac]) { run in
            let s = try run.session(), u = run.uri()
            for _ in 0..<3 { try s.sendRaw(try frame(run, s, run.message(.createURI, u, "x"), auth: HMACAuthPlugin(secret: "wrong"))) }
            for _ in 0..<3 { _ = try s.replyIfAny() }
            try run.expect(s, run.message(.createURI, u, "ok"), .ok, uri: u)
            return .pass("a valid request after three failures is answered")
        },
        ConformanceCase("H-08", .hmac, "a replayed frame (same nonce and ts) is accepted again", rule: hmacRule + "; Q8 (no freshness or replay protection in netaio 0.0.9)", level: .informational, requires: [.hmac]) { run in
            let s = try run.session(), u = run.uri()
            let bytes = try s.prepare(run.message(.createURI, u, "once"))
            try s.sendRaw(bytes)
            _ = try s.receive()
            try s.sendRaw(bytes)
            guard let r = try s.replyIfAny(within: run.config.replyTimeout) else { return .observed("the replay got no reply") }
            return .observed("the replay was answered \(r.type)" + (r.type == .ok ? " (accepted: no replay protection)" : " (rejected)"))
        },
        ConformanceCase("H-10", .hmac, "the message type is not covered by the HMAC", rule: hmacRule + "; Q2 (the MAC covers ts ‖ body only, not the header)", level: .informational, requires: [.hmac, .noInnerLayers]) { run in
            let s = try run.session(), u = run.uri()
            try run.expect(s, run.message(.createURI, u, "keep me"), .ok, uri: u)
            var frame = try s.prepare(run.message(.requestURI, u))
            frame[0] = MessageType.deleteURI.rawValue  // REQUEST_URI → DELETE_URI after signing
            try s.sendRaw(frame)
            guard let r = try s.replyIfAny(within: run.config.replyTimeout) else { return .observed("no reply to the retyped frame") }
            return .observed("a REQUEST_URI retyped to DELETE_URI after signing was answered \(r.type)" + (r.type == .ok ? " (accepted: the header is not authenticated)" : ""))
        },
        ConformanceCase("H-09", .hmac, "inner HMAC layer (field hmac2) on the resource handlers", rule: "docs/PROTOCOL.md §6.1 (inner auth make/check around the handler)", requires: [.innerHMAC]) { run in
            let s = try run.session(), u = run.uri()
            let r = try run.expect(s, run.message(.createURI, u, "inner"), .ok, uri: u)
            guard r.innerAuth == true else { return .fail("the reply's inner HMAC (hmac2) is missing or does not verify") }
            let missing = try s.exchange(run.message(.createURI, u, "no inner"), inner: InnerLayers.none)
            return missing.type == .authError ? .pass("inner HMAC verified both ways; a request without it gets AUTH_ERROR") : .fail("a request without the inner HMAC got \(missing.summary)")
        },
    ]
}
