import Foundation
import NetaioTapescript
import NetaioPlugins

/// A reply as received: the frame on the wire and the message after the suite removed
/// the outer layers it knows the keys of.
public struct Reply: Sendable {
    public let frame: [UInt8]
    public let wire: Message
    public let checksumOK: Bool
    /// The outer HMAC verified (nil without --hmac-secret; false for a plain reply).
    public let outerAuth: Bool?
    /// The inner HMAC verified (nil when the reply has no inner HMAC field).
    public let innerAuth: Bool?
    public let message: Message

    public var type: MessageType { message.type }
    public var uri: [UInt8] { message.uri }
    public var content: [UInt8] { message.content }
    public var summary: String {
        "\(type) uri \"\(printable(uri))\" content \"\(printable(content))\""
    }
}

func printable(_ b: [UInt8], limit: Int = 40) -> String {
    let text = String(decoding: b.prefix(limit), as: UTF8.self)
    let ok = b.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    return ok ? text + (b.count > limit ? "…" : "") : "0x" + Hex.encode(b.prefix(limit / 2)) + (b.count > limit / 2 ? "…(\(b.count) B)" : "")
}

/// Inner plugins for one request (per-handler layers of the implementation).
public struct InnerLayers: Sendable {
    public var auth: (any AuthPlugin)?
    public var cipher: (any CipherPlugin)?
    public var peer: Peer?
    public var peerPlugin: (any PeerPlugin)?

    /// Explicitly no inner layer (to test what the implementation does without one).
    public static let none = InnerLayers()
    var isEmpty: Bool { auth == nil && cipher == nil }
}

/// The suite's own netaio client over one `Wire`: applies the outer plugins it was
/// configured with on send and removes them on receive, in netaio's order (§6.1).
public final class Session {
    public let wire: Wire
    let config: ConformanceConfig
    let context = PluginContext.system()
    let outerAuth: HMACAuthPlugin?
    /// The outer TapescriptAuthPlugin (instead of HMAC) when configured.
    let outerTapescript: TapescriptAuthPlugin?
    let outerCipher: Sha256StreamCipherPlugin?

    /// The implementation's inner layers on its resource handlers (from the config).
    private var resourceLayers: InnerLayers
    private let sessionTag: String

    init(wire: Wire, config: ConformanceConfig, tag: String) {
        self.wire = wire
        self.config = config
        sessionTag = tag
        outerAuth = config.hmacSecret.map { HMACAuthPlugin(secret: $0) }
        outerTapescript = config.tapescriptSeed.flatMap { try? TapescriptAuthPlugin.singleSig(seed: $0) }
        outerCipher = config.cipherKey.map { Sha256StreamCipherPlugin(key: $0) }
        resourceLayers = InnerLayers(
            auth: config.innerHMACSecret.map { HMACAuthPlugin(secret: $0, hmacField: "hmac2") },
            cipher: config.innerCipherKey.map { Sha256StreamCipherPlugin(key: $0, ivField: "iv2", encryptURI: false) })
    }

    /// The layers a resource request gets by default: the configured inner HMAC/stream
    /// cipher, or X25519 to the implementation's key (learnt by advertising once).
    func defaultLayers(for type: MessageType) throws -> InnerLayers {
        guard type.rawValue <= MessageType.publishURI.rawValue else { return .none }
        if config.x25519 && config.managePeers && resourceLayers.cipher == nil {
            resourceLayers = try ConformanceCases.x25519Layers(self, tag: sessionTag)
        }
        return resourceLayers
    }

    public func close() { wire.close() }

    /// The frame bytes `send` would write.
    public func prepare(_ message: Message, inner: InnerLayers? = nil, outer: Bool = true) throws -> [UInt8] {
        let inner = try inner ?? defaultLayers(for: message.type)
        var m = message
        if let c = inner.cipher { m = try c.encrypt(m, context: context, peer: inner.peer, peerPlugin: inner.peerPlugin) }
        if let a = inner.auth { m = try a.made(m, context: context, peer: inner.peer, peerPlugin: inner.peerPlugin) }
        if outer, let c = outerCipher { m = try c.encrypt(m, context: context) }
        if outer, let a = outerAuth { m = try a.made(m, context: context) }
        if outer, let t = outerTapescript { m = try t.made(m, context: context) }
        return try m.encode()
    }

    public func send(_ message: Message, inner: InnerLayers? = nil, outer: Bool = true) throws {
        try wire.send(try prepare(message, inner: inner, outer: outer))
    }

    public func sendRaw(_ bytes: [UInt8]) throws { try wire.send(bytes) }

    public func receive(timeout: Double? = nil) throws -> Reply {
        let frame = try wire.receiveFrame(timeout: timeout ?? config.replyTimeout)
        let decoded: FrameDecoder.DecodedFrame
        do {
            decoded = try FrameDecoder().decodeFrame(frame)
        } catch {
            throw WireFailure.malformed("\(error) in \(Hex.encode(frame.prefix(32)))")
        }
        var message = decoded.message
        var authOK: Bool?
        if let a = outerAuth {
            authOK = a.check(message, context: context)
        }
        if let t = outerTapescript {
            authOK = t.check(message, context: context)
        }
        if let c = outerCipher, authOK != false, message.authFields["iv"] != nil {
            message = (try? c.decrypt(message, context: context)) ?? message
        }
        // Inner layers, where the reply carries them (error replies are plain).
        var innerOK: Bool?
        let inner = resourceLayers
        if let a = inner.auth as? HMACAuthPlugin, message.authFields[a.hmacField] != nil {
            innerOK = a.check(message, context: context)
        }
        if innerOK != false, let c = inner.cipher {
            if let stream = c as? Sha256StreamCipherPlugin {
                if message.authFields[stream.ivField] != nil, let m = try? c.decrypt(message, context: context) { message = m }
            } else if let m = try? c.decrypt(message, context: context, peer: inner.peer, peerPlugin: inner.peerPlugin) {
                message = m
            }
        }
        return Reply(frame: frame, wire: decoded.message, checksumOK: decoded.checksumMatches, outerAuth: authOK, innerAuth: innerOK, message: message)
    }

    /// The next reply, or nil if none arrives within the silence window.
    public func replyIfAny(within: Double? = nil) throws -> Reply? {
        do {
            return try receive(timeout: within ?? config.silence)
        } catch WireFailure.timeout {
            return nil
        }
    }

    /// Sends and waits for one reply.
    public func exchange(_ message: Message, inner: InnerLayers? = nil) throws -> Reply {
        try send(message, inner: inner)
        return try receive()
    }

    /// Removes inner layers from a reply (inner check, then inner decrypt).
    public func unwrap(_ reply: Reply, inner: InnerLayers) throws -> (authOK: Bool?, message: Message) {
        var m = reply.message
        var ok: Bool?
        if let a = inner.auth { ok = a.check(m, context: context, peer: inner.peer, peerPlugin: inner.peerPlugin) }
        if let c = inner.cipher { m = try c.decrypt(m, context: context, peer: inner.peer, peerPlugin: inner.peerPlugin) }
        return (ok, m)
    }
}
