/// netaio's cipher plugin contract (docs/PROTOCOL.md §5.1): `encrypt` and `decrypt` return a
/// new message of the same type, built with `Body.prepare` (so its length limit applies).
public protocol CipherPlugin: Sendable {
    func encrypt(
        _ message: Message, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?
    ) throws(PluginError) -> Message

    func decrypt(
        _ message: Message, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?
    ) throws(PluginError) -> Message

    /// Whether the plugin needs `peer` (X25519 does: it encrypts to the peer's key).
    var isPeerSpecific: Bool { get }
}

extension CipherPlugin {
    public func encrypt(_ message: Message, context: PluginContext) throws(PluginError) -> Message {
        try encrypt(message, context: context, peer: nil, peerPlugin: nil)
    }

    public func decrypt(_ message: Message, context: PluginContext) throws(PluginError) -> Message {
        try decrypt(message, context: context, peer: nil, peerPlugin: nil)
    }
}
