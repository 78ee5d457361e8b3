import NetaioPlugins

/// Interoperability of two implementations of the same plugin (a Python plugin and our
/// Swift one, configured alike): bytes made by either must be accepted by the other, and
/// the same injected randomness must give the same bytes.
public enum CrossCheck {
    public static func auth(python: AuthSubject, swift: AuthSubject, options: ValidationOptions = ValidationOptions()) -> ValidationReport {
        let n = max(1, options.iterations / 2)
        func made(_ s: AuthSubject, _ m: Message, _ ctx: PluginContext) -> Result<Message, Problem> {
            do {
                let out = try s.plugin.made(m, context: ctx, peer: s.peer, peerPlugin: s.peerPlugin)
                return throughWire(out).mapError { Problem("\(s.name) output is not a frame: \($0)") }
            } catch { return .failure(Problem("\(s.name) make threw: \(error)")) }
        }
        func accepted(_ from: AuthSubject, _ to: AuthSubject) -> PropertyResult {
            Randomized.check(name: "cross.\(tag(from))-to-\(tag(to))", title: "\(to.name) accepts what \(from.name) made", options: options, iterations: n, maxPayload: min(python.maxPayload, swift.maxPayload)) { c, cc in
                let ctx = cc.fresh
                switch made(from, c.message, ctx) {
                case .failure(let p): return p.text
                case .success(let m):
                    switch checkOutcome(to.plugin, m, ctx, to.peer, to.peerPlugin) {
                    case .valid: return nil
                    case let other: return "\(to.name) check said \(other) for \(from.name)'s message"
                    }
                }
            }
        }
        let same = Randomized.check(name: "cross.same-bytes", title: "same randomness and clock, byte-identical frames", options: options, iterations: n, maxPayload: min(python.maxPayload, swift.maxPayload)) { c, cc in
            switch (made(python, c.message, cc.fresh), made(swift, c.message, cc.fresh)) {
            case (.success(let a), .success(let b)):
                let (x, y) = ((try? a.encode()) ?? [], (try? b.encode()) ?? [])
                return x == y ? nil : "frames differ: \(python.name) \(Hex.encode(x.prefix(48)))… vs \(swift.name) \(Hex.encode(y.prefix(48)))…"
            case (.failure(let p), _), (_, .failure(let p)): return p.text
            }
        }
        return ValidationReport(subject: "\(python.name) × \(swift.name)", results: [accepted(python, swift), accepted(swift, python), same])
    }

    public static func cipher(python: CipherSubject, swift: CipherSubject, options: ValidationOptions = ValidationOptions()) -> ValidationReport {
        let n = max(1, options.iterations / 2)
        let maxPayload = Body.maximumPayload() - CipherContract.growthAllowance
        func encrypted(_ s: CipherSubject, _ m: Message, _ ctx: PluginContext) -> Result<Message, Problem> {
            do {
                let out = try s.sender.encrypt(m, context: ctx, peer: s.receiverPeer, peerPlugin: s.peerPlugin)
                return throughWire(out).mapError { Problem("\(s.name) output is not a frame: \($0)") }
            } catch { return .failure(Problem("\(s.name) encrypt threw: \(error)")) }
        }
        func readable(_ from: CipherSubject, _ to: CipherSubject) -> PropertyResult {
            Randomized.check(name: "cross.\(tag(from))-to-\(tag(to))", title: "\(to.name) decrypts what \(from.name) encrypted", options: options, iterations: n, maxPayload: maxPayload) { c, cc in
                let ctx = cc.fresh
                switch encrypted(from, c.message, ctx) {
                case .failure(let p): return p.text
                case .success(let e):
                    do {
                        let d = try to.receiver.decrypt(e, context: ctx, peer: to.senderPeer, peerPlugin: to.peerPlugin)
                        return d.type == c.type && d.uri == c.uri && d.content == c.content ? nil : "\(to.name) decrypted something else"
                    } catch { return "\(to.name) decrypt threw: \(error)" }
                }
            }
        }
        let same = Randomized.check(name: "cross.same-bytes", title: "same randomness, byte-identical frames", options: options, iterations: n, maxPayload: maxPayload) { c, cc in
            switch (encrypted(python, c.message, cc.fresh), encrypted(swift, c.message, cc.fresh)) {
            case (.success(let a), .success(let b)):
                let (x, y) = ((try? a.encode()) ?? [], (try? b.encode()) ?? [])
                return x == y ? nil : "frames differ: \(python.name) \(Hex.encode(x.prefix(48)))… vs \(swift.name) \(Hex.encode(y.prefix(48)))…"
            case (.failure(let p), _), (_, .failure(let p)): return p.text
            }
        }
        return ValidationReport(subject: "\(python.name) × \(swift.name)", results: [readable(python, swift), readable(swift, python), same])
    }

    public static func peer(python: PeerSubject, swift: PeerSubject, options: ValidationOptions = ValidationOptions()) -> ValidationReport {
        var g = SplitMix64(seed: options.seed)
        var failure: String?
        for i in 0..<max(1, options.iterations / 2) where failure == nil {
            let data = PackifyValue.dict([PackifyDictEntry("pubkey", .bytes(g.bytes(32))), PackifyDictEntry("n", .int(i))])
            do {
                let (a, b) = (try python.plugin.encodeData(data, peerID: nil), try swift.plugin.encodeData(data, peerID: nil))
                if a != b { failure = "encode_data differs for \(data)"; break }
                let peer = Peer(id: g.chance(8) ? nil : g.bytes(16), data: a)
                let (pa, pb) = (try python.plugin.pack(peer), try swift.plugin.pack(peer))
                if pa != pb { failure = "pack differs: \(Hex.encode(pa)) vs \(Hex.encode(pb))"; break }
                let (ua, ub) = (try python.plugin.unpack(pb), try swift.plugin.unpack(pa))
                if ua.id != peer.id || ua.data != peer.data || ub.id != peer.id || ub.data != peer.data { failure = "unpack of the other's pack differs" }
            } catch { failure = "threw: \(error)" }
        }
        let result = PropertyResult(
            name: "cross.same-bytes", title: "encode_data and pack give identical bytes; each unpacks the other's",
            verdict: failure == nil ? .pass : .fail, message: failure ?? "held for \(max(1, options.iterations / 2)) random peers",
            replay: failure == nil ? nil : "seed \(Randomized.hexSeed(options.seed))")
        return ValidationReport(subject: "\(python.name) × \(swift.name)", results: [result])
    }

    private static func tag(_ s: AuthSubject) -> String { s.plugin is PythonAuthPlugin ? "python" : "swift" }
    private static func tag(_ s: CipherSubject) -> String { s.sender is PythonCipherPlugin ? "python" : "swift" }
}
