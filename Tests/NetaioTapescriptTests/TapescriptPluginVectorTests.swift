import Foundation
import NetaioPlugins
import NetaioTestSupport
import Testing
@testable import NetaioTapescript

/// TapescriptAuthPlugin against frames and verdicts of netaio.asymmetric's plugin.
@Suite struct TapescriptPluginVectorTests {
    static func plugin(_ input: [String: Any]) throws -> TapescriptAuthPlugin {
        let seed = bytes(input["seed_hex"])
        let config = input[object: "config"]
        switch config["kind"] as? String {
        case "taproot_keyspend":
            return try .taprootKeyspend(seed: seed, committedScript: bytes(config["committed_script_hex"]))
        default:
            let lock = try Tapescript.makeSingleSigLock(pubkey: Tapescript.verifyKey(seed: seed))
            return TapescriptAuthPlugin(
                lock: lock, seed: seed,
                nonceField: config["nonce_field"] as? String ?? "nonce",
                tsField: config["ts_field"] as? String ?? "ts",
                witnessField: config["witness_field"] as? String ?? "witness")
        }
    }

    @Test func makeReproducesTheFrames() throws {
        let vectors = TapescriptFixtures.kind("tapescript.plugin.make")
        #expect(vectors.count == 13)
        for v in vectors {
            let input = v[object: "input"]
            let plugin = try Self.plugin(input)
            #expect(plugin.lock.hex == input["lock_hex"] as? String, "\(v.name)")
            let reference = try Message.decode(bytes(v["expected_hex"]))
            let context = PluginContext(
                random: FixedRandomSource(bytes: bytes(input["nonce_hex"])),
                clock: FixedUnixClock(Double(input["time"] as! Int)))
            let message = Message(
                type: reference.type, uri: bytes(input["uri_hex"]), content: bytes(input["content_hex"]),
                authFields: input["existing_fields"] == nil ? AuthFields() : try TypedValue.authFields(input["existing_fields"]))
            let made = try plugin.made(message, context: context)
            #expect(made.authFields == (try TypedValue.authFields(v["expected_auth_fields"])), "\(v.name)")
            #expect(try made.encode().hex == v["expected_hex"] as? String, "\(v.name)")
            // Python's frame checks here.
            #expect(plugin.check(reference, context: .system()), "\(v.name)")
            #expect(plugin.isPeerSpecific)
        }
    }

    @Test func makeFailsWhereNetaioFails() throws {
        let v = try #require(TapescriptFixtures.kind("tapescript.plugin.make_error").first)
        let input = v[object: "input"]
        let plugin = try TapescriptAuthPlugin.singleSig(seed: bytes(input["seed_hex"]))
        let context = PluginContext(
            random: FixedRandomSource(bytes: bytes(input["nonce_hex"])), clock: FixedUnixClock(Double(input["time"] as! Int)))
        let message = Message(type: .publishURI, uri: bytes(input["uri_hex"]), content: bytes(input["content_hex"]))
        let expected = v[object: "expected_error"]
        #expect(throws: PluginError.rejected(
            plugin: "TapescriptAuthPlugin",
            reason: "\(expected["class"] as! String)|\(expected["message"] as! String)")) {
            _ = try plugin.made(message, context: context)
        }
    }

    @Test func checkAgreesWithEveryVerdict() throws {
        let vectors = TapescriptFixtures.kind("tapescript.plugin.check")
        #expect(vectors.count == 18)
        let seedA = Array(0..<32).map { UInt8($0) }
        let seedB = Array(32..<64).map { UInt8($0) }
        let lockA = try Tapescript.makeSingleSigLock(pubkey: Tapescript.verifyKey(seed: seedA))
        let lockB = try Tapescript.makeSingleSigLock(pubkey: Tapescript.verifyKey(seed: seedB))
        for v in vectors {
            let input = v[object: "input"]
            let plugin = TapescriptAuthPlugin(
                lock: input["lock"] as? String == "b" ? lockB : lockA, seed: seedA,
                usePeerLock: input["use_peer_lock"] as? Bool ?? false)
            let fields = try TypedValue.authFields(input["fields"])
            let body = Body(uri: bytes(input["uri_hex"]), content: bytes(input["content_hex"]))
            var peer: Peer?
            if let data = input["peer_data_hex"] as? String {
                peer = Peer(id: Array("P".utf8), data: bytes(data))
            }
            let got = plugin.check(
                fields, body: body, context: .system(), peer: peer, peerPlugin: peer == nil ? nil : DefaultPeerPlugin())
            #expect(got == v["expected"] as? Bool, "\(v.name): \(String(describing: plugin.checkFailure(fields, body: body)))")
        }
    }

    @Test func errorMessageIsTheReferenceFrame() throws {
        let reference = try #require(Fixtures.vectors.first { $0.name == "tapescript/error_message" })
        let plugin = try TapescriptAuthPlugin.singleSig(seed: [UInt8](repeating: 7, count: 32))
        #expect(try plugin.error().encode().hex == reference["expected_hex"] as? String)
    }

    /// The plugin vector in the main file (vectors.json) too.
    @Test func mainFileSingleSigVector() throws {
        let v = try #require(Fixtures.vectors.first { $0.name == "tapescript/single_sig_make" })
        let input = v[object: "input"]
        let plugin = try TapescriptAuthPlugin.singleSig(seed: bytes(input["seed_hex"]))
        #expect(plugin.lock.hex == v[object: "derived"]["lock_hex"] as? String)
        let context = PluginContext(
            random: FixedRandomSource(bytes: bytes(input["nonce_hex"])), clock: FixedUnixClock(Double(input["time"] as! Int)))
        let message = Message(
            type: MessageType(UInt8(input["message_type"] as! Int)), uri: bytes(input["uri_hex"]),
            content: bytes(input["content_hex"]))
        let made = try plugin.made(message, context: context)
        #expect(try made.encode().hex == v["expected_hex"] as? String)
    }
}
