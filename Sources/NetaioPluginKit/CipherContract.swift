import NetaioPlugins

/// The cipher plugin contract (docs/PROTOCOL.md §5.1, §5.4, §5.5, §6.1).
public enum CipherContract {
    /// Bytes kept free under `Body.prepare`'s limit in random cases, so a cipher's growth
    /// (X25519: 42 bytes) fits; `cipher.size-limit` probes the limit itself.
    static let growthAllowance = 64

    public static func validate(_ subject: CipherSubject, options: ValidationOptions = ValidationOptions()) -> ValidationReport {
        let run = Run(subject: subject, options: options)
        return ValidationReport(subject: subject.name, results: [
            run.roundTrip(), run.foreignFields(), run.hidesContent(), run.freshIV(), run.keystreamReuse(), run.uriRoutable(), run.innerLayer(),
            run.wrongKey(), run.tamper(), run.garbage(), run.sizeLimit(), run.peerSpecific(), run.deterministic(),
        ])
    }

    struct Run {
        let subject: CipherSubject
        let options: ValidationOptions
        var maxPayload: Int { Body.maximumPayload() - CipherContract.growthAllowance }

        func encrypt(_ m: Message, _ ctx: PluginContext, peer: Peer?? = .none) -> Result<Message, PluginError> {
            Result { () throws(PluginError) in
                try subject.sender.encrypt(m, context: ctx, peer: peer ?? subject.receiverPeer, peerPlugin: subject.peerPlugin)
            }
        }

        func decrypt(_ m: Message, _ ctx: PluginContext, by receiver: (any CipherPlugin)? = nil, peer: Peer?? = .none) -> Result<Message, PluginError> {
            Result { () throws(PluginError) in
                try (receiver ?? subject.receiver).decrypt(m, context: ctx, peer: peer ?? subject.senderPeer, peerPlugin: subject.peerPlugin)
            }
        }

        /// encrypt, then the frame bytes and back.
        func encrypted(_ m: Message, _ ctx: PluginContext) -> Result<Message, Problem> {
            switch encrypt(m, ctx) {
            case .failure(let e): return .failure(Problem("encrypt threw: \(e)"))
            case .success(let out):
                switch throughWire(out) {
                case .success(let decoded): return .success(decoded)
                case .failure(let e): return .failure(Problem("encrypt's output is not a valid frame: \(e)"))
                }
            }
        }

        func sameBody(_ got: Message, _ want: Message) -> String? {
            if got.type != want.type { return "type \(want.type) came back as \(got.type)" }
            if got.uri != want.uri { return "uri \(Hex.encode(want.uri.prefix(16))) came back as \(Hex.encode(got.uri.prefix(16)))" + (got.uri.count != want.uri.count ? " (\(want.uri.count) → \(got.uri.count) bytes)" : "") }
            if got.content != want.content { return "content came back different (\(want.content.count) → \(got.content.count) bytes)" }
            return nil
        }

        func roundTrip() -> PropertyResult {
            Randomized.check(name: "cipher.roundtrip", title: "decrypt(encrypt(m)) == m: type, uri, content", options: options, maxPayload: maxPayload) { c, cc in
                let ctx = cc.fresh
                switch encrypted(c.message, ctx) {
                case .failure(let why): return why.text
                case .success(let e):
                    if e.type != c.type { return "encrypt changed the type \(c.type) to \(e.type)" }
                    switch decrypt(e, ctx) {
                    case .failure(let err): return "decrypt of encrypt's output threw: \(err)"
                    case .success(let d): return sameBody(d, c.message).map { "decrypt(encrypt(m)) != m: \($0)" }
                    }
                }
            }
        }

        func foreignFields() -> PropertyResult {
            Randomized.check(
                name: "cipher.foreign-fields", title: "encrypt and decrypt keep other plugins' auth fields", options: options, maxPayload: maxPayload
            ) { c, cc in
                let ctx = cc.fresh
                var c = c
                if c.foreignFields.isEmpty { c.foreignFields[MessageCase.foreignNames[0]] = [7, 7, 7] }
                guard case .success(let e) = encrypted(c.message, ctx) else { return nil }
                for (name, value) in c.foreignFields where e.authFields[name] != .bytes(value) {
                    return "encrypt changed or dropped field \"\(name)\" it does not own"
                }
                guard case .success(let d) = decrypt(e, ctx) else { return nil }
                for (name, value) in c.foreignFields where d.authFields[name] != .bytes(value) {
                    return "decrypt changed or dropped field \"\(name)\" it does not own"
                }
                return nil
            }
        }

        func hidesContent() -> PropertyResult {
            Randomized.check(name: "cipher.hides-content", title: "the plaintext content does not appear on the wire", options: options, maxPayload: maxPayload) { c, cc in
                guard c.content.count >= 16, case .success(let e) = encrypted(c.message, cc.fresh) else { return nil }
                let wire = e.uri + e.content
                return contains(wire, c.content) ? "the encrypted body contains the plaintext content" : nil
            }
        }

        /// The fields `encrypt` wrote or changed (its IV/nonce, for netaio's ciphers).
        func writtenFields(_ e: Message, _ input: Message) -> [(String, PackifyValue)] {
            e.authFields.fields.filter { input.authFields[$0.name] != $0.value }.map { ($0.name, $0.value) }
        }

        func freshIV() -> PropertyResult {
            let name = "cipher.fresh-iv", title = "two encryptions of the same message differ (a fresh IV/nonce each time)"
            var result = Randomized.check(name: name, title: title, options: options, iterations: max(1, options.iterations / 2), maxPayload: maxPayload) { c, cc in
                // One context for both calls: its random stream moves on between them, as a
                // node's does between two sends.
                let ctx = cc.fresh
                guard case .success(let a) = encrypted(c.message, ctx), case .success(let b) = encrypted(c.message, ctx) else { return nil }
                let fa = writtenFields(a, c.message), fb = writtenFields(b, c.message)
                let sameFields = !fa.isEmpty && fa.map(\.0) == fb.map(\.0) && zip(fa, fb).allSatisfy { $0.1 == $1.1 }
                // uri ‖ content: netaio's encrypt_uri splits the ciphertext at a random point.
                let sameBody = a.uri + a.content == b.uri + b.content
                if sameFields && sameBody {
                    return "both encryptions wrote the same \(fa.map(\.0).joined(separator: ", ")) and the same ciphertext: the IV/nonce is reused"
                }
                if fa.isEmpty && sameBody && !c.content.isEmpty {
                    return "both encryptions gave the same ciphertext (no IV/nonce field, none in the body)"
                }
                return nil
            }
            if result.verdict == .fail && subject.declaresDeterministic {
                result.verdict = .info
                result.message = "declared deterministic: equal plaintexts give equal ciphertexts (\(result.message))"
                result.replay = nil
            } else if result.verdict == .pass && subject.declaresDeterministic {
                result.message += " (declared deterministic, but encryptions differ)"
            }
            return result
        }

        func keystreamReuse() -> PropertyResult {
            Randomized.check(
                name: "cipher.keystream-reuse", title: "the ciphertexts of two messages do not XOR to the plaintexts' XOR",
                options: options, iterations: max(1, options.iterations / 2), maxPayload: maxPayload
            ) { c, cc in
                guard c.content.count >= 16 else { return nil }
                let ctx = cc.fresh
                // A second plaintext of the same length differing in every byte.
                let delta = (0..<c.content.count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) | 1 }
                var m2 = c.message
                m2.content = zip(c.content, delta).map { $0 ^ $1 }
                guard case .success(let e1) = encrypted(c.message, ctx), case .success(let e2) = encrypted(m2, ctx) else { return nil }
                let w1 = e1.uri + e1.content, w2 = e2.uri + e2.content
                guard w1.count == w2.count else { return nil }
                let x = zip(w1, w2).map { $0 ^ $1 }
                return contains(x, delta)
                    ? "ciphertext₁ ⊕ ciphertext₂ = plaintext₁ ⊕ plaintext₂: both were encrypted with the same keystream (IV/nonce reuse); knowing one plaintext reveals the other"
                    : nil
            }
        }

        func uriRoutable() -> PropertyResult {
            let name = "cipher.uri-routable", title = "the uri stays in clear (usable as an inner layer with uri-keyed handlers)"
            let m = Message(type: .requestURI, uri: Array("kit/route".utf8), content: Array("payload".utf8))
            switch encrypted(m, CaseContext(seed: options.seed, clock: options.clock).fresh) {
            case .failure(let why): return PropertyResult(name: name, title: title, verdict: .fail, message: why.text)
            case .success(let e) where e.uri == m.uri:
                return PropertyResult(name: name, title: title, verdict: .pass, message: "uri left in clear")
            case .success:
                return PropertyResult(
                    name: name, title: title, verdict: .info,
                    message: "this configuration encrypts the uri: as an inner layer only type-keyed handlers can match (use encrypt_uri false for inner layers, §5.4)")
            }
        }

        func innerLayer() -> PropertyResult {
            // Its own iv field: two stream ciphers sharing "iv" would overwrite each other.
            let outerCipher = Sha256StreamCipherPlugin(key: "kit-outer-layer", ivField: "kit-outer-iv", encryptURI: true)
            let outerAuth = HMACAuthPlugin(secret: "kit-outer-layer")
            return Randomized.check(
                name: "cipher.inner-layer", title: "as an inner layer under an outer stream cipher + HMAC: routable and recoverable",
                options: options, iterations: max(1, options.iterations / 2), maxPayload: maxPayload - 8
            ) { c, cc in
                let ctx = cc.fresh
                guard case .success(let inner) = encrypted(c.message, ctx) else { return nil }
                let wire: Message
                do {
                    wire = try outerAuth.made(try outerCipher.encrypt(inner, context: ctx), context: ctx)
                } catch { return "outer layer could not wrap the inner layer's output: \(error)" }
                guard case .success(let received) = throughWire(wire), outerAuth.check(received, context: ctx) else {
                    return "the outer HMAC rejected the wrapped message"
                }
                guard let unwrapped = try? outerCipher.decrypt(received, context: ctx) else { return "outer decrypt failed" }
                if unwrapped.uri != inner.uri { return "after removing the outer layer the uri is not what the inner layer sent" }
                if let d = sameBody(unwrapped, inner) { return "the outer layer changed the inner layer's message: \(d)" }
                switch decrypt(unwrapped, ctx) {
                case .failure(let e): return "inner decrypt after outer removal threw: \(e)"
                case .success(let d): return sameBody(d, c.message).map { "inner decrypt gave a different message: \($0)" }
                }
            }
        }

        func wrongKey() -> PropertyResult {
            let name = "cipher.wrong-key", title = "a receiver with another key does not recover the plaintext"
            guard let other = subject.wrongKeyReceiver else {
                return PropertyResult(name: name, title: title, verdict: .skip, message: "no wrong-key plugin given")
            }
            return Randomized.check(name: name, title: title, options: options, maxPayload: maxPayload) { c, cc in
                let ctx = cc.fresh
                guard c.content.count >= 4, case .success(let e) = encrypted(c.message, ctx) else { return nil }
                switch decrypt(e, ctx, by: other) {
                case .failure(let err): return err.isCrash ? "decrypt with the wrong key crashed: \(err)" : nil
                case .success(let d): return d.content == c.content ? "the wrong key decrypted the content" : nil
                }
            }
        }

        func tamper() -> PropertyResult {
            let name = "cipher.tamper", title = "whether a changed ciphertext byte is detected (authenticated encryption)"
            let m = Message(type: .publishURI, uri: Array("kit/tamper".utf8), content: Array("attack at dawn, bring snacks".utf8))
            let ctx = CaseContext(seed: options.seed, clock: options.clock).fresh
            guard case .success(var e) = encrypted(m, ctx) else {
                return PropertyResult(name: name, title: title, verdict: .skip, message: "encrypt failed (see cipher.roundtrip)")
            }
            e.content = flipped(e.content)
            switch decrypt(e, ctx) {
            case .failure(let err) where err.isCrash:
                return PropertyResult(name: name, title: title, verdict: .fail, message: "decrypt crashed on a tampered message: \(err)")
            case .failure(let err):
                return PropertyResult(name: name, title: title, verdict: .info, message: "detected: decrypt threw \(err)")
            case .success:
                return PropertyResult(name: name, title: title, verdict: .info, message: "not detected: pair this cipher with an auth plugin at the same or an outer layer")
            }
        }

        func garbage() -> PropertyResult {
            let name = "cipher.garbage", title = "malformed messages: a typed error or a message, never a trap"
            var g = SplitMix64(seed: options.seed ^ 0x6369_7068)
            let count = options.iterations * 2
            for i in 0..<count {
                let m = Garbage.message(&g, names: ["iv", "nonce"])
                let ctx = CaseContext(seed: UInt64(i), clock: options.clock).fresh
                for (op, r) in [("decrypt", decrypt(m, ctx)), ("encrypt", encrypt(m, ctx))] {
                    if case .failure(let e) = r, e.isCrash {
                        return PropertyResult(name: name, title: title, verdict: .fail, message: "\(op) crashed on \(pythonish(m.authFields.packifyValue)), \(m.body.encodedLength)-byte body: \(e)", replay: "seed \(Randomized.hexSeed(options.seed)), garbage case \(i)")
                    }
                }
            }
            return PropertyResult(name: name, title: title, verdict: .pass, message: "\(count) malformed messages: no trap")
        }

        func sizeLimit() -> PropertyResult {
            let name = "cipher.size-limit", title = "a body at Body.prepare's limit: encrypted or a typed error, never a trap"
            let limit = Body.maximumPayload()
            let m = Message(type: .publishURI, uri: Array("kit/big".utf8), content: [UInt8](repeating: 0x5A, count: limit - 7))
            switch encrypt(m, CaseContext(seed: options.seed, clock: options.clock).fresh) {
            case .failure(let e) where e.isCrash: return PropertyResult(name: name, title: title, verdict: .fail, message: "encrypt crashed: \(e)")
            case .failure(let e): return PropertyResult(name: name, title: title, verdict: .info, message: "refused with a typed error: \(e)")
            case .success(let e):
                if case .failure(let err) = throughWire(e) { return PropertyResult(name: name, title: title, verdict: .fail, message: "produced a message that does not encode: \(err)") }
                return PropertyResult(name: name, title: title, verdict: .info, message: "encrypted: body \(m.body.encodedLength) → \(e.body.encodedLength) bytes")
            }
        }

        func peerSpecific() -> PropertyResult {
            let name = "cipher.peer-specific", title = "is_peer_specific matches what encrypt/decrypt need"
            let m = Message(type: .publishURI, uri: Array("kit/peer".utf8), content: Array("peer check".utf8))
            let cc = CaseContext(seed: options.seed, clock: options.clock)
            let withoutPeer = encrypt(m, cc.fresh, peer: .some(nil))
            if subject.sender.isPeerSpecific {
                if case .failure = withoutPeer { return PropertyResult(name: name, title: title, verdict: .pass, message: "declared peer-specific; encrypt needs a peer") }
                return PropertyResult(name: name, title: title, verdict: .info, message: "declared peer-specific but encrypts without a peer (nodes do needless per-peer work)")
            }
            if case .success(let a) = withoutPeer, case .success(let b) = encrypt(m, cc.fresh, peer: .some(nil)), a != b {
                return PropertyResult(name: name, title: title, verdict: .skip, message: "encrypt is not deterministic under injected randomness (see cipher.deterministic), so outputs cannot be compared")
            }
            let withPeer = encrypt(m, cc.fresh, peer: .some(subject.receiverPeer ?? samplePeer()))
            switch (withPeer, withoutPeer) {
            case (.success(let a), .success(let b)) where a == b:
                guard case .success(let d) = decrypt(b, cc.fresh, peer: .some(nil)), sameBody(d, m) == nil else {
                    return PropertyResult(name: name, title: title, verdict: .fail, message: "declared not peer-specific, but decrypt without a peer fails")
                }
                return PropertyResult(name: name, title: title, verdict: .pass, message: "not peer-specific; same output with and without a peer")
            case (_, .failure(let e)):
                return PropertyResult(name: name, title: title, verdict: .fail, message: "declared not peer-specific, but encrypt without a peer threw: \(e)")
            default:
                return PropertyResult(name: name, title: title, verdict: .fail, message: "declared not peer-specific, but the output depends on the peer")
            }
        }

        func deterministic() -> PropertyResult {
            Randomized.check(
                name: "cipher.deterministic", title: "same injected randomness, same bytes", options: options,
                iterations: max(1, options.iterations / 4), maxPayload: maxPayload
            ) { c, cc in
                switch (encrypt(c.message, cc.fresh), encrypt(c.message, cc.fresh)) {
                case (.success(let x), .success(let y)):
                    return (try? x.encode()) == (try? y.encode()) ? nil
                        : "two runs with the same seed gave different bytes: the plugin draws randomness outside PluginContext"
                case (.failure(let e), _), (_, .failure(let e)): return "encrypt threw: \(e)"
                }
            }
        }
    }
}

func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
    for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
        if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
    }
    return false
}
