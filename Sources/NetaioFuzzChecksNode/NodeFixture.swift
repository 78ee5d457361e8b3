import NetaioCore
import NetaioFuzzChecks

/// The node under fuzz and the well-behaved client that proves it still works: both with
/// outer HMAC auth and stream cipher ("plugins on"), peer management, an `echo` handler
/// and a `secret` handler behind inner plugins.
struct NodeFixture {
    static let serverAddress = Address(host: "10.0.0.1", port: 8888)
    static let clientAddress = Address(host: "10.0.0.9", port: 8888)
    static let outerAuth = HMACAuthPlugin(secret: "fuzz outer secret")
    static let outerCipher = Sha256StreamCipherPlugin(key: "fuzz outer key")
    static let innerAuth = HMACAuthPlugin(secret: "fuzz inner secret", hmacField: "ihmac", nonceField: "inonce", tsField: "its")
    static let innerCipher = Sha256StreamCipherPlugin(key: "fuzz inner key", ivField: "iiv", encryptURI: false)
    static let uris: [[UInt8]] = [Array("echo".utf8), Array("secret".utf8), NodeEngine.defaultAppID, Array("ERROR".utf8), []]

    let clock = ManualUnixClock(1_700_000_000)
    let server: NodeEngine

    init(role: Role) throws(FuzzFailure) {
        server = NodeEngine(Self.configuration(role, clock: clock, at: Self.serverAddress, name: "server"))
        server.on(HandlerKey(.requestURI, uri: "echo")) { m, _ in .respondURI(content: m.content, uri: m.uri) }
        server.on(HandlerKey(.requestURI, uri: "secret"), authPlugin: Self.innerAuth, cipherPlugin: Self.innerCipher) { m, _ in
            .respondURI(content: m.content.reversed(), uri: m.uri)
        }
        do { try server.managePeers() } catch { throw FuzzFailure("managePeers failed: \(error)") }
    }

    static func configuration(_ role: Role, clock: ManualUnixClock, at address: Address, name: String) -> NodeConfiguration {
        let data = try? Packify.encode(.dict([PackifyDictEntry("name", .string(name))]))
        var c = NodeConfiguration(role: role, random: SeededRandomSource(seed: 7), clock: clock,
                                  localPeer: Peer(id: Array(name.utf8), data: data))
        c.authPlugin = outerAuth
        c.cipherPlugin = outerCipher
        c.localAddress = address
        c.multicastGroup = Address(host: "224.0.0.1", port: 8888)
        c.maxPeers = 16
        return c
    }

    /// A frame a legitimate sender could produce from fuzz-chosen parts (type, uri,
    /// content, extra auth fields, inner layers or not), then possibly damaged in one byte.
    static func sealedFrame(_ reader: inout FuzzInput, context: PluginContext) -> [UInt8]? {
        let flags = reader.byte()
        let type = MessageType(reader.byte() % 31)
        let uriChoice = Int(reader.byte())
        let uri = uriChoice < 200 ? uris[uriChoice % uris.count] : reader.shortBytes(max: 32)
        var message = Message(type: type, authFields: fuzzFields(reader.shortBytes()), body: Body(uri: uri, content: reader.shortBytes()))
        if flags & 2 != 0, let peer = try? DefaultPeerPlugin().unpack(reader.shortBytes()) {
            message.content = (try? DefaultPeerPlugin().pack(peer)) ?? message.content  // a peer record as content
        }
        do {
            if flags & 4 != 0 {
                message = try innerCipher.encrypt(message, context: context)
                try innerAuth.make(&message.authFields, body: message.body, context: context)
            }
            if flags & 8 == 0 { message = try outerCipher.encrypt(message, context: context) }
            if flags & 16 == 0 { try outerAuth.make(&message.authFields, body: message.body, context: context) }
            var frame = try message.encode()
            if flags & 32 != 0, !frame.isEmpty {
                let at = reader.uint16() % frame.count
                frame[at] ^= max(1, reader.byte())
            }
            return frame
        } catch {
            return nil
        }
    }

    /// Drains the server's actions, checking that everything it sends is a valid frame.
    /// Returns the sends.
    @discardableResult
    func drain(limit: Int) throws(FuzzFailure) -> [(bytes: [UInt8], to: Endpoint)] {
        let actions = server.takeActions()
        try require(actions.count <= limit, "\(actions.count) actions for one delivery")
        var sends: [(bytes: [UInt8], to: Endpoint)] = []
        for action in actions {
            switch action {
            case .send(let bytes, let to):
                try require((try? Message.decode(bytes)) != nil, "the node sent an undecodable frame \(Hex.encode(bytes.prefix(64)))")
                sends.append((bytes, to))
            case .multicast(let bytes, _):
                try require((try? Message.decode(bytes)) != nil, "the node multicast an undecodable frame")
            default:
                break
            }
        }
        return sends
    }
}
