import NetaioCore
import NetaioFuzzChecks

extension FuzzCheck {
    /// X25519 cipher, both encrypt_uri modes: decrypting fuzz ciphertexts from a peer with
    /// fuzz peer data never traps; a box from A to B opens at B (decrypt(encrypt(m)) == m)
    /// and nowhere else (a third key fails), and a flipped ciphertext bit fails.
    ///
    /// Input: flags (bit 0 encrypt_uri), seeds of A, B, C (32 bytes each), peer-data bytes,
    /// uri, content, a fuzz ciphertext body (uri, content), seed byte.
    public static let x25519 = FuzzCheck("FuzzX25519Decrypt") { input throws(FuzzFailure) in
        var reader = FuzzInput(input)
        let encryptURI = reader.bool()
        func seed(_ r: inout FuzzInput) -> [UInt8] { let s = r.bytes(32); return s + [UInt8](repeating: 0, count: 32 - s.count) }
        let seedA = seed(&reader), seedB = seed(&reader), seedC = seed(&reader)
        let fuzzPeerData = reader.longBytes(max: 512)
        let body = Body(uri: reader.shortBytes(), content: reader.longBytes(max: 2048))
        let fuzzBody = Body(uri: reader.shortBytes(), content: reader.longBytes(max: 2048))
        let context = fuzzContext(seed: Int(reader.byte()))
        guard let a = try? X25519CipherPlugin(seed: seedA, encryptURI: encryptURI),
              let b = try? X25519CipherPlugin(seed: seedB, encryptURI: encryptURI),
              let c = try? X25519CipherPlugin(seed: seedC, encryptURI: encryptURI)
        else { throw FuzzFailure("a 32-byte seed was refused") }
        let peers = DefaultPeerPlugin()
        func record(_ p: X25519CipherPlugin) -> Peer {
            Peer(id: Array(p.keys.publicKey.prefix(4)), data: try? Packify.encode(.dict([PackifyDictEntry("pubkey", .bytes(p.keys.publicKey))])))
        }

        // Hostile input: fuzz peer data and a fuzz ciphertext.
        let fuzzMessage = Message(type: .requestURI, body: fuzzBody)
        _ = try? b.decrypt(fuzzMessage, context: context, peer: Peer(id: [1], data: fuzzPeerData), peerPlugin: peers)
        _ = try? b.decrypt(fuzzMessage, context: context, peer: record(a), peerPlugin: peers)
        _ = try? b.encrypt(fuzzMessage, context: context, peer: Peer(id: [1], data: fuzzPeerData), peerPlugin: peers)

        let message = Message(type: .publishURI, body: body)
        guard let sealed = try? a.encrypt(message, context: context, peer: record(b), peerPlugin: peers) else {
            throw FuzzFailure("encrypt to a valid peer key failed")
        }
        guard let opened = try? b.decrypt(sealed, context: context, peer: record(a), peerPlugin: peers) else {
            throw FuzzFailure("the recipient cannot open the box")
        }
        try require(opened.body == body && opened.type == message.type, "decrypt(encrypt(m)) != m")
        if c.keys.publicKey != b.keys.publicKey {
            try require((try? c.decrypt(sealed, context: context, peer: record(a), peerPlugin: peers)) == nil, "a third key opened the box")
        }
        var damaged = sealed
        if damaged.content.isEmpty { damaged.uri[damaged.uri.count - 1] ^= 0x80 } else { damaged.content[damaged.content.count - 1] ^= 0x80 }
        try require((try? b.decrypt(damaged, context: context, peer: record(a), peerPlugin: peers)) == nil, "a damaged box opened")
    }
}
