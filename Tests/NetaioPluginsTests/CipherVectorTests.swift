import NetaioTestSupport
import Testing
import NetaioPlugins

/// Both cipher plugins and the four-layer encapsulation against the real library's
/// vectors: encrypt reproduces the frames, decrypt gives the input back.
@Suite struct CipherVectorTests {
    static func message(_ input: [String: Any], fields: AuthFields = AuthFields()) -> Message {
        Message(
            type: MessageType(UInt8(input["message_type"] as! Int)),
            uri: bytes(input["uri_hex"]), content: bytes(input["content_hex"]), authFields: fields)
    }

    @Test func streamCipherBothModes() throws {
        let vectors = Fixtures.vectors(kind: "plugin.sha256_stream.encrypt")
        #expect(vectors.count == 2)
        for v in vectors {
            let input = v[object: "input"]
            let encryptURI = input["encrypt_uri"] as! Bool
            let plugin = Sha256StreamCipherPlugin(key: input["key_utf8"] as! String, encryptURI: encryptURI)
            let random = FixedRandomSource(bytes: bytes(input["iv_hex"]), integers: (input["uri_split"] as? Int).map { [$0] } ?? [])
            let context = PluginContext(random: random, clock: FixedUnixClock(0))
            let original = Self.message(input, fields: try TypedValue.authFields(input["existing_fields"]))
            let encrypted = try plugin.encrypt(original, context: context)
            #expect(encrypted.uri.hex == v["expected_uri_hex"] as? String, "\(v.name)")
            #expect(encrypted.content.hex == v["expected_content_hex"] as? String, "\(v.name)")
            #expect(encrypted.authFields == (try TypedValue.authFields(v["expected_auth_fields"])))
            #expect(try encrypted.encode().hex == v["expected_hex"] as? String, "\(v.name)")
            #expect(random.remaining == (0, 0))
            let decrypted = try plugin.decrypt(try Message.decode(bytes(v["expected_hex"])), context: context)
            #expect(decrypted.body == original.body, "\(v.name)")
            #expect(decrypted.type == original.type)
            #expect(decrypted.authFields.bytes("iv") == bytes(input["iv_hex"]), "the iv field stays, as in Python")
        }
    }

    @Test func x25519Keys() throws {
        let vectors = Fixtures.vectors(kind: "plugin.x25519.keys")
        #expect(vectors.count == 2)
        for v in vectors {
            let keys = try CurveKeys(seed: bytes(v[object: "input"]["seed_hex"]))
            let expected = v[object: "expected"]
            #expect(keys.verifyKey.hex == expected["ed25519_verify_key_hex"] as? String, "\(v.name)")
            #expect(keys.privateKey.hex == expected["curve25519_private_key_hex"] as? String, "\(v.name)")
            #expect(keys.publicKey.hex == expected["curve25519_public_key_hex"] as? String, "\(v.name)")
        }
    }

    @Test func x25519BothModes() throws {
        let vectors = Fixtures.vectors(kind: "plugin.x25519.encrypt")
        #expect(vectors.count == 2)
        let peers = DefaultPeerPlugin()
        for v in vectors {
            let input = v[object: "input"]
            let encryptURI = input["encrypt_uri"] as! Bool
            let sender = try X25519CipherPlugin(seed: bytes(input["sender_seed_hex"]), encryptURI: encryptURI)
            let recipient = try X25519CipherPlugin(seed: bytes(input["recipient_seed_hex"]), encryptURI: encryptURI)
            let random = FixedRandomSource(bytes: bytes(input["box_nonce_hex"]), integers: (input["uri_split"] as? Int).map { [$0] } ?? [])
            let context = PluginContext(random: random, clock: FixedUnixClock(0))
            let original = Self.message(input)
            let recipientPeer = Peer(id: [1], data: bytes(input["recipient_peer_data_hex"]))
            let encrypted = try sender.encrypt(original, context: context, peer: recipientPeer, peerPlugin: peers)
            #expect(encrypted.uri.hex == v["expected_uri_hex"] as? String, "\(v.name)")
            #expect(encrypted.content.hex == v["expected_content_hex"] as? String, "\(v.name)")
            #expect(try encrypted.encode().hex == v["expected_hex"] as? String, "\(v.name)")
            #expect(encrypted.authFields.isEmpty)
            // The recipient knows the sender by its peer data.
            let senderData = try peers.encodeData(.dict([PackifyDictEntry("pubkey", .bytes(sender.keys.publicKey))]))
            let senderPeer = Peer(id: [2], data: senderData)
            let decrypted = try recipient.decrypt(try Message.decode(bytes(v["expected_hex"])), context: context, peer: senderPeer, peerPlugin: peers)
            #expect(decrypted == original, "\(v.name)")
        }
    }

    @Test func twoLayerEncapsulation() throws {
        let v = Fixtures.vectors(kind: "encapsulation.send")
        #expect(v.count == 1)
        let input = v[0][object: "input"]
        let ic = input[object: "inner_cipher"], ia = input[object: "inner_auth"]
        let oc = input[object: "outer_cipher"], oa = input[object: "outer_auth"]
        let innerCipher = Sha256StreamCipherPlugin(key: ic["key_utf8"] as! String, ivField: ic["iv_field"] as! String, encryptURI: ic["encrypt_uri"] as! Bool)
        let innerAuth = HMACAuthPlugin(secret: ia["secret_utf8"] as! String, hmacField: ia["hmac_field"] as! String)
        let outerCipher = Sha256StreamCipherPlugin(key: oc["key_utf8"] as! String, ivField: oc["iv_field"] as! String, encryptURI: oc["encrypt_uri"] as! Bool)
        let outerAuth = HMACAuthPlugin(secret: oa["secret_utf8"] as! String, hmacField: oa["hmac_field"] as! String)
        // Draw order on send: inner iv, inner nonce, outer iv, outer split (outer auth reuses the nonce).
        let random = FixedRandomSource(
            chunks: [bytes(ic["iv_hex"]), bytes(ia["nonce_hex"]), bytes(oc["iv_hex"])], integers: [oc["uri_split"] as! Int])
        let context = PluginContext(random: random, clock: FixedUnixClock(Double(ia["time"] as! Int)))
        let original = Self.message(input)

        var wire = try innerCipher.encrypt(original, context: context)
        wire = try innerAuth.made(wire, context: context)
        wire = try outerCipher.encrypt(wire, context: context)
        wire = try outerAuth.made(wire, context: context)
        #expect(try wire.encode().hex == v[0]["expected_hex"] as? String)
        #expect(wire.authFields == (try TypedValue.authFields(v[0]["expected_auth_fields"])))
        #expect(random.remaining == (0, 0))

        // Receive order: outer check, outer decrypt, inner check, inner decrypt.
        var received = try Message.decode(bytes(v[0]["expected_hex"]))
        #expect(outerAuth.check(received, context: context))
        received = try outerCipher.decrypt(received, context: context)
        #expect(received.uri == original.uri, "the inner layer leaves the uri in clear")
        #expect(innerAuth.check(received, context: context))
        received = try innerCipher.decrypt(received, context: context)
        #expect(received.body == original.body)
    }
}
