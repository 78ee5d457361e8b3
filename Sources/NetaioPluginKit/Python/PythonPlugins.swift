import Foundation
import NetaioPlugins

/// A Python plugin loaded in the adapter: its handle, kind and declared peer-specificity.
public struct PythonPluginHandle: Sendable {
    public enum Kind: String, Sendable { case auth, cipher, peer }
    public let adapter: PluginAdapterProcess
    public let handle: Int
    public let kind: Kind
    /// The Python class, `module.Class`.
    public let className: String
    public let isPeerSpecific: Bool

    /// Loads `module:Class` with `config` (keys ending in `_hex` become bytes, see the adapter).
    public static func load(_ spec: String, config: [String: Any], in adapter: PluginAdapterProcess) throws -> PythonPluginHandle {
        let result = try adapter.call("load", ["spec": spec, "config": config])
        guard let r = result as? [String: Any], let handle = r["handle"] as? Int,
              let kind = (r["kind"] as? String).flatMap(Kind.init(rawValue:))
        else { throw PluginAdapterProcess.CallError.crashed("unexpected load reply \(result)") }
        return PythonPluginHandle(
            adapter: adapter, handle: handle, kind: kind, className: r["class"] as? String ?? spec,
            isPeerSpecific: r["is_peer_specific"] as? Bool ?? false)
    }

    /// Bytes of injected randomness sent with each call (plugins take what they need).
    static let tapeSize = 1024

    func call(_ op: String, _ args: [String: Any], context: PluginContext? = nil, peer: Peer? = nil, peerPlugin: (any PeerPlugin)? = nil) throws(PluginError) -> [String: Any] {
        var a = args
        a["handle"] = handle
        if let context {
            a["tape_hex"] = Hex.encode(context.random.bytes(Self.tapeSize))
            a["time"] = context.clock.now()
        }
        if let peer { a["peer"] = Self.json(peer) }
        if let python = peerPlugin as? PythonPeerPlugin { a["peer_plugin"] = python.plugin.handle }
        let result: Any
        do {
            result = try adapter.call(op, a)
        } catch {
            switch error {
            case .raised(let e): throw .rejected(plugin: className, reason: e)
            case .crashed(let e): throw .rejected(plugin: PluginError.crashTag, reason: e)
            }
        }
        if let dict = result as? [String: Any] { return dict }
        return ["value": result]
    }

    static func json(_ peer: Peer) -> [String: Any] {
        ["id_hex": peer.id.map { Hex.encode($0) } ?? NSNull(), "data_hex": peer.data.map { Hex.encode($0) } ?? NSNull()]
    }

    func bytes(_ result: [String: Any], _ key: String) throws(PluginError) -> [UInt8] {
        guard let text = result[key] as? String, let bytes = Hex.decode(text) else {
            throw .rejected(plugin: PluginError.crashTag, reason: "adapter reply without \(key)")
        }
        return bytes
    }

    func message(_ result: [String: Any]) throws(PluginError) -> Message {
        let frame = try bytes(result, "hex")
        do {
            return try Message.decode(frame)
        } catch {
            throw .rejected(plugin: className, reason: "returned a message that is not a valid frame: \(error)")
        }
    }
}

/// A Python auth plugin as a Swift `AuthPlugin` (so the same contract runs on it).
public final class PythonAuthPlugin: AuthPlugin, CheckOutcomeReporting, @unchecked Sendable {
    public let plugin: PythonPluginHandle
    private let errorMessage: Message

    public init(_ plugin: PythonPluginHandle) {
        self.plugin = plugin
        do {
            errorMessage = try plugin.message(try plugin.call("auth_error", [:]))
        } catch {
            // Shown by auth.error-message: not an error type, and the content says why.
            errorMessage = Message(type: .ok, uri: Array("kit".utf8), content: Array("error() failed: \(error)".utf8))
        }
    }

    public var isPeerSpecific: Bool { plugin.isPeerSpecific }

    public func make(_ fields: inout AuthFields, body: Body, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?) throws(PluginError) {
        let encoded: [UInt8]
        do { encoded = try fields.encode() } catch { throw .wire(error) }
        let result = try plugin.call(
            "auth_make", ["fields_hex": Hex.encode(encoded), "uri_hex": Hex.encode(body.uri), "content_hex": Hex.encode(body.content)],
            context: context, peer: peer, peerPlugin: peerPlugin)
        do {
            fields = try AuthFields.decode(try plugin.bytes(result, "fields_hex"))
        } catch let e as PluginError {
            throw e
        } catch {
            throw .rejected(plugin: plugin.className, reason: "make wrote auth fields that are not a str-keyed packify dict: \(error)")
        }
    }

    public func check(_ fields: AuthFields, body: Body, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?) -> Bool {
        checkOutcome(fields, body: body, context: context, peer: peer, peerPlugin: peerPlugin) == .valid
    }

    public func checkOutcome(_ fields: AuthFields, body: Body, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?) -> CheckOutcome {
        guard let encoded = try? fields.encode() else { return .invalid }
        do {
            let result = try plugin.call(
                "auth_check", ["fields_hex": Hex.encode(encoded), "uri_hex": Hex.encode(body.uri), "content_hex": Hex.encode(body.content)],
                context: context, peer: peer, peerPlugin: peerPlugin)
            return result["valid"] as? Bool == true ? .valid : .invalid
        } catch {
            return error.isCrash ? .crashed(error.description) : .raised(error.description)
        }
    }

    public func error() -> Message { errorMessage }
}

/// A Python cipher plugin as a Swift `CipherPlugin`.
public final class PythonCipherPlugin: CipherPlugin, @unchecked Sendable {
    public let plugin: PythonPluginHandle
    public init(_ plugin: PythonPluginHandle) { self.plugin = plugin }
    public var isPeerSpecific: Bool { plugin.isPeerSpecific }

    public func encrypt(_ message: Message, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?) throws(PluginError) -> Message {
        try run("cipher_encrypt", message, context, peer, peerPlugin)
    }

    public func decrypt(_ message: Message, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?) throws(PluginError) -> Message {
        try run("cipher_decrypt", message, context, peer, peerPlugin)
    }

    private func run(_ op: String, _ message: Message, _ context: PluginContext, _ peer: Peer?, _ peerPlugin: (any PeerPlugin)?) throws(PluginError) -> Message {
        let frame: [UInt8]
        do { frame = try message.encode() } catch { throw .wire(error) }
        return try plugin.message(try plugin.call(op, ["hex": Hex.encode(frame)], context: context, peer: peer, peerPlugin: peerPlugin))
    }
}

/// A Python peer plugin as a Swift `PeerPlugin`.
public final class PythonPeerPlugin: PeerPlugin, @unchecked Sendable {
    public let plugin: PythonPluginHandle
    public init(_ plugin: PythonPluginHandle) { self.plugin = plugin }

    public func validate(_ peer: Peer) -> Bool {
        (try? plugin.call("peer_validate", ["peer": PythonPluginHandle.json(peer)]))?["value"] as? Bool == true
    }

    public func parseData(_ peer: Peer) throws(PluginError) -> PackifyValue {
        let bytes = try plugin.bytes(try plugin.call("peer_parse_data", ["peer": PythonPluginHandle.json(peer)]), "value_hex")
        do { return try Packify.decode(bytes) } catch { throw .invalidPeerData(error) }
    }

    public func encodeData(_ data: PackifyValue, peerID: [UInt8]?) throws(PluginError) -> [UInt8] {
        let value: [UInt8]
        do { value = try Packify.encode(data) } catch { throw .unencodablePeerData(error) }
        var args: [String: Any] = ["value_hex": Hex.encode(value)]
        if let peerID { args["peer_id_hex"] = Hex.encode(peerID) }
        return try plugin.bytes(try plugin.call("peer_encode_data", args), "hex")
    }

    public func pack(_ peer: Peer) throws(PluginError) -> [UInt8] {
        try plugin.bytes(try plugin.call("peer_pack", ["peer": PythonPluginHandle.json(peer)]), "hex")
    }

    public func unpack(_ bytes: [UInt8]) throws(PluginError) -> Peer {
        let result = try plugin.call("peer_unpack", ["hex": Hex.encode(bytes)])
        guard let p = result["peer"] as? [String: Any] else { throw .rejected(plugin: PluginError.crashTag, reason: "adapter reply without peer") }
        func part(_ key: String) throws(PluginError) -> [UInt8]? {
            if p[key] is NSNull || p[key] == nil { return nil }
            guard let text = p[key] as? String, let b = Hex.decode(text) else { throw .malformedPeerRecord("\(key) is not hex") }
            return b
        }
        return Peer(id: try part("id_hex"), data: try part("data_hex"))
    }
}
