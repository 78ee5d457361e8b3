import NetaioPlugins

/// The auth matrix: every message type, with empty content, an empty body and a
/// non-empty body,
/// sent with bad auth of one kind; each must be refused the way netaio 0.0.9 refuses it
/// (`auth_error_handler`: AUTH_ERROR, or silence when the type's name contains ERROR) and
/// must not be applied.
extension ConformanceCases {
    /// How a probe's auth fields are spoiled.
    enum BadAuth: CustomStringConvertible {
        /// No fields of the layer's plugin at all.
        case none
        /// Made with another secret.
        case wrongSecret
        /// Made correctly, then one byte of one field flipped.
        case tampered(String)
        /// Only the fields of another plugin (same secret, other field names): a valid MAC
        /// under names the implementation's plugin does not use.
        case foreignOnly

        var description: String {
            switch self {
            case .none: "no auth fields"
            case .wrongSecret: "a wrong secret"
            case .tampered(let f): "field \(f) tampered"
            case .foreignOnly: "only another plugin's fields"
            }
        }
    }

    /// Applies `bad` in place of `plugin`'s make (`secret` is the plugin's real secret).
    static func spoil(_ m: Message, _ bad: BadAuth, plugin: HMACAuthPlugin, secret: String, context: PluginContext) throws -> Message {
        switch bad {
        case .none:
            return m
        case .wrongSecret:
            let other = HMACAuthPlugin(secret: secret + " (not the secret)", hmacField: plugin.hmacField, nonceField: plugin.nonceField, tsField: plugin.tsField)
            return try other.made(m, context: context)
        case .tampered(let field):
            var out = try plugin.made(m, context: context)
            guard var bytes = out.authFields.bytes(field), !bytes.isEmpty else { throw CaseFailure("the suite's plugin wrote no bytes field \(field)") }
            bytes[bytes.count - 1] ^= 0x01
            out.authFields[field] = .bytes(bytes)
            return out
        case .foreignOnly:
            let other = HMACAuthPlugin(secret: secret, hmacField: plugin.hmacField + "_other", nonceField: plugin.nonceField + "_other", tsField: plugin.tsField + "_other")
            return try other.made(m, context: context)
        }
    }

    /// Every standard type, answer and error types included: the outer check runs before
    /// any dispatch, so none may get through.
    static let everyType: [MessageType] = MessageType.standard.map(\.type)
    /// The types the reference resource handlers serve (where inner layers sit).
    static let resourceTypes: [MessageType] = [.requestURI, .createURI, .updateURI, .deleteURI, .subscribeURI, .unsubscribeURI, .publishURI]

    static func isErrorType(_ t: MessageType) -> Bool {
        (MessageTypeSet.standard.name(of: t) ?? "").uppercased().contains("ERROR")
    }

    /// netaio answers AUTH_ERROR to these too; an implementation may instead stay silent
    /// towards error-ish types (no error ping-pong: our `netaio serve`/`node`,
    /// docs/differences.md §6.3). Any other answer is a failure.
    static func mayBeSilent(_ t: MessageType) -> Bool { t == .notFound || t == .notPermitted }

    /// Which layer a matrix case spoils.
    enum AuthLayer { case outer, inner }

    /// Sends every (type, body) probe with `bad` auth at `layer` (the other
    /// layer honest), checks each is refused, then that none was applied.
    static func authMatrix(_ run: CaseRun, layer: AuthLayer, variants: [BadAuth], types: [MessageType]) throws -> CaseOutcome {
        var s = try run.session()
        let keep = run.uri("kept")
        try run.expect(s, run.message(.createURI, keep, "kept"), .ok, uri: keep)

        let outerSecret = run.config.hmacSecret, innerSecret = run.config.innerHMACSecret
        let outerPlugin = outerSecret.map { HMACAuthPlugin(secret: $0) }
        let innerPlugin = innerSecret.map { HMACAuthPlugin(secret: $0, hmacField: "hmac2") }
        let outerCipher = run.config.cipherKey.map { Sha256StreamCipherPlugin(key: $0) }

        func frame(_ m: Message, _ bad: BadAuth) throws -> [UInt8] {
            var out = m
            let inner = try s.defaultLayers(for: m.type)
            if layer == .inner || inner.auth != nil || inner.cipher != nil {
                if let c = inner.cipher { out = try c.encrypt(out, context: s.context, peer: inner.peer, peerPlugin: inner.peerPlugin) }
                if layer == .inner, let p = innerPlugin, let secret = innerSecret {
                    out = try spoil(out, bad, plugin: p, secret: secret, context: s.context)
                } else if let a = inner.auth {
                    out = try a.made(out, context: s.context, peer: inner.peer, peerPlugin: inner.peerPlugin)
                }
            }
            if let c = outerCipher { out = try c.encrypt(out, context: s.context) }
            if layer == .outer, let p = outerPlugin, let secret = outerSecret {
                out = try spoil(out, bad, plugin: p, secret: secret, context: s.context)
            } else if let p = outerPlugin {
                out = try p.made(out, context: s.context)
            }
            return try out.encode()
        }

        // Empty content, an entirely empty body (a "keep-alive" exemption would admit it),
        // and a non-empty one.
        let bodies: [(String, [UInt8], String)] = [("empty content", keep, ""), ("empty uri and content", [], ""), ("non-empty body", keep, "auth-probe")]
        var failures: [String] = []
        var probes = 0
        var previousSilent: String?
        probing: for bad in variants {
            for type in types {
                for (label, uri, content) in bodies {
                    let what = "\(type) \(label), \(bad)"
                    probes += 1
                    try s.sendRaw(try frame(Message(type: type, uri: uri, content: Array(content.utf8)), bad))
                    if isErrorType(type) {
                        // netaio answers nothing; a reply would show up before the next
                        // probe's AUTH_ERROR (or in the final silence check).
                        previousSilent = what
                        continue
                    }
                    if mayBeSilent(type) {
                        if let r = try s.replyIfAny(), r.type != .authError {
                            failures.append("\(what): answered \(r.summary) (expected AUTH_ERROR or silence)")
                            if failures.count >= 6 { break probing }
                        }
                        previousSilent = nil
                        continue
                    }
                    let reply: Reply
                    do {
                        reply = try s.receive()
                    } catch WireFailure.timeout {
                        failures.append("\(what): no reply (expected AUTH_ERROR)")
                        // A late reply would be taken for the next probe's: start afresh.
                        s = try run.session()
                        previousSilent = nil
                        if failures.count >= 6 { break probing }
                        continue
                    }
                    if reply.type != .authError {
                        let after = previousSilent.map { " (or a reply to the preceding \($0), which must get none)" } ?? ""
                        failures.append("\(what): answered \(reply.summary)\(after)")
                        if failures.count >= 6 { break probing }
                    }
                    previousSilent = nil
                }
            }
        }
        if failures.count < 6, let extra = try s.replyIfAny() {
            failures.append("an unexpected reply after the probes: \(extra.summary)" + (previousSilent.map { " (to \($0)?)" } ?? ""))
        }
        // Nothing refused may have been applied: the resource still holds "kept".
        if failures.count < 6 {
            let check = try run.session()
            do {
                try run.expect(check, run.message(.requestURI, keep), .respondURI, uri: keep, content: Array("kept".utf8))
            } catch let e as CaseFailure {
                failures.append("a refused probe was applied: \(e)")
            }
        }
        if !failures.isEmpty {
            return .fail("\(failures.count)\(failures.count >= 6 ? "+" : "") of \(probes) probes not refused: " + failures.joined(separator: "; "))
        }
        let refusal = types.contains(where: isErrorType) ? "AUTH_ERROR (silence for the ERROR types; AUTH_ERROR or silence for NOT_FOUND/NOT_PERMITTED)" : "AUTH_ERROR"
        return .pass("\(probes) probes (\(types.count) types × 3 bodies (empty content, empty uri and content, non-empty) × \(variants.map(\.description).joined(separator: ", "))) answered \(refusal); none applied")
    }

    static let authMatrixRule = hmacRule + "; netaio 0.0.9 server/node receive(): the outer check runs before dispatch for every type and body, auth_error_handler answers AUTH_ERROR except for *ERROR* types (silence also accepted for NOT_FOUND/NOT_PERMITTED, docs/differences.md §6.3)"

    static let authMatrix: [ConformanceCase] = [
        ConformanceCase("H-11", .hmac, "every type × 3 bodies (empty content, empty, non-empty) without auth fields is refused", rule: authMatrixRule, requires: [.hmac]) { run in
            try authMatrix(run, layer: .outer, variants: [.none], types: everyType)
        },
        ConformanceCase("H-12", .hmac, "every type × 3 bodies (empty content, empty, non-empty) with a wrong secret is refused", rule: authMatrixRule, requires: [.hmac]) { run in
            try authMatrix(run, layer: .outer, variants: [.wrongSecret], types: everyType)
        },
        ConformanceCase("H-13", .hmac, "every type × 3 bodies (empty content, empty, non-empty) with one tampered auth field (nonce, ts, hmac) is refused", rule: authMatrixRule, requires: [.hmac]) { run in
            try authMatrix(run, layer: .outer, variants: [.tampered("nonce"), .tampered("ts"), .tampered("hmac")], types: everyType)
        },
        ConformanceCase("H-14", .hmac, "every type × 3 bodies (empty content, empty, non-empty) with only another plugin's auth fields is refused", rule: authMatrixRule, requires: [.hmac]) { run in
            try authMatrix(run, layer: .outer, variants: [.foreignOnly], types: everyType)
        },
        ConformanceCase("H-15", .hmac, "inner HMAC (hmac2) on every resource handler: missing, wrong secret, tampered, another plugin's fields, empty and non-empty bodies, all refused", rule: "docs/PROTOCOL.md §6.1 (inner auth check before the handler); netaio 0.0.9 receive(): inner check failure answers AUTH_ERROR and skips the handler", requires: [.innerHMAC]) { run in
            try authMatrix(run, layer: .inner, variants: [.none, .wrongSecret, .tampered("hmac2"), .foreignOnly], types: resourceTypes)
        },
    ]
}
