import Foundation
import Testing
import NetaioTestSupport
@testable import NetaioWire

/// Header, body, message and reader vectors made by the real netaio 0.0.9.
@Suite struct FrameVectorTests {
    @Test func standardMessageTypesMatchTheReference() {
        let table = Fixtures.vectors(kind: "enum.message_types")[0]["values"] as! [String: Int]
        #expect(table.count == 19)
        #expect(MessageTypeSet.standard.entries.count == 19)
        for (name, value) in table {
            #expect(MessageTypeSet.standard.type(named: name)?.rawValue == UInt8(value), "\(name)")
        }
    }

    @Test func headerVectors() throws {
        for v in Fixtures.vectors(kind: "header.encode") {
            let input = v["input"] as! [String: Any]
            let header = Header(
                messageType: MessageType(UInt8(input["message_type"] as! Int)),
                authLength: UInt16(input["auth_length"] as! Int),
                bodyLength: UInt16(input["body_length"] as! Int),
                checksum: UInt32(input["checksum"] as! Int))
            let expected = bytes(v["expected_hex"])
            #expect(header.encode() == expected, "\(v["name"]!)")
            let types = try MessageTypeSet.make(custom: header.messageType.rawValue > 30 ? [("X", Int(header.messageType.rawValue))] : [])
            #expect(try Header.decode(expected, types: types) == header)
        }
    }

    @Test func bodyVectors() throws {
        for v in Fixtures.vectors(kind: "body.encode") {
            let input = v["input"] as! [String: Any]
            let body = Body(uri: bytes(input["uri_hex"]), content: bytes(input["content_hex"]))
            let expected = bytes(v["expected_hex"])
            #expect(body.encode() == expected, "\(v["name"]!)")
            #expect(body.checksum == UInt32(v["expected_crc32"] as! Int), "\(v["name"]!) crc")
            #expect(CRC32.checksum(expected) == UInt32(v["expected_crc32"] as! Int))
            #expect(try Body.decode(expected) == body)
        }
    }

    @Test func bodyPrepareLimit() {
        for v in Fixtures.vectors(kind: "body.prepare_limit") {
            let input = v["input"] as! [String: Any]
            let content = [UInt8](repeating: 0x61, count: input["content_len"] as! Int)
            let uri = [UInt8](repeating: 0x62, count: input["uri_len"] as! Int)
            let accepted = (try? Body.prepare(content: content, uri: uri, overhead: input["overhead"] as! Int)) != nil
            #expect(accepted == (v["accepted"] as! Bool), "\(v["name"]!)")
        }
    }

    @Test func messageEncodeVectors() throws {
        let vectors = Fixtures.vectors(kind: "message.encode") + Fixtures.vectors(kind: "peer_mgmt.message").filter {
            ($0["input"] as! [String: Any])["auth_fields"] != nil
        }
        #expect(vectors.count >= 16)
        for v in vectors {
            let message = try Self.message(from: v["input"] as! [String: Any])
            let expected = bytes(v["expected_hex"])
            #expect(try message.encode() == expected, "encode \(v["name"]!)")
            let raw = message.type.rawValue
            let types = try MessageTypeSet.make(custom: raw > 30 ? [("CUSTOM", Int(raw))] : [])
            #expect(try Message.decode(expected, types: types) == message, "decode \(v["name"]!)")
            if raw > 30 {
                #expect(throws: WireError.unknownMessageType(raw)) { try Message.decode(expected) }
            }
        }
    }

    @Test func peerManagementMessagesWithoutPlugins() throws {
        for v in Fixtures.vectors(kind: "peer_mgmt.message") where v["expected_hex"] != nil {
            let input = v["input"] as! [String: Any]
            guard input["outer_hmac"] == nil, (v["name"] as! String).contains("hmac") == false else { continue }
            let local = input["local_peer"] as! [String: Any]
            let packed = try Packify.encode(.tuple([.bytes(bytes(local["id_hex"])), .bytes(bytes(local["data_hex"]))]))
            let message = Message(
                type: MessageType(UInt8(input["message_type"] as! Int)), uri: bytes(input["app_id_hex"]), content: packed)
            #expect(try message.encode() == bytes(v["expected_hex"]), "\(v["name"]!)")
        }
    }

    @Test func rejectedFramesGiveTypedErrors() {
        let vectors = Fixtures.vectors(kind: "message.decode_reject")
        #expect(vectors.count == 19)
        for v in vectors {
            let input = bytes(v["input_hex"])
            #expect(throws: WireError.self, "strict: \(v["name"]!)") { try Message.decode(input) }
            #expect(throws: WireError.self, "reference: \(v["name"]!)") { try ReferenceReaders.messageDecode(input) }
        }
    }

    /// The reference accepts these; our reference reader must too, with the same values.
    /// The strict decoder rejects all but one with a typed error (docs/differences.md).
    @Test func lenientFramesMatchTheReferenceReader() throws {
        let vectors = Fixtures.vectors(kind: "message.decode_lenient")
        #expect(vectors.count == 5)
        var strictlyAccepted: [String] = []
        for v in vectors {
            let name = v["name"] as! String
            let input = bytes(v["input_hex"])
            let expected = v["expected"] as! [String: Any]
            let frame = try ReferenceReaders.messageDecode(input)
            #expect(frame.header.messageType.rawValue == UInt8(expected["message_type"] as! Int), "\(name)")
            #expect(frame.header.authLength == UInt16(expected["auth_length"] as! Int), "\(name)")
            #expect(frame.header.bodyLength == UInt16(expected["body_length"] as! Int), "\(name)")
            #expect(frame.authBlock.sameValue(as: try TypedValue.decode(expected["auth_fields"]!)), "\(name)")
            #expect(frame.body == Body(uri: bytes(expected["uri_hex"]), content: bytes(expected["content_hex"])), "\(name)")
            if (try? Message.decode(input)) != nil { strictlyAccepted.append(name) }
        }
        // Only non-bytes field values are acceptable to the strict decoder: plugins check types.
        #expect(strictlyAccepted == ["message/lenient/auth_non_bytes_values"])
    }

    @Test func tcpStreamVectors() throws {
        for v in Fixtures.vectors(kind: "tcp.stream_read") {
            var stream = ArraySlice(bytes(v["input_hex"]))
            for (i, expected) in (v["expected"] as! [Any]).enumerated() {
                let (frame, consumed) = try ReferenceReaders.tcpRead(stream)
                stream = stream.dropFirst(consumed)
                if expected is NSNull {
                    #expect(!frame.checksumMatches, "\(v["name"]!) frame \(i) must fail its checksum")
                    continue
                }
                let e = expected as! [String: Any]
                #expect(frame.checksumMatches)
                #expect(frame.header.messageType.rawValue == UInt8(e["message_type"] as! Int))
                #expect(frame.authBlock.sameValue(as: try TypedValue.decode(e["auth_fields"]!)))
                #expect(frame.body == Body(uri: bytes(e["uri_hex"]), content: bytes(e["content_hex"])))
            }
            #expect(stream.isEmpty, "\(v["name"]!): stream fully consumed")
        }
    }

    /// Our own stream framing (FrameDecoder) agrees with the reference on the same streams.
    @Test func frameDecoderFollowsHeaderLengths() throws {
        for v in Fixtures.vectors(kind: "tcp.stream_read") {
            var stream = ArraySlice(bytes(v["input_hex"]))
            for expected in v["expected"] as! [Any] {
                let length = FrameDecoder.frameLength(header: stream)!
                let frame = try FrameDecoder().decodeFrame(stream.prefix(length))
                #expect(frame.length == length)
                #expect(frame.checksumMatches == !(expected is NSNull))
                stream = stream.dropFirst(length)
            }
            #expect(stream.isEmpty)
        }
    }

    @Test func udpDatagramVectors() throws {
        for v in Fixtures.vectors(kind: "udp.datagram_parse") {
            let frame = try ReferenceReaders.udpParse(bytes(v["input_hex"]))
            let e = v["expected"] as! [String: Any]
            #expect(frame.checksumMatches, "\(v["name"]!)")
            #expect(frame.header.messageType.rawValue == UInt8(e["message_type"] as! Int))
            #expect(frame.authBlock.sameValue(as: try TypedValue.decode(e["auth_fields"]!)))
            #expect(frame.body == Body(uri: bytes(e["uri_hex"]), content: bytes(e["content_hex"])))
        }
    }

    static func message(from input: [String: Any]) throws -> Message {
        var fields = AuthFields()
        if let auth = input["auth_fields"] {
            guard case .dict(let entries) = try TypedValue.decode(auth) else { throw TypedValue.FormatError(description: "auth not dict") }
            for e in entries { fields[e.key.stringValue!] = e.value }
        }
        return Message(
            type: MessageType(UInt8(input["message_type"] as! Int)), authFields: fields,
            body: Body(uri: bytes(input["uri_hex"]), content: bytes(input["content_hex"])))
    }
}
