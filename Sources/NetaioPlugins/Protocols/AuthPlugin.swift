/// netaio's auth plugin contract (docs/PROTOCOL.md §5.1). `make` writes its fields into the
/// message's auth fields (in place, like Python); `check` says whether they are valid for
/// the body as it is at the plugin's layer.
///
/// `peer` is the node's record of the remote endpoint when known, `peerPlugin` the node's
/// peer plugin; both are nil for unknown senders and multicast.
public protocol AuthPlugin: Sendable {
    func make(
        _ fields: inout AuthFields, body: Body, context: PluginContext,
        peer: Peer?, peerPlugin: (any PeerPlugin)?
    ) throws(PluginError)

    /// Never throws: anything malformed is simply not valid.
    func check(
        _ fields: AuthFields, body: Body, context: PluginContext,
        peer: Peer?, peerPlugin: (any PeerPlugin)?
    ) -> Bool

    /// The reply netaio sends when `check` fails (unless the type is an error type, §6.3).
    func error() -> Message

    /// Whether the plugin needs `peer` (lets a node skip lookups for the others).
    var isPeerSpecific: Bool { get }
}

extension AuthPlugin {
    public func make(_ fields: inout AuthFields, body: Body, context: PluginContext) throws(PluginError) {
        try make(&fields, body: body, context: context, peer: nil, peerPlugin: nil)
    }

    public func check(_ fields: AuthFields, body: Body, context: PluginContext) -> Bool {
        check(fields, body: body, context: context, peer: nil, peerPlugin: nil)
    }

    /// `make` applied to a whole message, returning the new message.
    public func made(
        _ message: Message, context: PluginContext, peer: Peer? = nil, peerPlugin: (any PeerPlugin)? = nil
    ) throws(PluginError) -> Message {
        var out = message
        try make(&out.authFields, body: out.body, context: context, peer: peer, peerPlugin: peerPlugin)
        return out
    }

    /// `check` applied to a whole message.
    public func check(
        _ message: Message, context: PluginContext, peer: Peer? = nil, peerPlugin: (any PeerPlugin)? = nil
    ) -> Bool {
        check(message.authFields, body: message.body, context: context, peer: peer, peerPlugin: peerPlugin)
    }
}
