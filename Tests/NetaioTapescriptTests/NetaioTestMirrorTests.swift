import Foundation
import NetaioPlugins
import NetaioTestSupport
import Testing
@testable import NetaioTapescript

/// The tapescript cases of netaio 0.0.9's own tests/test_plugins.py, done with our
/// plugin (docs/tapescript.md maps each to this file), plus the Python plugin's verdict
/// on what ours made where the oracle is available.
@Suite struct NetaioTestMirrorTests {
    static func randomSeed() -> [UInt8] { (0..<32).map { _ in UInt8.random(in: 0...255) } }
    static let message = Message(type: .publishURI, uri: Array("123".utf8), content: Array("hello world".utf8))

    /// test_tapescript_auth_plugin
    @Test func tapescriptAuthPlugin() throws {
        let seed = Self.randomSeed()
        let lock = try Tapescript.makeSingleSigLock(pubkey: Tapescript.verifyKey(seed: seed))
        let plugin = TapescriptAuthPlugin(lock: lock, seed: seed)
        let made = try plugin.made(Self.message, context: .system())
        #expect(made.authFields["witness"] != nil && made.authFields["ts"] != nil)
        #expect(plugin.check(made, context: .system()))

        let seed2 = Self.randomSeed()
        let peerPlugin = DefaultPeerPlugin()
        let lock2 = try Tapescript.makeSingleSigLock(pubkey: Tapescript.verifyKey(seed: seed2))
        let peer = Peer(id: Array("test".utf8), data: try peerPlugin.encodeData(.dict([PackifyDictEntry(.string("lock"), .bytes(lock2))])))
        // auth_plugin.seed = seed2
        let reseeded = TapescriptAuthPlugin(lock: lock, seed: seed2)
        let msg = try reseeded.made(Self.message, context: .system(), peer: peer, peerPlugin: peerPlugin)
        #expect(msg.authFields["witness"] != nil && msg.authFields["ts"] != nil)
        // without the peer lock it fails; with it, it passes
        #expect(!reseeded.check(msg, context: .system(), peer: peer, peerPlugin: peerPlugin))
        let usingPeerLock = TapescriptAuthPlugin(lock: lock, seed: seed2, usePeerLock: true)
        #expect(usingPeerLock.check(msg, context: .system(), peer: peer, peerPlugin: peerPlugin))
        // tamper with the message
        var tampered = msg
        tampered.content = Array("hello world, caesar is alive".utf8)
        #expect(!usingPeerLock.check(tampered, context: .system(), peer: peer, peerPlugin: peerPlugin))
    }

    static func delegationPlugin(now: Int) throws -> (TapescriptAuthPlugin, [UInt8]) {
        let rootSeed = randomSeed(), seed1 = randomSeed(), seed2 = randomSeed()
        let certs = [
            try Tapescript.makeDelegateKeyCert(
                rootSeed: seed1, delegatePubkey: Tapescript.verifyKey(seed: seed2), beginTS: now - 120, endTS: now + 120),
            try Tapescript.makeDelegateKeyCert(
                rootSeed: rootSeed, delegatePubkey: Tapescript.verifyKey(seed: seed1), beginTS: now - 120, endTS: now + 120),
        ]
        let lock = try Tapescript.makeDelegateKeyChainLock(rootPubkey: Tapescript.verifyKey(seed: rootSeed))
        let plugin = TapescriptAuthPlugin(lock: lock, seed: seed2, witnessFunction: { seed, sigfields throws(TapescriptError) in
            try Tapescript.makeDelegateKeyChainWitness(seed: seed, certs: certs, sigfields: sigfields)
        })
        return (plugin, lock)
    }

    /// test_tapescript_auth_plugin_with_custom_witness_func
    @Test func tapescriptAuthPluginWithCustomWitnessFunc() throws {
        let (plugin, _) = try Self.delegationPlugin(now: Int(Date().timeIntervalSince1970))
        let made = try plugin.made(Self.message, context: .system())
        #expect(made.authFields["witness"] != nil)
        #expect(plugin.check(made, context: .system()))
        var tampered = made
        tampered.uri = Array("124".utf8)
        #expect(!plugin.check(tampered, context: .system()))
        // Certificates that expired two minutes ago no longer authorise.
        let (stale, _) = try Self.delegationPlugin(now: Int(Date().timeIntervalSince1970) - 240)
        #expect(!stale.check(try stale.made(Self.message, context: .system()), context: .system()))
    }

    /// test_tapescript_auth_with_x25519_cipher
    @Test func tapescriptAuthWithX25519Cipher() throws {
        let seed1 = Self.randomSeed(), seed2 = Self.randomSeed()
        let lock = try Tapescript.makeMultisigLock(
            pubkeys: [Tapescript.verifyKey(seed: seed1), Tapescript.verifyKey(seed: seed2)], quorum: 1)
        let localCipher = try X25519CipherPlugin(seed: seed1), remoteCipher = try X25519CipherPlugin(seed: seed2)
        let localAuth = TapescriptAuthPlugin(lock: lock, seed: seed1), remoteAuth = TapescriptAuthPlugin(lock: lock, seed: seed2)
        let peerPlugin = DefaultPeerPlugin()
        func peer(_ id: String, _ c: X25519CipherPlugin) throws -> Peer {
            Peer(id: Array(id.utf8), data: try peerPlugin.encodeData(.dict([PackifyDictEntry(.string("pubkey"), .bytes(c.keys.publicKey))])))
        }
        let localPeer = try peer("local", localCipher), remotePeer = try peer("remote", remoteCipher)
        var msg = try localCipher.encrypt(Self.message, context: .system(), peer: remotePeer, peerPlugin: peerPlugin)
        msg = try localAuth.made(msg, context: .system())
        #expect(remoteAuth.check(msg, context: .system()))
        let opened = try remoteCipher.decrypt(msg, context: .system(), peer: localPeer, peerPlugin: peerPlugin)
        #expect(opened.body == Self.message.body)
        // A third key is not in the 1-of-2 lock.
        let outsider = TapescriptAuthPlugin(lock: lock, seed: Self.randomSeed())
        #expect(!remoteAuth.check(try outsider.made(Self.message, context: .system()), context: .system()))
    }
}

/// The same frames judged by netaio.asymmetric's plugin (the oracle): the delegation
/// chain and the 1-of-2 multisig lock made by ours are accepted by Python's `check`.
@Suite(.enabled(if: PythonOracle.enabled, PythonOracle.skipReason), .serialized)
struct NetaioTestMirrorPythonTests {
    @Test func pythonChecksDelegationAndMultisigFramesMadeBySwift() throws {
        let oracle = try PythonOracle.start()
        defer { oracle.close() }
        let (plugin, lock) = try NetaioTestMirrorTests.delegationPlugin(now: Int(Date().timeIntervalSince1970))
        let made = try plugin.made(NetaioTestMirrorTests.message, context: .system())
        let args: [String: Any] = ["seed_hex": plugin.seed.hex, "lock_hex": lock.hex, "hex": try made.encode().hex]
        #expect(try oracle.call("tapescript_check", args) as? Bool == true)
        var tampered = made
        tampered.content += [1]
        #expect(try oracle.call("tapescript_check", args.merging(["hex": try tampered.encode().hex]) { $1 }) as? Bool == false)

        let seed1 = NetaioTestMirrorTests.randomSeed(), seed2 = NetaioTestMirrorTests.randomSeed()
        let multisig = try Tapescript.makeMultisigLock(
            pubkeys: [Tapescript.verifyKey(seed: seed1), Tapescript.verifyKey(seed: seed2)], quorum: 1)
        let frame = try TapescriptAuthPlugin(lock: multisig, seed: seed1).made(NetaioTestMirrorTests.message, context: .system())
        #expect(try oracle.call("tapescript_check", ["seed_hex": seed2.hex, "lock_hex": multisig.hex, "hex": try frame.encode().hex]) as? Bool == true)
        // And Python's frame, made with seed2, checks here.
        let fromPython = try Message.decode(try oracle.hex("tapescript_make", [
            "seed_hex": seed2.hex, "lock_hex": multisig.hex, "hex": try NetaioTestMirrorTests.message.encode().hex,
        ]))
        #expect(TapescriptAuthPlugin(lock: multisig, seed: seed1).check(fromPython, context: .system()))
    }
}
