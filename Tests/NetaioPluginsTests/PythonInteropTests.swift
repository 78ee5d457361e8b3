import NetaioTestSupport
import Testing
import NetaioPlugins

/// Live interop with the real Python netaio 0.0.9 through scripts/python/oracle.py:
/// for every plugin, Python makes/encrypts and Swift checks/decrypts, Swift makes/encrypts
/// and Python checks/decrypts, and with the same randomness both produce identical bytes.
/// Fails when the venv is missing (run scripts/setup); NETAIO_SKIP_PYTHON=1 skips.
@Suite(.enabled(if: PythonOracle.enabled, PythonOracle.skipReason))
struct PythonInteropTests {
    static let count = 200
    let peers = DefaultPeerPlugin()

    func context(seed: UInt64, time: Double = 1_700_000_000.25) -> PluginContext {
        PluginContext(random: SeededRandomSource(seed: seed), clock: FixedUnixClock(time))
    }

    // MARK: HMAC

    @Test func hmacBothWays() throws {
        let oracle = try PythonOracle.start()
        let random = SeededRandomSource(seed: 100)
        for (i, message) in RandomMessages.make(count: Self.count, seed: 1).enumerated() {
            let custom = i % 2 == 1
            let config: [String: Any] = custom
                ? ["secret": "secret \(i)", "hmac_field": "mac\(i)", "nonce_field": "n", "ts_field": "t"]
                : ["secret": "secret \(i)"]
            let plugin = custom
                ? HMACAuthPlugin(secret: "secret \(i)", hmacField: "mac\(i)", nonceField: "n", tsField: "t")
                : HMACAuthPlugin(secret: "secret \(i)")
            let plain = try message.encode().hex

            // Python makes with its own nonce and clock; Swift checks.
            let fromPython = try Message.decode(try oracle.hex("hmac_make", config.merging(["hex": plain]) { $1 }))
            #expect(plugin.check(fromPython, context: context(seed: 0)), "message \(i)")
            #expect(!HMACAuthPlugin(secret: "other").check(fromPython, context: context(seed: 0)))

            // Swift makes; Python checks, and with the same nonce and time makes the same bytes.
            let nonce = random.bytes(16)
            let time = Double(random.integer(in: 1...2_000_000_000)) + 0.5
            let made = try plugin.made(message, context: PluginContext(random: FixedRandomSource(bytes: nonce), clock: FixedUnixClock(time)))
            #expect(try oracle.call("hmac_check", config.merging(["hex": try made.encode().hex]) { $1 }) as? Bool == true, "message \(i)")
            let python = try oracle.hex("hmac_make", config.merging(["hex": plain, "nonce_hex": nonce.hex, "time": time]) { $1 })
            #expect(try made.encode() == python, "message \(i)")

            var tampered = made
            tampered.content.append(0)
            #expect(try oracle.call("hmac_check", config.merging(["hex": try tampered.encode().hex]) { $1 }) as? Bool == false)
        }
    }

    /// Where Python raises (TypeError, OverflowError) on malformed HMAC fields, Swift
    /// returns false; where Python's check is lenient by accident, Swift is stricter.
    @Test func hmacMalformedFieldsRaiseInPythonAndAreFalseInSwift() throws {
        let oracle = try PythonOracle.start()
        let plugin = HMACAuthPlugin(secret: "s")
        let made = try plugin.made(TestMessages.publish(), context: context(seed: 7))
        let raising: [(String, PackifyValue)] = [
            ("nonce", .string("abc")), ("hmac", .string(String(repeating: "x", count: 32))),
            ("ts", .string("abc")), ("ts", .int(PackifyInteger(UInt64(1) << 32))), ("nonce", .int(1)),
        ]
        for (field, value) in raising {
            let m = made.with(field, value)
            #expect(!plugin.check(m, context: context(seed: 0)))
            #expect(throws: PythonOracle.PythonError.self, "\(field) = \(value)") {
                try oracle.call("hmac_check", ["secret": "s", "hex": try m.encode().hex])
            }
        }
        // Python XORs list items with MAC bytes, so a list of 32 ints passes there.
        let listMAC = made.with("hmac", .list(made.authFields.bytes("hmac")!.map { .int(Int($0)) }))
        #expect(try oracle.call("hmac_check", ["secret": "s", "hex": try listMAC.encode().hex]) as? Bool == true)
        #expect(!plugin.check(listMAC, context: context(seed: 0)))
        // Both agree: None counts as missing, and so does a float 0.0 ts.
        for (field, value) in [("nonce", PackifyValue.none), ("ts", .float(0))] {
            let m = made.with(field, value)
            #expect(try oracle.call("hmac_check", ["secret": "s", "hex": try m.encode().hex]) as? Bool == false)
            #expect(!plugin.check(m, context: context(seed: 0)))
        }
    }

    // MARK: stream cipher

    @Test func streamCipherBothWays() throws {
        let oracle = try PythonOracle.start()
        let random = SeededRandomSource(seed: 200)
        for (i, message) in RandomMessages.make(count: Self.count, seed: 2).enumerated() {
            let encryptURI = i % 2 == 0
            let ivField = i % 3 == 0 ? "iv" : "iv\(i)"
            let config: [String: Any] = ["key": "key \(i)", "iv_field": ivField, "encrypt_uri": encryptURI]
            let plugin = Sha256StreamCipherPlugin(key: "key \(i)", ivField: ivField, encryptURI: encryptURI)
            let plain = try message.encode().hex

            // Python encrypts with its own iv and split; Swift decrypts.
            let fromPython = try Message.decode(try oracle.hex("stream_encrypt", config.merging(["hex": plain]) { $1 }))
            let decrypted = try plugin.decrypt(fromPython, context: context(seed: 0))
            #expect(decrypted.body == message.body && decrypted.type == message.type, "message \(i)")

            // Swift encrypts; Python decrypts; same iv and split → same bytes.
            let iv = random.bytes(16)
            let ciphertextLength = (encryptURI ? 2 + message.uri.count : 0) + message.content.count
            let split = encryptURI ? random.integer(in: 1...(ciphertextLength - 1)) : nil
            let fixed = FixedRandomSource(bytes: iv, integers: split.map { [$0] } ?? [])
            let encrypted = try plugin.encrypt(message, context: PluginContext(random: fixed, clock: FixedUnixClock(0)))
            let back = try Message.decode(try oracle.hex("stream_decrypt", config.merging(["hex": try encrypted.encode().hex]) { $1 }))
            #expect(back.body == message.body, "message \(i)")
            var pinned = config.merging(["hex": plain, "iv_hex": iv.hex]) { $1 }
            if let split { pinned["split"] = split }
            #expect(try encrypted.encode() == oracle.hex("stream_encrypt", pinned), "message \(i)")
        }
    }

    // MARK: X25519

    @Test func x25519BothWays() throws {
        let oracle = try PythonOracle.start()
        let random = SeededRandomSource(seed: 300)
        for (i, message) in RandomMessages.make(count: Self.count, seed: 3).enumerated() {
            let encryptURI = i % 2 == 1
            let seedA = random.bytes(32), seedB = random.bytes(32)
            let a = try X25519CipherPlugin(seed: seedA, encryptURI: encryptURI)
            let b = try X25519CipherPlugin(seed: seedB, encryptURI: encryptURI)
            if i < 5 {
                let keys = try oracle.call("x25519_keys", ["seed_hex": seedA.hex]) as? [String: Any]
                #expect(keys?["pubkey_hex"] as? String == a.keys.publicKey.hex)
                #expect(keys?["vkey_hex"] as? String == a.keys.verifyKey.hex)
            }
            let peerA = try TestMessages.peer(pubkey: .bytes(a.keys.publicKey))
            let peerB = try TestMessages.peer(pubkey: .bytes(b.keys.publicKey))
            let plain = try message.encode().hex

            // Python (as A, to B) encrypts with its own nonce; Swift (as B) decrypts.
            let pythonA: [String: Any] = ["seed_hex": seedA.hex, "peer_data_hex": peerB.data!.hex, "encrypt_uri": encryptURI]
            let fromPython = try Message.decode(try oracle.hex("x25519_encrypt", pythonA.merging(["hex": plain]) { $1 }))
            #expect(try b.decrypt(fromPython, context: context(seed: 0), peer: peerA, peerPlugin: peers) == message, "message \(i)")

            // Swift (as A) encrypts; Python (as B) decrypts; same nonce and split → same bytes.
            let nonce = random.bytes(24)
            let boxLength = (encryptURI ? 2 + message.uri.count : 0) + message.content.count + 40
            let split = encryptURI ? random.integer(in: 1...(boxLength - 1)) : nil
            let fixed = PluginContext(random: FixedRandomSource(bytes: nonce, integers: split.map { [$0] } ?? []), clock: FixedUnixClock(0))
            let encrypted = try a.encrypt(message, context: fixed, peer: peerB, peerPlugin: peers)
            let pythonB: [String: Any] = ["seed_hex": seedB.hex, "peer_data_hex": peerA.data!.hex, "encrypt_uri": encryptURI]
            let back = try Message.decode(try oracle.hex("x25519_decrypt", pythonB.merging(["hex": try encrypted.encode().hex]) { $1 }))
            #expect(back == message, "message \(i)")
            var pinned = pythonA.merging(["hex": plain, "box_nonce_hex": nonce.hex]) { $1 }
            if let split { pinned["split"] = split }
            #expect(try encrypted.encode() == oracle.hex("x25519_encrypt", pinned), "message \(i)")

            // Python refuses what Swift refuses: a tampered box.
            var tampered = encrypted
            tampered.content[tampered.content.count - 1] ^= 1
            #expect(throws: PythonOracle.PythonError.self) {
                try oracle.call("x25519_decrypt", pythonB.merging(["hex": try tampered.encode().hex]) { $1 })
            }
        }
    }

    // MARK: two layers

    struct Layers {
        let innerCipher = Sha256StreamCipherPlugin(key: "inner key", ivField: "iv2", encryptURI: false)
        let innerAuth = HMACAuthPlugin(secret: "inner secret", hmacField: "hmac2")
        let outerCipher = Sha256StreamCipherPlugin(key: "outer key", ivField: "iv", encryptURI: true)
        let outerAuth = HMACAuthPlugin(secret: "outer secret", hmacField: "hmac")

        static var python: [String: Any] { [
            "inner_cipher": ["kind": "stream", "key": "inner key", "iv_field": "iv2", "encrypt_uri": false],
            "inner_auth": ["kind": "hmac", "secret": "inner secret", "hmac_field": "hmac2"],
            "outer_cipher": ["kind": "stream", "key": "outer key", "iv_field": "iv", "encrypt_uri": true],
            "outer_auth": ["kind": "hmac", "secret": "outer secret", "hmac_field": "hmac"],
        ] }

        /// Send order of docs/PROTOCOL.md §6.1.
        func send(_ m: Message, _ context: PluginContext) throws -> Message {
            var wire = try innerCipher.encrypt(m, context: context)
            wire = try innerAuth.made(wire, context: context)
            wire = try outerCipher.encrypt(wire, context: context)
            return try outerAuth.made(wire, context: context)
        }

        /// Receive order; nil when a check fails.
        func receive(_ m: Message, _ context: PluginContext) throws -> Message? {
            guard outerAuth.check(m, context: context) else { return nil }
            let middle = try outerCipher.decrypt(m, context: context)
            guard innerAuth.check(middle, context: context) else { return nil }
            return try innerCipher.decrypt(middle, context: context)
        }
    }

    @Test func twoLayersBothWays() throws {
        let oracle = try PythonOracle.start()
        let layers = Layers()
        let random = SeededRandomSource(seed: 400)
        for (i, message) in RandomMessages.make(count: Self.count, seed: 4).enumerated() {
            let plain = try message.encode().hex

            // Python's UDPNode.prepare_message sends; Swift receives.
            let fromPython = try Message.decode(try oracle.hex("two_layer_send", Layers.python.merging(["hex": plain]) { $1 }))
            #expect(try layers.receive(fromPython, context(seed: 0))?.body == message.body, "message \(i)")

            // Swift sends; Python receives; same randomness → same bytes.
            let innerIV = random.bytes(16), nonce = random.bytes(16), outerIV = random.bytes(16)
            let time = Double(random.integer(in: 1...2_000_000_000))
            let outerLength = 2 + message.uri.count + message.content.count
            let split = random.integer(in: 1...(outerLength - 1))
            let fixed = PluginContext(random: FixedRandomSource(chunks: [innerIV, nonce, outerIV], integers: [split]), clock: FixedUnixClock(time))
            let sent = try layers.send(message, fixed)
            let received = try oracle.call("two_layer_receive", Layers.python.merging(["hex": try sent.encode().hex]) { $1 }) as? [String: Any]
            #expect(received?["outer_auth"] as? Bool == true && received?["inner_auth"] as? Bool == true, "message \(i)")
            #expect(try Message.decode(bytes(received?["hex"])).body == message.body, "message \(i)")

            var pinned = Layers.python
            pinned["hex"] = plain
            pinned["inner_cipher"] = (Layers.python["inner_cipher"] as! [String: Any]).merging(["iv_hex": innerIV.hex]) { $1 }
            pinned["inner_auth"] = (Layers.python["inner_auth"] as! [String: Any]).merging(["nonce_hex": nonce.hex, "time": time]) { $1 }
            pinned["outer_cipher"] = (Layers.python["outer_cipher"] as! [String: Any]).merging(["iv_hex": outerIV.hex, "split": split]) { $1 }
            #expect(try sent.encode() == oracle.hex("two_layer_send", pinned), "message \(i)")

            // The outer MAC covers the outer ciphertext: flip one byte and Python refuses.
            var tampered = sent
            tampered.content[tampered.content.count - 1] ^= 1
            let refused = try oracle.call("two_layer_receive", Layers.python.merging(["hex": try tampered.encode().hex]) { $1 }) as? [String: Any]
            #expect(refused?["outer_auth"] as? Bool == false)
            #expect(try layers.receive(tampered, context(seed: 0)) == nil)
        }
    }

    // MARK: peer records

    @Test func peerRecordsMatchPacking() throws {
        let oracle = try PythonOracle.start()
        let random = SeededRandomSource(seed: 500)
        for i in 0..<50 {
            let id = i % 5 == 0 ? nil : random.bytes(random.integer(in: 0...32))
            let data = i % 7 == 0 ? nil : random.bytes(random.integer(in: 0...200))
            let packed = try peers.pack(Peer(id: id, data: data))
            let tuple: [String: Any] = ["type": "tuple", "items": [id, data].map { b -> [String: Any] in
                b.map { ["type": "bytes", "hex": $0.hex] } ?? ["type": "none"]
            }]
            let python = try oracle.call("pack", ["value": tuple]) as? [String: Any]
            #expect(python?["hex"] as? String == packed.hex)
            #expect(try peers.unpack(packed) == Peer(id: id, data: data))
        }
    }
}
