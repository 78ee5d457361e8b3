import NetaioTestSupport
import Testing
import NetaioPlugins

/// HMACAuthPlugin against the real library's vectors: make reproduces the frames, check
/// accepts them back and agrees with every `plugin.hmac.check` verdict.
@Suite struct HMACVectorTests {
    static func plugin(_ input: [String: Any]) -> HMACAuthPlugin {
        let config = input[object: "config"]
        return HMACAuthPlugin(
            secret: input["secret_utf8"] as! String,
            hmacField: config["hmac_field"] as? String ?? "hmac",
            nonceField: config["nonce_field"] as? String ?? "nonce",
            tsField: config["ts_field"] as? String ?? "ts")
    }

    @Test func makeReproducesTheVectors() throws {
        let vectors = Fixtures.vectors(kind: "plugin.hmac.make")
        #expect(vectors.count == 3)
        for v in vectors {
            let input = v[object: "input"]
            let plugin = Self.plugin(input)
            let random = FixedRandomSource(bytes: hexBytes(input["nonce_hex"]) ?? [])
            // Without a time the vector reuses an existing ts; a clock at 0 would show up as ts 0.
            let context = PluginContext(random: random, clock: FixedUnixClock(input["time"] as? Double ?? 0))
            let message = Message(
                type: MessageType(UInt8(input["message_type"] as! Int)),
                uri: bytes(input["uri_hex"]), content: bytes(input["content_hex"]),
                authFields: try TypedValue.authFields(input["existing_fields"]))
            let made = try plugin.made(message, context: context)
            #expect(made.authFields == (try TypedValue.authFields(v["expected_auth_fields"])), "\(v.name)")
            #expect(try made.encode().hex == v["expected_hex"] as? String, "\(v.name)")
            // The other direction: the real library's frame verifies.
            let decoded = try Message.decode(bytes(v["expected_hex"]))
            #expect(plugin.check(decoded, context: context), "\(v.name)")
            #expect(plugin.isPeerSpecific == false)
        }
    }

    @Test func checkAgreesWithEveryVerdict() throws {
        let vectors = Fixtures.vectors(kind: "plugin.hmac.check")
        #expect(vectors.count == 9)
        let context = PluginContext(random: FixedRandomSource(), clock: FixedUnixClock(1_700_000_000))
        for v in vectors {
            let input = v[object: "input"]
            let message = try Message.decode(bytes(input["message_hex"]))
            #expect(Self.plugin(input).check(message, context: context) == v["expected"] as? Bool, "\(v.name): \(v["note"] ?? "")")
        }
    }

    @Test func errorMessageIsTheReferenceFrame() throws {
        let plugin = HMACAuthPlugin(secret: "x")
        #expect(try plugin.error().encode().hex
            == "1700030017c7eb481f4d400000054552524f52484d41432061757468206661696c6564")
        #expect(plugin.error().type == .authError)
    }

    /// `make` writes the MAC of `ts ‖ body` at this layer; the worked example's input.
    @Test func macInputIsTimestampThenBodyBlock() throws {
        let v = Fixtures.vectors(kind: "plugin.hmac.make").first { $0.name == "hmac/make_default_fields" }!
        let derived = v[object: "derived"]
        let key = bytes(derived["secret_key_hex"])
        #expect(NetaioCrypto.sha256(Array("test".utf8)) == key)
        let expected = try TypedValue.authFields(v["expected_auth_fields"])
        let mac = NetaioCrypto.hmac(key: key, iv: bytes(v[object: "input"]["nonce_hex"]), message: bytes(derived["mac_input_hex"]))
        #expect(expected.bytes("hmac") == mac)
    }
}
