/// netaio's `X25519CipherPlugin` (docs/PROTOCOL.md §5.5): NaCl `crypto_box` from this node's
/// X25519 key (derived from an Ed25519 seed) to the peer's `pubkey`, found by parsing the
/// peer's data with the peer plugin. The body becomes `nonce(24) ‖ tag(16) ‖ ciphertext`;
/// the auth fields are left alone. Needs the remote peer, so it cannot protect messages
/// from unknown senders or multicast.
public struct X25519CipherPlugin: CipherPlugin {
    public let keys: CurveKeys
    /// Whether the uri is encrypted too (default false, unlike the stream cipher).
    public let encryptURI: Bool

    public init(seed: [UInt8], encryptURI: Bool = false) throws(PluginError) {
        keys = try CurveKeys(seed: seed)
        self.encryptURI = encryptURI
    }

    public var isPeerSpecific: Bool { true }

    /// Bytes a box adds to the plaintext: nonce and Poly1305 tag.
    public static let overhead = NaClBox.nonceSize + NaClBox.tagSize

    public func encrypt(
        _ message: Message, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?
    ) throws(PluginError) -> Message {
        guard let peer, let peerPlugin else { throw .peerRequired }
        let plaintext = CipherPayload.plaintext(of: message.body, includingURI: encryptURI)
        let pubkey = try Self.peerPublicKey(peer, peerPlugin)
        let nonce = context.random.bytes(NaClBox.nonceSize)
        let box = try nonce + NaClBox.seal(plaintext, nonce: nonce, to: pubkey, from: keys.privateKey)
        let (uri, content) = CipherPayload.layout(box, of: message.body, includingURI: encryptURI, random: context.random)
        return try CipherPayload.message(type: message.type, authFields: message.authFields, uri: uri, content: content)
    }

    public func decrypt(
        _ message: Message, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?
    ) throws(PluginError) -> Message {
        guard let peer, let peerPlugin else { throw .peerRequired }
        let box = CipherPayload.ciphertext(of: message.body, includingURI: encryptURI)
        let pubkey = try Self.peerPublicKey(peer, peerPlugin)
        guard box.count >= Self.overhead else { throw .ciphertextTooShort(length: box.count, minimum: Self.overhead) }
        let nonce = Array(box[..<NaClBox.nonceSize])
        let plaintext = try NaClBox.open(Array(box[NaClBox.nonceSize...]), nonce: nonce, from: pubkey, to: keys.privateKey)
        let (uri, content) = CipherPayload.read(plaintext, of: message.body, includingURI: encryptURI)
        return try CipherPayload.message(type: message.type, authFields: message.authFields, uri: uri, content: content)
    }

    /// `parse_data(peer)["pubkey"]`, which must be 32 bytes.
    static func peerPublicKey(_ peer: Peer, _ peerPlugin: any PeerPlugin) throws(PluginError) -> [UInt8] {
        let data = try peerPlugin.parseData(peer)
        guard case .dict = data, let value = data["pubkey"] else { throw .peerPubkeyNotFound }
        guard let key = value.byteArrayValue else { throw .invalidPeerPubkey("a \(value.typeName), not bytes") }
        guard key.count == NaClBox.keySize else { throw .invalidPeerPubkey("\(key.count) bytes, need \(NaClBox.keySize)") }
        return key
    }
}
