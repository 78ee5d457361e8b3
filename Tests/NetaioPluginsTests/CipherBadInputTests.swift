import NetaioTestSupport
import Testing
import NetaioPlugins

/// Wrong keys, tampering, missing or malformed fields and garbage ciphertext give a
/// typed error (or, for the unauthenticated stream cipher, garbage) — never a trap.
@Suite struct CipherBadInputTests {
    let context = TestMessages.context

    func code(_ body: () throws -> Message) -> String? {
        do { _ = try body(); return nil } catch { return (error as? PluginError)?.code ?? "\(error)" }
    }

    // MARK: stream cipher

    @Test func streamMissingOrNonBytesIV() throws {
        let plugin = Sha256StreamCipherPlugin(key: "k")
        let m = try plugin.encrypt(TestMessages.publish(), context: context)
        #expect(code { try plugin.decrypt(m.with("iv", nil), context: context) } == "missing_field")
        #expect(code { try plugin.decrypt(m.with("iv", .string("iv")), context: context) } == "field_not_bytes")
        #expect(code { try plugin.decrypt(m.with("iv", PackifyValue.none), context: context) } == "field_not_bytes")
    }

    @Test func streamWrongKeyOrIVGivesGarbageNotATrap() throws {
        for encryptURI in [true, false] {
            let plugin = Sha256StreamCipherPlugin(key: "k", encryptURI: encryptURI)
            let m = try plugin.encrypt(TestMessages.publish(), context: context)
            let wrongKey = try Sha256StreamCipherPlugin(key: "K", encryptURI: encryptURI).decrypt(m, context: context)
            #expect(wrongKey.body != TestMessages.publish().body)
            for iv in [[], [1], [UInt8](repeating: 0, count: 40)] as [[UInt8]] {
                #expect(try plugin.decrypt(m.with("iv", .bytes(iv)), context: context).body != TestMessages.publish().body)
            }
        }
    }

    /// Python slices the plaintext: a uri length past the end truncates.
    @Test func streamTooLargeURILengthTruncates() throws {
        let plugin = Sha256StreamCipherPlugin(key: "k", encryptURI: true)
        let iv = [UInt8](repeating: 3, count: 16)
        let plaintext: [UInt8] = [0xff, 0xff, 1, 2, 3]
        let ct = NetaioCrypto.symcrypt(key: plugin.key, iv: iv, data: plaintext)
        let m = Message(type: .ok, uri: Array(ct.prefix(2)), content: Array(ct.dropFirst(2)), authFields: AuthFields([("iv", .bytes(iv))]))
        let out = try plugin.decrypt(m, context: context)
        #expect(out.uri == [1, 2, 3])
        #expect(out.content == [])
        for short in [[], [0x00]] as [[UInt8]] {  // 0 or 1 plaintext bytes
            let c = NetaioCrypto.symcrypt(key: plugin.key, iv: iv, data: short)
            let tiny = Message(type: .ok, uri: [], content: c, authFields: AuthFields([("iv", .bytes(iv))]))
            let r = try plugin.decrypt(tiny, context: context)
            #expect(r.uri == [] && r.content == [])
        }
    }

    @Test func streamLengthLimitApplies() throws {
        let limit = Body.maximumPayload()
        let fits = Message(type: .ok, uri: [1], content: [UInt8](repeating: 0, count: limit - 1))
        #expect(code { try Sha256StreamCipherPlugin(key: "k", encryptURI: false).encrypt(fits, context: context) } == nil)
        // encrypt_uri adds the 2-byte uri length: over the limit.
        #expect(code { try Sha256StreamCipherPlugin(key: "k", encryptURI: true).encrypt(fits, context: context) } == "wire")
        // A body from the wire can exceed Body.prepare's limit; decrypt re-runs it.
        let big = Message(type: .ok, uri: [], content: [UInt8](repeating: 0, count: limit + 1), authFields: AuthFields([("iv", .bytes([0]))]))
        #expect(code { try Sha256StreamCipherPlugin(key: "k", encryptURI: false).decrypt(big, context: context) } == "wire")
    }

    @Test func streamKeepsTypeAndOtherFields() throws {
        let plugin = Sha256StreamCipherPlugin(key: "k", ivField: "iv9")
        let m = TestMessages.publish(fields: AuthFields([("other", .int(1)), ("iv9", .bytes([1]))]))
        let e = try plugin.encrypt(m, context: context)
        #expect(e.type == .publishURI)
        #expect(e.authFields["other"] == .int(1))
        #expect(e.authFields.bytes("iv9")?.count == 16)
        #expect(try plugin.decrypt(e, context: context).body == m.body)
    }

    // MARK: X25519

    let alice = try! X25519CipherPlugin(seed: Array(0..<32))
    let bob = try! X25519CipherPlugin(seed: Array(32..<64))
    let peers = DefaultPeerPlugin()

    func bobPeer() throws -> Peer { try TestMessages.peer(pubkey: .bytes(bob.keys.publicKey)) }
    func alicePeer() throws -> Peer { try TestMessages.peer(pubkey: .bytes(alice.keys.publicKey)) }

    @Test func x25519RoundTrip() throws {
        let e = try alice.encrypt(TestMessages.publish(), context: context, peer: try bobPeer(), peerPlugin: peers)
        #expect(e.content.count == TestMessages.publish().content.count + 40)
        let d = try bob.decrypt(e, context: context, peer: try alicePeer(), peerPlugin: peers)
        #expect(d == TestMessages.publish())
        #expect(alice.isPeerSpecific)
    }

    @Test func x25519MissingPeerOrPlugin() throws {
        let m = TestMessages.publish()
        #expect(code { try alice.encrypt(m, context: context) } == "peer_required")
        #expect(code { try alice.encrypt(m, context: context, peer: try bobPeer(), peerPlugin: nil) } == "peer_required")
        #expect(code { try alice.decrypt(m, context: context, peer: nil, peerPlugin: peers) } == "peer_required")
    }

    @Test func x25519PeerWithoutUsablePubkey() throws {
        let m = TestMessages.publish()
        let cases: [(Peer, String)] = [
            (Peer(id: [1]), "peer_data_missing"),
            (Peer(id: [1], data: [0xff, 0x00]), "invalid_peer_data"),
            (Peer(id: [1], data: try peers.encodeData(.list([.bytes(bob.keys.publicKey)]))), "peer_pubkey_not_found"),
            (Peer(id: [1], data: try peers.encodeData(.dict([PackifyDictEntry("vkey", .bytes(bob.keys.verifyKey))]))), "peer_pubkey_not_found"),
            (try TestMessages.peer(pubkey: .bytes(Array(bob.keys.publicKey.prefix(31)))), "invalid_peer_pubkey"),
            (try TestMessages.peer(pubkey: .string("key")), "invalid_peer_pubkey"),
        ]
        for (peer, expected) in cases {
            #expect(code { try alice.encrypt(m, context: context, peer: peer, peerPlugin: peers) } == expected)
            let box = Message(type: .ok, uri: [], content: [UInt8](repeating: 1, count: 60))
            #expect(code { try alice.decrypt(box, context: context, peer: peer, peerPlugin: peers) } == expected)
        }
        // A low-order point: libsodium refuses it rather than derive an all-zero key.
        let zero = try TestMessages.peer(pubkey: .bytes([UInt8](repeating: 0, count: 32)))
        #expect(code { try alice.encrypt(m, context: context, peer: zero, peerPlugin: peers) } == "box_seal_failed")
    }

    @Test func x25519ShortGarbageTamperedOrWrongSender() throws {
        for length in [0, 1, 23, 24, 39] {
            let m = Message(type: .ok, uri: [], content: [UInt8](repeating: 7, count: length))
            #expect(code { try bob.decrypt(m, context: context, peer: try alicePeer(), peerPlugin: peers) } == "ciphertext_too_short")
        }
        let garbage = Message(type: .ok, uri: [], content: SeededRandomSource(seed: 9).bytes(80))
        #expect(code { try bob.decrypt(garbage, context: context, peer: try alicePeer(), peerPlugin: peers) } == "box_open_failed")
        let e = try alice.encrypt(TestMessages.publish(), context: context, peer: try bobPeer(), peerPlugin: peers)
        for i in [0, 23, 24, 39, 40, e.content.count - 1] {
            var t = e
            t.content[i] ^= 0x10
            #expect(code { try bob.decrypt(t, context: context, peer: try alicePeer(), peerPlugin: peers) } == "box_open_failed", "byte \(i)")
        }
        let eve = try X25519CipherPlugin(seed: [UInt8](repeating: 0xEE, count: 32))
        let evePeer = try TestMessages.peer(pubkey: .bytes(eve.keys.publicKey))
        #expect(code { try bob.decrypt(e, context: context, peer: evePeer, peerPlugin: peers) } == "box_open_failed")
        #expect(code { try eve.decrypt(e, context: context, peer: try alicePeer(), peerPlugin: peers) } == "box_open_failed")
    }

    @Test func x25519InvalidSeed() {
        for n in [0, 31, 33, 64] {
            #expect(throws: PluginError.invalidSeed(length: n)) { try X25519CipherPlugin(seed: [UInt8](repeating: 1, count: n)) }
        }
    }

    @Test func x25519EncryptURIAndTruncation() throws {
        let a = try X25519CipherPlugin(seed: Array(0..<32), encryptURI: true)
        let b = try X25519CipherPlugin(seed: Array(32..<64), encryptURI: true)
        let e = try a.encrypt(TestMessages.publish(), context: context, peer: try bobPeer(), peerPlugin: peers)
        #expect(e.uri != TestMessages.publish().uri)
        #expect(e.uri.count + e.content.count == 2 + 5 + 11 + 40)
        #expect(try b.decrypt(e, context: context, peer: try alicePeer(), peerPlugin: peers) == TestMessages.publish())
        // A box whose plaintext claims a huge uri length decrypts with truncation, like Python.
        let nonce = [UInt8](repeating: 4, count: 24)
        let box = try NaClBox.seal([0xff, 0xff, 9], nonce: nonce, to: b.keys.publicKey, from: a.keys.privateKey)
        let m = Message(type: .ok, uri: [], content: nonce + box)
        let d = try b.decrypt(m, context: context, peer: try alicePeer(), peerPlugin: peers)
        #expect(d.uri == [9] && d.content == [])
    }

    @Test func x25519LengthLimit() throws {
        let limit = Body.maximumPayload()
        let fits = Message(type: .ok, uri: [], content: [UInt8](repeating: 0, count: limit - 40))
        #expect(code { try alice.encrypt(fits, context: context, peer: try bobPeer(), peerPlugin: peers) } == nil)
        var over = fits; over.content.append(0)
        #expect(code { try alice.encrypt(over, context: context, peer: try bobPeer(), peerPlugin: peers) } == "wire")
    }
}
