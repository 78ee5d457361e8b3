import NetaioTestSupport
import Testing
import NetaioPlugins

/// DefaultPeerPlugin and the peer-management message bodies against the real library.
@Suite struct PeerVectorTests {
    let plugin = DefaultPeerPlugin()

    @Test func encodeDataAndParseData() throws {
        for v in Fixtures.vectors(kind: "peer.encode_data") {
            let data = try TypedValue.decode(v["input"])
            let encoded = try plugin.encodeData(data, peerID: [9])
            #expect(encoded.hex == v["expected_hex"] as? String)
            let parsed = try plugin.parseData(Peer(data: bytes(v["expected_hex"])))
            #expect(parsed["name"] == .string("alice"))
            #expect(try Packify.encode(parsed) == encoded)
        }
    }

    @Test func packAndUnpack() throws {
        let vectors = Fixtures.vectors(kind: "peer.pack")
        #expect(vectors.count == 3)
        for v in vectors {
            let input = v[object: "input"]
            let peer = Peer(addrs: [Address(host: "10.0.0.1", port: 8888)], id: hexBytes(input["id_hex"]), data: hexBytes(input["data_hex"]))
            #expect(try plugin.pack(peer).hex == v["expected_hex"] as? String, "\(v.name)")
            let unpacked = try plugin.unpack(bytes(v["expected_hex"]))
            #expect(unpacked == Peer(id: peer.id, data: peer.data), "\(v.name): addresses are not carried")
        }
    }

    @Test func validate() {
        #expect(plugin.validate(Peer(id: [])))
        #expect(!plugin.validate(Peer(data: [1])))
    }

    @Test func peerManagementMessages() throws {
        let vectors = Fixtures.vectors(kind: "peer_mgmt.message")
        #expect(vectors.count == 7)
        for v in vectors {
            let input = v[object: "input"]
            let local = input[object: "local_peer"]
            let localPeer = Peer(id: bytes(local["id_hex"]), data: bytes(local["data_hex"]))
            var message = Message(type: MessageType(UInt8(input["message_type"] as! Int)), uri: bytes(input["app_id_hex"]), content: try plugin.pack(localPeer))
            let outer = input[object: "outer_auth"]
            var auth: HMACAuthPlugin?
            if let secret = outer["secret_utf8"] as? String {
                let context = PluginContext(random: FixedRandomSource(bytes: bytes(outer["nonce_hex"])), clock: FixedUnixClock(Double(outer["time"] as! Int)))
                auth = HMACAuthPlugin(secret: secret)
                message = try auth!.made(message, context: context)
            }
            #expect(try message.encode().hex == v["expected_hex"] as? String, "\(v.name)")
            let received = try Message.decode(bytes(v["expected_hex"]))
            #expect(try plugin.unpack(received.content) == localPeer, "\(v.name)")
            if let auth { #expect(auth.check(received, context: .system())) }
        }
    }
}
