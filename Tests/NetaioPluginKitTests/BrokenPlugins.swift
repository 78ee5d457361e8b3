import NetaioPlugins

/// Deliberately broken plugins: each breaks named contract properties, so the tests can
/// check the kit catches every one with a clear message (and leaves the rest passing).

/// A MAC plugin with five bugs: the MAC skips the uri (auth.tamper-uri), make wipes other
/// plugins' fields (auth.foreign-fields), the nonce comes from the system instead of the
/// context (auth.deterministic), error() answers NOT_FOUND (auth.error-message), and the
/// MAC mixes in the peer's id although it claims not to be peer-specific (auth.peer-specific).
struct LeakyMACPlugin: AuthPlugin {
    let key: [UInt8]
    /// Off: the nonce comes from the context, so the peer dependence can be seen (with a
    /// system nonce no two outputs compare and auth.peer-specific is skipped).
    var systemNonce = true
    var isPeerSpecific: Bool { false }

    func mac(_ nonce: [UInt8], _ body: Body, _ peer: Peer?) -> [UInt8] {
        NetaioCrypto.sha256(key + nonce + body.content + (peer?.id ?? []))
    }

    func make(_ fields: inout AuthFields, body: Body, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?) throws(PluginError) {
        let nonce = systemNonce ? SystemRandomSource().bytes(16) : context.random.bytes(16)
        fields = AuthFields()
        fields["nonce"] = .bytes(nonce)
        fields["mac"] = .bytes(mac(nonce, body, peer))
    }

    func check(_ fields: AuthFields, body: Body, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?) -> Bool {
        guard let nonce = fields.bytes("nonce"), let got = fields.bytes("mac") else { return false }
        return got == mac(nonce, body, peer)
    }

    func error() -> Message { .notFound("no") }
}

/// A "MAC" with no key and a timestamp it does not cover: any key accepts it
/// (auth.wrong-key) and a changed ts goes unnoticed (auth.tamper-fields).
struct KeylessMACPlugin: AuthPlugin {
    var isPeerSpecific: Bool { false }

    func make(_ fields: inout AuthFields, body: Body, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?) throws(PluginError) {
        fields["ts"] = .bytes([0, 0, 0, 1])
        fields["digest"] = .bytes(NetaioCrypto.sha256(body.encode()))
    }

    func check(_ fields: AuthFields, body: Body, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?) -> Bool {
        fields["ts"] != nil && fields.bytes("digest") == NetaioCrypto.sha256(body.encode())
    }

    func error() -> Message { .error("auth failed") }
}

/// A stream cipher whose decrypt drops the last byte of contents longer than 100 bytes
/// (cipher.roundtrip: shrinking must find a 101-byte content) and whose encrypt rebuilds
/// the auth fields from scratch (cipher.foreign-fields).
struct TruncatingCipherPlugin: CipherPlugin {
    let inner = Sha256StreamCipherPlugin(key: "truncating", encryptURI: false)
    var isPeerSpecific: Bool { false }

    func encrypt(_ message: Message, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?) throws(PluginError) -> Message {
        var out = try inner.encrypt(message, context: context)
        let iv = out.authFields["iv"]
        out.authFields = AuthFields()
        out.authFields["iv"] = iv
        return out
    }

    func decrypt(_ message: Message, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?) throws(PluginError) -> Message {
        var out = try inner.decrypt(message, context: context)
        if out.content.count > 100 { out.content.removeLast() }
        return out
    }
}

/// "Encrypts" by doing nothing (cipher.hides-content, cipher.wrong-key) and claims to be
/// peer-specific while never needing a peer (cipher.peer-specific: info, not a failure).
struct PlaintextCipherPlugin: CipherPlugin {
    var isPeerSpecific: Bool { true }
    func encrypt(_ message: Message, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?) throws(PluginError) -> Message { message }
    func decrypt(_ message: Message, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?) throws(PluginError) -> Message { message }
}

/// A peer plugin whose unpack forgets the data (peer.pack-unpack).
struct ForgetfulPeerPlugin: PeerPlugin {
    let base = DefaultPeerPlugin()
    func validate(_ peer: Peer) -> Bool { base.validate(peer) }
    func parseData(_ peer: Peer) throws(PluginError) -> PackifyValue { try base.parseData(peer) }
    func encodeData(_ data: PackifyValue, peerID: [UInt8]?) throws(PluginError) -> [UInt8] { try base.encodeData(data, peerID: peerID) }
    func pack(_ peer: Peer) throws(PluginError) -> [UInt8] { try base.pack(peer) }
    func unpack(_ bytes: [UInt8]) throws(PluginError) -> Peer {
        var p = try base.unpack(bytes)
        p.data = nil
        return p
    }
}

/// netaio's stream cipher drawing its IV from a constant source: every message is
/// encrypted under the same keystream (issue 16, hole 2: cipher.fresh-iv,
/// cipher.keystream-reuse), while every older property still holds.
struct FixedIVCipherPlugin: CipherPlugin {
    let inner: Sha256StreamCipherPlugin
    var isPeerSpecific: Bool { false }

    /// A random source that always gives zeros (the bug: a constant IV).
    struct Zeros: RandomSource {
        func bytes(_ count: Int) -> [UInt8] { [UInt8](repeating: 0, count: count) }
        func integer(in range: ClosedRange<Int>) -> Int { range.lowerBound }
    }

    func encrypt(_ message: Message, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?) throws(PluginError) -> Message {
        var fixed = context
        fixed.random = Zeros()
        return try inner.encrypt(message, context: fixed)
    }

    func decrypt(_ message: Message, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?) throws(PluginError) -> Message {
        try inner.decrypt(message, context: context)
    }
}

/// netaio's peer plugin whose validate accepts every peer, also one without an id
/// (issue 16, hole 3: peer.validate-no-id).
struct IdlessPeerPlugin: PeerPlugin {
    let base = DefaultPeerPlugin()
    func validate(_ peer: Peer) -> Bool { true }
    func parseData(_ peer: Peer) throws(PluginError) -> PackifyValue { try base.parseData(peer) }
    func encodeData(_ data: PackifyValue, peerID: [UInt8]?) throws(PluginError) -> [UInt8] { try base.encodeData(data, peerID: peerID) }
    func pack(_ peer: Peer) throws(PluginError) -> [UInt8] { try base.pack(peer) }
    func unpack(_ bytes: [UInt8]) throws(PluginError) -> Peer { try base.unpack(bytes) }
}

/// A peer plugin whose unpack never refuses: undecodable records become a peer without
/// id or data (peer.unpack-undecodable).
struct LenientUnpackPeerPlugin: PeerPlugin {
    let base = DefaultPeerPlugin()
    func validate(_ peer: Peer) -> Bool { base.validate(peer) }
    func parseData(_ peer: Peer) throws(PluginError) -> PackifyValue { try base.parseData(peer) }
    func encodeData(_ data: PackifyValue, peerID: [UInt8]?) throws(PluginError) -> [UInt8] { try base.encodeData(data, peerID: peerID) }
    func pack(_ peer: Peer) throws(PluginError) -> [UInt8] { try base.pack(peer) }
    func unpack(_ bytes: [UInt8]) throws(PluginError) -> Peer { (try? base.unpack(bytes)) ?? Peer(id: nil, data: nil) }
}
