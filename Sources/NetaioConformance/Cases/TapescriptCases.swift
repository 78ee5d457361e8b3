import NetaioPlugins
import NetaioTapescript

extension ConformanceCases {
    static let tapescriptRule = "netaio.asymmetric.TapescriptAuthPlugin (docs/tapescript.md), docs/PROTOCOL.md §6.2-§6.3"

    /// A frame with outer encryption as configured and the outer tapescript auth made by
    /// `auth` (or none), so the suite can send wrong, missing or hostile witnesses.
    static func tapescriptFrame(
        _ run: CaseRun, _ s: Session, _ m: Message, auth: TapescriptAuthPlugin?, witness: [UInt8]? = nil, tamper: Bool = false
    ) throws -> [UInt8] {
        var out = m
        if let c = run.config.cipherKey.map({ Sha256StreamCipherPlugin(key: $0) }) { out = try c.encrypt(out, context: s.context) }
        if let auth { out = try auth.made(out, context: s.context) }
        if let witness { out.authFields["witness"] = .bytes(witness) }
        if tamper { out.content += [0x21] }
        return try out.encode()
    }

    static func otherKey() throws -> TapescriptAuthPlugin {
        try TapescriptAuthPlugin.singleSig(seed: [UInt8](repeating: 0xEE, count: 32))
    }

    static let tapescript: [ConformanceCase] = [
        ConformanceCase("T-01", .tapescript, "a request with a valid witness is answered, and the reply's witness checks against the implementation's lock", rule: tapescriptRule, requires: [.tapescript]) { run in
            let s = try run.session(), u = run.uri()
            let r = try run.expect(s, run.message(.createURI, u, "witnessed"), .ok, uri: u)
            return r.outerAuth == true ? .pass("OK with a valid witness (nonce, ts, witness)") : .fail("the reply's witness does not check")
        },
        ConformanceCase("T-02", .tapescript, "a request without auth fields answers AUTH_ERROR", rule: tapescriptRule, requires: [.tapescript]) { run in
            let s = try run.session()
            return try expectAuthError(run, s, try tapescriptFrame(run, s, run.message(.createURI, run.uri(), "unsigned"), auth: nil), "a message without a witness")
        },
        ConformanceCase("T-03", .tapescript, "the AUTH_ERROR reply is netaio's plain \"tapescript auth failed\" (uri ERROR)", rule: tapescriptRule + " (error() = make_error_msg)", level: .nonStrict, requires: [.tapescript]) { run in
            let s = try run.session()
            try s.sendRaw(try tapescriptFrame(run, s, run.message(.createURI, run.uri(), "unsigned"), auth: nil))
            guard let r = try s.replyIfAny(within: run.config.replyTimeout) else { return .fail("no reply") }
            if let p = run.mismatch(r, .authError, uri: Array("ERROR".utf8), content: Array("tapescript auth failed".utf8)) { return .fail(p) }
            return r.wire.authFields.isEmpty ? .pass("plain AUTH_ERROR") : .fail("the AUTH_ERROR reply carries auth fields \(r.wire.authFields.names)")
        },
        ConformanceCase("T-04", .tapescript, "a witness signed by another key answers AUTH_ERROR", rule: tapescriptRule, requires: [.tapescript]) { run in
            let s = try run.session()
            return try expectAuthError(run, s, try tapescriptFrame(run, s, run.message(.createURI, run.uri(), "x"), auth: otherKey()), "another key's witness")
        },
        ConformanceCase("T-05", .tapescript, "a body changed after signing answers AUTH_ERROR and is not applied", rule: tapescriptRule, requires: [.tapescript]) { run in
            let s = try run.session(), u = run.uri()
            let outcome = try expectAuthError(run, s, try tapescriptFrame(run, s, run.message(.createURI, u, "x"), auth: s.outerTapescript, tamper: true), "a tampered body")
            guard case .pass = outcome else { return outcome }
            try run.expect(s, run.message(.requestURI, u), .notFound, uri: u)
            return .pass("AUTH_ERROR; the resource was not created")
        },
        ConformanceCase("T-06", .tapescript, "witnesses that are not signatures (true; true return; garbage byte code) answer AUTH_ERROR and the channel keeps serving", rule: tapescriptRule + "; tapescript run_auth_scripts", requires: [.tapescript]) { run in
            let s = try run.session(), u = run.uri()
            let witnesses: [[UInt8]] = [[0x01], [0x01, 0x30], [0x03, 0xff], [0x2b, 0x00]]
            for w in witnesses {
                let outcome = try expectAuthError(run, s, try tapescriptFrame(run, s, run.message(.createURI, u, "x"), auth: s.outerTapescript, witness: w), "witness \(Hex.encode(w))")
                guard case .pass = outcome else { return outcome }
            }
            try run.expect(s, run.message(.createURI, u, "ok"), .ok, uri: u)
            return .pass("AUTH_ERROR for each; a valid request afterwards is answered")
        },
        ConformanceCase("T-07", .tapescript, "bad witnesses on error-type messages get no reply", rule: tapescriptRule + " (auth_error_handler: no reply when the type name contains ERROR)", requires: [.tapescript]) { run in
            let s = try run.session()
            for type in [MessageType.error, .authError] {
                try s.sendRaw(try tapescriptFrame(run, s, run.message(type, run.uri(), "x"), auth: nil))
                if let r = try s.replyIfAny() { return .fail("\(type) without a witness was answered with \(r.summary)") }
            }
            return .pass("silence for ERROR and AUTH_ERROR")
        },
    ]
}
