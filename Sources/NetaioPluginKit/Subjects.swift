import NetaioPlugins

/// An auth plugin under test, with what its contract run needs.
public struct AuthSubject: Sendable {
    public var name: String
    public var plugin: any AuthPlugin
    /// The same kind of plugin with another key: must reject what `plugin` made.
    public var wrongKey: (any AuthPlugin)?
    /// Passed to make/check (peer-specific plugins read the remote peer's data).
    public var peer: Peer?
    public var peerPlugin: (any PeerPlugin)?
    /// The largest uri + content the random messages get. TapescriptAuthPlugin's make
    /// fails beyond 1,002 bytes (its sigfields must fit one 1,024-byte stack item).
    public var maxPayload: Int

    public init(
        name: String, plugin: any AuthPlugin, wrongKey: (any AuthPlugin)? = nil, peer: Peer? = nil,
        peerPlugin: (any PeerPlugin)? = nil, maxPayload: Int = Body.maximumPayload()
    ) {
        self.name = name
        self.plugin = plugin
        self.wrongKey = wrongKey
        self.peer = peer
        self.peerPlugin = peerPlugin
        self.maxPayload = maxPayload
    }
}

/// A cipher plugin under test. Symmetric ciphers use one instance both ways; a
/// peer-specific one (X25519) has a sender and a receiver that know each other as peers.
public struct CipherSubject: Sendable {
    public var name: String
    public var sender: any CipherPlugin
    public var receiver: any CipherPlugin
    /// The receiver's record as the sender knows it (passed to `sender.encrypt`).
    public var receiverPeer: Peer?
    /// The sender's record as the receiver knows it (passed to `receiver.decrypt`).
    public var senderPeer: Peer?
    public var peerPlugin: (any PeerPlugin)?
    /// A receiver with the wrong key: must not recover the plaintext.
    public var wrongKeyReceiver: (any CipherPlugin)?
    /// The cipher is deterministic by design (equal plaintexts, equal ciphertexts):
    /// `cipher.fresh-iv` then reports INFO instead of failing.
    public var declaresDeterministic = false

    public init(
        name: String, sender: any CipherPlugin, receiver: any CipherPlugin, receiverPeer: Peer? = nil, senderPeer: Peer? = nil,
        peerPlugin: (any PeerPlugin)? = nil, wrongKeyReceiver: (any CipherPlugin)? = nil, declaresDeterministic: Bool = false
    ) {
        self.declaresDeterministic = declaresDeterministic
        self.name = name
        self.sender = sender
        self.receiver = receiver
        self.receiverPeer = receiverPeer
        self.senderPeer = senderPeer
        self.peerPlugin = peerPlugin
        self.wrongKeyReceiver = wrongKeyReceiver
    }

    /// One instance encrypting for itself (symmetric ciphers).
    public static func symmetric(name: String, plugin: any CipherPlugin, wrongKey: (any CipherPlugin)? = nil, declaresDeterministic: Bool = false) -> CipherSubject {
        CipherSubject(name: name, sender: plugin, receiver: plugin, wrongKeyReceiver: wrongKey, declaresDeterministic: declaresDeterministic)
    }
}

/// A peer plugin under test.
public struct PeerSubject: Sendable {
    public var name: String
    public var plugin: any PeerPlugin
    public init(name: String, plugin: any PeerPlugin) {
        self.name = name
        self.plugin = plugin
    }
}

/// What one `check` call did. Swift plugins only ever give `valid`/`invalid`; plugins
/// behind an adapter (Python) can also raise, or take the adapter down with them.
public enum CheckOutcome: Equatable, Sendable {
    case valid
    case invalid
    /// The plugin raised instead of answering (Python netaio's HMAC does on non-bytes fields).
    case raised(String)
    /// The plugin's process died or hung: a trap.
    case crashed(String)
}

/// Plugins whose `check` can raise (adapters) say so through this; `check` itself maps a
/// raise to false.
public protocol CheckOutcomeReporting {
    func checkOutcome(_ fields: AuthFields, body: Body, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?) -> CheckOutcome
}

extension PluginError {
    /// The `plugin` name adapters use for a crash or hang of the plugin's process.
    public static let crashTag = "plugin-process"

    /// A trap in an out-of-process plugin (process died, hung, or answered nonsense).
    public var isCrash: Bool {
        if case .rejected(let plugin, _) = self { return plugin == Self.crashTag }
        return false
    }
}

func checkOutcome(_ plugin: any AuthPlugin, _ message: Message, _ context: PluginContext, _ peer: Peer?, _ peerPlugin: (any PeerPlugin)?) -> CheckOutcome {
    if let reporting = plugin as? CheckOutcomeReporting {
        return reporting.checkOutcome(message.authFields, body: message.body, context: context, peer: peer, peerPlugin: peerPlugin)
    }
    return plugin.check(message.authFields, body: message.body, context: context, peer: peer, peerPlugin: peerPlugin) ? .valid : .invalid
}

/// The frame bytes and back, so every property also proves the result is wire-valid.
func throughWire(_ message: Message) -> Result<Message, WireError> {
    Result { () throws(WireError) in try Message.decode(try message.encode()) }
}

/// A peer record whose data carries a 32-byte `pubkey`, for plugins that look one up.
func samplePeer(id: [UInt8] = Array("kit-sample-peer".utf8), pubkey: [UInt8] = [UInt8](repeating: 9, count: 32)) -> Peer {
    let data = (try? DefaultPeerPlugin().encodeData(.dict([PackifyDictEntry("pubkey", .bytes(pubkey))]))) ?? []
    return Peer(id: id, data: data)
}

/// A property's failure text, as an error so it can travel in a `Result`.
struct Problem: Error {
    let text: String
    init(_ text: String) { self.text = text }
}
