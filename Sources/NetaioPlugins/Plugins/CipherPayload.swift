/// The body handling both bundled cipher plugins share with netaio: what gets
/// encrypted, how ciphertext is split between uri and content, and how a decrypted
/// plaintext is read back.
enum CipherPayload {
    /// `(encrypt_uri ? u16(uri_length) ‖ uri : ε) ‖ content`.
    static func plaintext(of body: Body, includingURI: Bool) -> [UInt8] {
        guard includingURI else { return body.content }
        var out: [UInt8] = []
        out.reserveCapacity(body.encodedLength)
        body.encode(into: &out)
        return out
    }

    /// The ciphertext on the wire: `uri ‖ content` when the uri was encrypted, else `content`.
    static func ciphertext(of body: Body, includingURI: Bool) -> [UInt8] {
        includingURI ? body.uri + body.content : body.content
    }

    /// The new (uri, content) for a ciphertext. With the uri encrypted, netaio cuts the
    /// ciphertext at `randint(1, len-1)`, so the wire uri is random-length ciphertext.
    static func layout(_ ciphertext: [UInt8], of body: Body, includingURI: Bool, random: any RandomSource) -> (uri: [UInt8], content: [UInt8]) {
        guard includingURI else { return (body.uri, ciphertext) }
        // Both plugins' ciphertexts are at least 2 bytes here (a u16 length is inside).
        let split = min(random.integer(in: 1...max(1, ciphertext.count - 1)), ciphertext.count)
        return (Array(ciphertext[..<split]), Array(ciphertext[split...]))
    }

    /// Reads a plaintext back. With the uri encrypted: `n = u16(pt[0:2])`, uri =
    /// `pt[2:2+n]`, content = `pt[2+n:]` — Python slices, so a too-large `n` (a wrong
    /// key, tampering) truncates instead of failing, and a 0–1 byte plaintext reads as
    /// a short length.
    static func read(_ plaintext: [UInt8], of body: Body, includingURI: Bool) -> (uri: [UInt8], content: [UInt8]) {
        guard includingURI else { return (body.uri, plaintext) }
        let n = plaintext.prefix(2).reduce(0) { $0 << 8 | Int($1) }
        let uriStart = min(2, plaintext.count)
        let uriEnd = min(2 + n, plaintext.count)
        return (Array(plaintext[uriStart..<uriEnd]), Array(plaintext[uriEnd...]))
    }

    /// netaio's `message.prepare(body.prepare(content, uri), type, fields)`: same type,
    /// and the encapsulation length limit applies.
    static func message(type: MessageType, authFields: AuthFields, uri: [UInt8], content: [UInt8]) throws(PluginError) -> Message {
        do {
            let body = try Body.prepare(content: content, uri: uri)
            return Message(type: type, authFields: authFields, body: body)
        } catch {
            throw .wire(error)
        }
    }
}
