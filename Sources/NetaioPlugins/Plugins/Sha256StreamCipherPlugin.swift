/// netaio's `Sha256StreamCipherPlugin` (docs/PROTOCOL.md §5.4): the SHA-256 counter keystream
/// of `NetaioCrypto.symcrypt` with key `SHA256(key)` and a fresh 16-byte iv per message,
/// stored in the auth field `ivField`. No integrity of its own: pair it with an auth
/// plugin at the same or an outer layer.
public struct Sha256StreamCipherPlugin: CipherPlugin {
    /// `SHA256(key)`.
    public let key: [UInt8]
    public let ivField: String
    /// Whether the uri is encrypted too (then the wire uri is a random-length prefix of
    /// the ciphertext, so routing by uri only works after this layer is removed).
    public let encryptURI: Bool

    public init(key: [UInt8], ivField: String = "iv", encryptURI: Bool = true) {
        self.key = NetaioCrypto.sha256(key)
        self.ivField = ivField
        self.encryptURI = encryptURI
    }

    /// A text key is used as its UTF-8 bytes, as in Python.
    public init(key: String, ivField: String = "iv", encryptURI: Bool = true) {
        self.init(key: Array(key.utf8), ivField: ivField, encryptURI: encryptURI)
    }

    public var isPeerSpecific: Bool { false }

    /// Encrypts the body and sets `ivField` in a copy of the auth fields (overwriting).
    public func encrypt(
        _ message: Message, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?
    ) throws(PluginError) -> Message {
        var ciphertext = CipherPayload.plaintext(of: message.body, includingURI: encryptURI)
        let iv = context.random.bytes(NetaioCrypto.ivSize)
        NetaioCrypto.xorKeystream(into: &ciphertext, key: key, iv: iv, start: 0)
        let (uri, content) = CipherPayload.layout(ciphertext, of: message.body, includingURI: encryptURI, random: context.random)
        var fields = message.authFields
        fields[ivField] = .bytes(iv)
        return try CipherPayload.message(type: message.type, authFields: fields, uri: uri, content: content)
    }

    /// Decrypts with the iv from `ivField` (which stays in the fields). An iv of any
    /// length works, as in Python; there is no integrity check, so a wrong key or iv
    /// yields garbage, not an error.
    public func decrypt(
        _ message: Message, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?
    ) throws(PluginError) -> Message {
        guard let value = message.authFields[ivField] else { throw .missingField(ivField) }
        guard let iv = value.byteArrayValue else { throw .fieldNotBytes(name: ivField, type: value.typeName) }
        var plaintext = CipherPayload.ciphertext(of: message.body, includingURI: encryptURI)
        NetaioCrypto.xorKeystream(into: &plaintext, key: key, iv: iv, start: 0)
        let (uri, content) = CipherPayload.read(plaintext, of: message.body, includingURI: encryptURI)
        return try CipherPayload.message(type: message.type, authFields: message.authFields, uri: uri, content: content)
    }
}
