import NetaioPlugins

extension ConformanceCases {
    static let cipherRule = "docs/PROTOCOL.md §5.4 (Sha256StreamCipherPlugin), §6.1"

    static let cipher: [ConformanceCase] = [
        ConformanceCase("S-01", .cipher, "an encrypted request (encrypt_uri) is answered with the right uri", rule: cipherRule, requires: [.cipher]) { run in
            let s = try run.session(), u = run.uri()
            try run.expect(s, run.message(.createURI, u, "secret"), .ok, uri: u)
            try run.expect(s, run.message(.requestURI, u), .respondURI, uri: u, content: Array("secret".utf8))
            return .pass("CREATE/REQUEST through the outer stream cipher")
        },
        ConformanceCase("S-02", .cipher, "replies are encrypted (iv field, no plaintext on the wire)", rule: cipherRule, requires: [.cipher]) { run in
            let s = try run.session(), u = run.uri()
            let content = Array("a recognisable plaintext string".utf8)
            try run.expect(s, Message(type: .createURI, uri: u, content: content), .ok, uri: u)
            let r = try run.expect(s, Message(type: .requestURI, uri: u), .respondURI, uri: u, content: content)
            guard r.wire.authFields.bytes("iv")?.count == 16 else { return .fail("the reply has no 16-byte iv field") }
            let wire = r.wire.uri + r.wire.content
            if wire.count >= content.count, (0...(wire.count - content.count)).contains(where: { wire[$0..<($0 + content.count)].elementsEqual(content) }) {
                return .fail("the reply carries the plaintext")
            }
            return r.wire.uri == u ? .fail("the reply's uri is in clear although encrypt_uri is on") : .pass("encrypted uri and content, iv present")
        },
        ConformanceCase("S-03", .cipher, "inner stream cipher layer (field iv2, uri in clear) on the resource handlers", rule: "docs/PROTOCOL.md §6.1 (inner cipher), §5.4 (encrypt_uri false for inner layers)", requires: [.innerCipher]) { run in
            let s = try run.session(), u = run.uri()
            try run.expect(s, run.message(.createURI, u, "inner secret"), .ok, uri: u)
            let r = try run.expect(s, run.message(.requestURI, u), .respondURI, uri: u, content: Array("inner secret".utf8))
            guard r.wire.authFields.bytes("iv2") != nil else { return .fail("the reply has no inner iv2 field") }
            return .pass("stored and returned through the inner layer (iv2)")
        },
        ConformanceCase("S-05", .cipher, "two replies with the same content use different IVs (no keystream reuse)", rule: cipherRule + " (a fresh random IV per message: the keystream must never repeat)", requires: [.cipher]) { run in
            let s = try run.session(), u = run.uri()
            let content = Array("the same reply twice, encrypted twice".utf8)
            try run.expect(s, Message(type: .createURI, uri: u, content: content), .ok, uri: u)
            let a = try run.expect(s, Message(type: .requestURI, uri: u), .respondURI, uri: u, content: content)
            let b = try run.expect(s, Message(type: .requestURI, uri: u), .respondURI, uri: u, content: content)
            guard let ivA = a.wire.authFields.bytes("iv"), let ivB = b.wire.authFields.bytes("iv") else { return .fail("a reply has no iv field") }
            if ivA == ivB { return .fail("both replies carry iv \(Hex.encode(ivA)): the server reuses its IV (and keystream)") }
            if a.wire.uri + a.wire.content == b.wire.uri + b.wire.content { return .fail("both replies have the same ciphertext despite different ivs") }
            return .pass("different ivs and ciphertexts for the same plaintext")
        },
        ConformanceCase("S-04", .cipher, "a request encrypted with the wrong key", rule: cipherRule + " (no integrity of its own: garbage in, NOT_FOUND or silence out)", level: .informational, requires: [.cipher]) { run in
            let s = try run.session()
            var m = try Sha256StreamCipherPlugin(key: "wrong key").encrypt(run.message(.requestURI, run.uri()), context: s.context)
            if let a = s.outerAuth { m = try a.made(m, context: s.context) }
            try s.sendRaw(try m.encode())
            if let r = try s.replyIfAny(within: run.config.replyTimeout) { return .observed("answered \(r.summary)") }
            return .observed("no reply")
        },
    ]
}
