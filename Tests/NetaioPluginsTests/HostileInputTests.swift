import NetaioTestSupport
import Testing
import NetaioPlugins

/// Thousands of seeded random messages with random auth fields of every packify type go
/// through every plugin's receive side: each call returns false, a message or a typed
/// error — reaching the end of the loop is the test.
@Suite struct HostileInputTests {
    static func randomValue(_ r: SeededRandomSource, depth: Int = 0) -> PackifyValue {
        switch r.integer(in: 0...(depth > 1 ? 7 : 9)) {
        case 0: return .none
        case 1: return .bool(r.integer(in: 0...1) == 1)
        case 2: return .int(r.integer(in: -5...5))
        case 3: return .int(PackifyInteger(isNegative: false, magnitude: r.bytes(r.integer(in: 0...9))))
        case 4: return .float(Double(r.integer(in: -3...3)))
        case 5: return .string(String(decoding: r.bytes(r.integer(in: 0...20)).map { $0 & 0x7f }, as: UTF8.self))
        case 6, 7: return .bytes(r.bytes([0, 1, 4, 15, 16, 17, 24, 31, 32, 33, 40][r.integer(in: 0...10)]))
        case 8: return .list((0..<r.integer(in: 0...3)).map { _ in randomValue(r, depth: depth + 1) })
        default: return .dict([PackifyDictEntry("pubkey", randomValue(r, depth: depth + 1))])
        }
    }

    @Test func receiveSidesNeverTrap() throws {
        let r = SeededRandomSource(seed: 77)
        let context = PluginContext(random: r, clock: FixedUnixClock(1_700_000_000))
        let auths: [any AuthPlugin] = [
            HMACAuthPlugin(secret: "s"),
            HMACAuthPlugin(secret: "s", freshness: HMACFreshness(replayCacheSize: 16)),
        ]
        let ciphers: [any CipherPlugin] = [
            Sha256StreamCipherPlugin(key: "k", encryptURI: true),
            Sha256StreamCipherPlugin(key: "k", encryptURI: false),
            try X25519CipherPlugin(seed: Array(0..<32), encryptURI: true),
            try X25519CipherPlugin(seed: Array(0..<32), encryptURI: false),
        ]
        let peers = DefaultPeerPlugin()
        var outcomes = [String: Int]()
        for _ in 0..<3000 {
            var fields = AuthFields()
            for name in ["nonce", "ts", "hmac", "iv"] where r.integer(in: 0...3) > 0 {
                fields[name] = Self.randomValue(r)
            }
            let message = Message(type: .ok, uri: r.bytes(r.integer(in: 0...8)), content: r.bytes(r.integer(in: 0...80)), authFields: fields)
            let peer = Peer(id: [1], data: r.integer(in: 0...2) == 0 ? r.bytes(8) : try? Packify.encode(Self.randomValue(r)))
            for auth in auths { _ = auth.check(message, context: context, peer: peer, peerPlugin: peers) }
            for cipher in ciphers {
                do throws(PluginError) {
                    _ = try cipher.decrypt(message, context: context, peer: peer, peerPlugin: peers)
                    outcomes["ok", default: 0] += 1
                } catch {
                    outcomes[error.code, default: 0] += 1
                }
            }
            _ = try? peers.unpack(message.content)
        }
        #expect(outcomes["ok", default: 0] > 0)
        #expect(outcomes.count > 4, "\(outcomes)")
    }
}
