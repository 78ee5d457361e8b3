import NetaioCore
import NetaioFuzzChecks

extension FuzzCheck {
    /// SHA-256 stream cipher, both encrypt_uri modes: decrypting any fuzz-shaped message
    /// (fields, iv of any type or length, body) never traps; decrypt(encrypt(m)) == m; the
    /// ciphertext is as long as the plaintext and carries a 16-byte iv.
    ///
    /// Input: flags (bit 0 encrypt_uri), key, type, uri, content, auth block, seed byte.
    public static let streamCipher = FuzzCheck("FuzzStreamCipher") { input throws(FuzzFailure) in
        var reader = FuzzInput(input)
        let encryptURI = reader.bool()
        let plugin = Sha256StreamCipherPlugin(key: reader.shortBytes(max: 40), encryptURI: encryptURI)
        let type = MessageType(reader.byte() % 31)
        let body = Body(uri: reader.shortBytes(), content: reader.longBytes(max: 4096))
        let fields = fuzzFields(reader.longBytes(max: 1024))
        let context = fuzzContext(seed: Int(reader.byte()))
        let message = Message(type: type, authFields: fields, body: body)

        _ = try? plugin.decrypt(message, context: context)  // fuzz-shaped: any outcome but a trap

        let sealed: Message
        do {
            sealed = try plugin.encrypt(message, context: context)
        } catch {
            return  // Body.prepare's size limit cannot bite below 4 KiB; other errors are fine
        }
        try require(sealed.authFields.bytes("iv")?.count == 16, "encrypt did not write a 16-byte iv")
        let plaintextLength = encryptURI ? body.encodedLength : body.content.count
        try require(sealed.uri.count + sealed.content.count == plaintextLength + (encryptURI ? 0 : body.uri.count),
                    "ciphertext length differs from the plaintext's")
        if !encryptURI { try require(sealed.uri == body.uri, "the uri changed without encrypt_uri") }
        guard let opened = try? plugin.decrypt(sealed, context: context) else {
            throw FuzzFailure("decrypt failed on encrypt's output")
        }
        try require(opened.type == type && opened.body == body, "decrypt(encrypt(m)) != m")
    }
}
