import NetaioPlugins

/// The auth plugin contract (docs/PROTOCOL.md §5.1, §5.3, §6.3): every property a node relies on.
public enum AuthContract {
    public static func validate(_ subject: AuthSubject, options: ValidationOptions = ValidationOptions()) -> ValidationReport {
        let run = Run(subject: subject, options: options)
        return ValidationReport(subject: subject.name, results: [
            run.makeCheck(), run.tamperBody(), run.tamperURI(), run.tamperFields(), run.wrongKey(),
            run.foreignFields(), run.garbage(), run.errorMessage(), run.peerSpecific(), run.deterministic(),
        ])
    }

    struct Run {
        let subject: AuthSubject
        let options: ValidationOptions
        var plugin: any AuthPlugin { subject.plugin }

        func make(_ message: Message, _ context: PluginContext, peer: Peer?? = .none) -> Result<Message, PluginError> {
            Result { () throws(PluginError) in
                try plugin.made(message, context: context, peer: peer ?? subject.peer, peerPlugin: subject.peerPlugin)
            }
        }

        func check(_ message: Message, _ context: PluginContext, by other: (any AuthPlugin)? = nil) -> CheckOutcome {
            checkOutcome(other ?? plugin, message, context, subject.peer, subject.peerPlugin)
        }

        /// make, then the frame bytes and back; or why that failed.
        func made(_ c: MessageCase, _ context: PluginContext) -> Result<Message, Problem> {
            switch make(c.message, context) {
            case .failure(let e): return .failure(Problem("make threw: \(e)"))
            case .success(let m):
                switch throughWire(m) {
                case .success(let decoded): return .success(decoded)
                case .failure(let e): return .failure(Problem("make's output is not a valid frame: \(e)"))
                }
            }
        }

        /// For tamper properties: a check that passes is the failure.
        func mustReject(_ outcome: CheckOutcome, _ what: String) -> String? {
            switch outcome {
            case .valid: return "check accepted the message after \(what)"
            case .crashed(let why): return "check crashed after \(what): \(why)"
            case .invalid, .raised: return nil
            }
        }

        func makeCheck() -> PropertyResult {
            Randomized.check(name: "auth.make-check", title: "check accepts what make produced (through the wire)", options: options, maxPayload: subject.maxPayload) { c, cc in
                let ctx = cc.fresh
                switch made(c, ctx) {
                case .failure(let why): return why.text
                case .success(let m):
                    switch check(m, ctx) {
                    case .valid: return nil
                    case .invalid: return "check rejected the message make just produced"
                    case .raised(let e), .crashed(let e): return "check failed on the message make just produced: \(e)"
                    }
                }
            }
        }

        func tamperBody() -> PropertyResult {
            Randomized.check(name: "auth.tamper-body", title: "a changed content byte is rejected", options: options, maxPayload: subject.maxPayload) { c, cc in
                let ctx = cc.fresh
                guard case .success(var m) = made(c, ctx) else { return nil }  // make-check reports it
                m.content = flipped(m.content)
                return mustReject(check(m, ctx), "one content byte changed")
            }
        }

        func tamperURI() -> PropertyResult {
            Randomized.check(name: "auth.tamper-uri", title: "a changed uri byte is rejected", options: options, maxPayload: subject.maxPayload) { c, cc in
                let ctx = cc.fresh
                guard case .success(var m) = made(c, ctx) else { return nil }
                m.uri = flipped(m.uri)
                return mustReject(check(m, ctx), "one uri byte changed")
            }
        }

        func tamperFields() -> PropertyResult {
            Randomized.check(
                name: "auth.tamper-fields", title: "changing or removing any field make wrote is rejected", options: options,
                iterations: max(1, options.iterations / 2), maxPayload: subject.maxPayload
            ) { c, cc in
                let ctx = cc.fresh
                let before = c.message.authFields
                guard case .success(let m) = made(c, ctx) else { return nil }
                let written = m.authFields.names.filter { before[$0] != m.authFields[$0] }
                for name in written {
                    var changed = m
                    changed.authFields[name] = flippedValue(m.authFields[name]!)
                    if let f = mustReject(check(changed, ctx), "field \"\(name)\" changed") { return f }
                    var removed = m
                    removed.authFields[name] = nil
                    if let f = mustReject(check(removed, ctx), "field \"\(name)\" removed") { return f }
                }
                return nil
            }
        }

        func wrongKey() -> PropertyResult {
            let name = "auth.wrong-key", title = "a plugin with another key rejects the message"
            guard let other = subject.wrongKey else {
                return PropertyResult(name: name, title: title, verdict: .skip, message: "no wrong-key plugin given")
            }
            return Randomized.check(name: name, title: title, options: options, maxPayload: subject.maxPayload) { c, cc in
                let ctx = cc.fresh
                guard case .success(let m) = made(c, ctx) else { return nil }
                return mustReject(check(m, ctx, by: other), "checking with the wrong key")
            }
        }

        func foreignFields() -> PropertyResult {
            Randomized.check(
                name: "auth.foreign-fields", title: "make leaves other plugins' fields alone and tolerates fields added later",
                options: options, maxPayload: subject.maxPayload
            ) { c, cc in
                let ctx = cc.fresh
                var c = c
                if c.foreignFields.isEmpty { c.foreignFields[MessageCase.foreignNames[0]] = [1, 2, 3] }
                guard case .success(var m) = made(c, ctx) else { return nil }
                for (name, value) in c.foreignFields where m.authFields[name] != .bytes(value) {
                    return "make changed field \"\(name)\" it does not own (\(m.authFields[name].map { "\($0)" } ?? "removed"))"
                }
                m.authFields["x-added-later"] = .bytes([0xAB, 0xCD])
                switch check(m, ctx) {
                case .valid: return nil
                default: return "check rejected the message once another plugin added its own field"
                }
            }
        }

        func garbage() -> PropertyResult {
            let name = "auth.garbage", title = "malformed fields and bodies: never a trap, never accepted"
            let names = probeNames()
            var raised: [String] = []
            var g = SplitMix64(seed: options.seed ^ 0x6761_7262)
            let count = options.iterations * 2
            for i in 0..<count {
                let m = Garbage.message(&g, names: names)
                let ctx = PluginContext(random: SeededRandomSource(seed: UInt64(i)), clock: FixedUnixClock(options.clock))
                switch check(m, ctx) {
                case .valid:
                    return PropertyResult(name: name, title: title, verdict: .fail, message: "check accepted malformed fields: \(pythonish(m.authFields.packifyValue))", replay: "seed \(Randomized.hexSeed(options.seed)), garbage case \(i)")
                case .crashed(let why):
                    return PropertyResult(name: name, title: title, verdict: .fail, message: "check crashed on \(pythonish(m.authFields.packifyValue)): \(why)", replay: "seed \(Randomized.hexSeed(options.seed)), garbage case \(i)")
                case .raised(let e):
                    if raised.count < 3 { raised.append("\(e) for \(pythonish(m.authFields.packifyValue))") } else { raised.append("") }
                case .invalid: break
                }
                if case .failure(let e) = make(m, ctx), e.isCrash {
                    return PropertyResult(name: name, title: title, verdict: .fail, message: "make crashed on \(pythonish(m.authFields.packifyValue)): \(e)", replay: "seed \(Randomized.hexSeed(options.seed)), garbage case \(i)")
                }
            }
            if !raised.isEmpty {
                return PropertyResult(
                    name: name, title: title, verdict: .warn,
                    message: "check raised instead of returning false on \(raised.count) of \(count) malformed inputs, e.g. "
                        + raised.filter { !$0.isEmpty }.joined(separator: "; ")
                        + " — a netaio 0.0.9 node then closes the TCP connection (docs/PROTOCOL.md Q22); Python netaio's own HMAC plugin does this")
            }
            return PropertyResult(name: name, title: title, verdict: .pass, message: "\(count) malformed inputs: check said false, make returned or threw a typed error")
        }

        /// The field names make writes into empty fields.
        func probeNames() -> [String] {
            let ctx = PluginContext(random: SeededRandomSource(seed: options.seed), clock: FixedUnixClock(options.clock))
            guard case .success(let m) = make(Message(type: .publishURI, uri: [1], content: [2]), ctx) else { return ["nonce", "ts", "hmac"] }
            return m.authFields.names
        }

        func errorMessage() -> PropertyResult {
            let name = "auth.error-message", title = "error() is an error-type message (no AUTH_ERROR ping-pong, §6.3)"
            let m = plugin.error()
            guard m.type == .error || m.type == .authError else {
                return PropertyResult(
                    name: name, title: title, verdict: .fail,
                    message: "error() has type \(m.type); only types whose name contains ERROR (ERROR, AUTH_ERROR) are never answered, so two nodes would bounce this reply forever")
            }
            if case .failure(let e) = throughWire(m) {
                return PropertyResult(name: name, title: title, verdict: .fail, message: "error() does not encode as a frame: \(e)")
            }
            return PropertyResult(name: name, title: title, verdict: .pass, message: "\(m.type), uri \"\(String(decoding: m.uri, as: UTF8.self))\", content \"\(String(decoding: m.content.prefix(60), as: UTF8.self))\"")
        }

        func peerSpecific() -> PropertyResult {
            let name = "auth.peer-specific", title = "is_peer_specific matches what make/check need"
            let ctx = { PluginContext(random: SeededRandomSource(seed: options.seed), clock: FixedUnixClock(options.clock)) }
            let m = Message(type: .publishURI, uri: Array("kit/peer".utf8), content: Array("peer check".utf8))
            let withPeer = make(m, ctx(), peer: .some(subject.peer ?? samplePeer()))
            let withoutPeer = make(m, ctx(), peer: .some(nil))
            if case .success(let a) = withoutPeer, case .success(let b) = make(m, ctx(), peer: .some(nil)), a != b {
                return PropertyResult(name: name, title: title, verdict: .skip, message: "make is not deterministic under injected randomness (see auth.deterministic), so outputs cannot be compared")
            }
            if plugin.isPeerSpecific {
                switch (withPeer, withoutPeer) {
                case (_, .failure): return PropertyResult(name: name, title: title, verdict: .pass, message: "declared peer-specific; make needs a peer")
                case (.success(let a), .success(let b)) where a != b:
                    return PropertyResult(name: name, title: title, verdict: .pass, message: "declared peer-specific; output depends on the peer")
                default:
                    return PropertyResult(name: name, title: title, verdict: .info, message: "declared peer-specific but make behaves the same without a peer (nodes do needless per-peer work)")
                }
            }
            switch (withPeer, withoutPeer) {
            case (.success(let a), .success(let b)) where a == b:
                guard case .success(let wire) = throughWire(b), checkOutcome(plugin, wire, ctx(), nil, nil) == .valid else {
                    return PropertyResult(name: name, title: title, verdict: .fail, message: "declared not peer-specific, but check without a peer rejects a good message")
                }
                return PropertyResult(name: name, title: title, verdict: .pass, message: "not peer-specific; same output with and without a peer")
            case (_, .failure(let e)):
                return PropertyResult(name: name, title: title, verdict: .fail, message: "declared not peer-specific, but make without a peer threw: \(e) (nodes call it with no peer for unknown senders and multicast)")
            default:
                return PropertyResult(name: name, title: title, verdict: .fail, message: "declared not peer-specific, but make's output depends on the peer (nodes prepare one copy for all recipients)")
            }
        }

        func deterministic() -> PropertyResult {
            Randomized.check(
                name: "auth.deterministic", title: "same injected randomness and clock, same bytes", options: options,
                iterations: max(1, options.iterations / 4), maxPayload: subject.maxPayload
            ) { c, cc in
                let ctx = cc.fresh
                let again = cc.fresh
                let a = make(c.message, ctx), b = make(c.message, again)
                switch (a, b) {
                case (.success(let x), .success(let y)):
                    return (try? x.encode()) == (try? y.encode()) ? nil
                        : "two runs with the same seed gave different fields: the plugin draws randomness or time outside PluginContext"
                case (.failure(let e), _), (_, .failure(let e)): return "make threw: \(e)"
                }
            }
        }
    }
}

func flipped(_ bytes: [UInt8]) -> [UInt8] {
    guard !bytes.isEmpty else { return [0x2A] }
    var out = bytes
    out[out.count / 2] ^= 0x01
    return out
}

func flippedValue(_ value: PackifyValue) -> PackifyValue {
    switch value {
    case .bytes(let b): .bytes(flipped(b))
    case .bytearray(let b): .bytearray(flipped(b))
    default: .bytes([0x01])
    }
}
