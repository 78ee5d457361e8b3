import Foundation
import Testing
import NetaioTestSupport
@testable import NetaioWire

/// Every packify vector made by the real packify 0.4.0, checked both ways.
@Suite struct PackifyVectorTests {
    @Test func packVectorsEncodeAndDecode() throws {
        let vectors = Fixtures.vectors(kind: "packify.pack")
        #expect(vectors.count == 50)
        for v in vectors {
            let name = v["name"] as! String
            let value = try TypedValue.decode(v["input"]!)
            let expected = bytes(v["expected_hex"])
            #expect(try Packify.encode(value) == expected, "encode \(name)")
            let decoded = try Packify.decode(expected)
            #expect(decoded.sameValue(as: value), "decode \(name): \(decoded)")
            // Re-encoding what we decoded gives the canonical bytes again.
            #expect(try Packify.encode(decoded) == expected, "re-encode \(name)")
        }
    }

    @Test func largeValueVector() throws {
        for v in Fixtures.vectors(kind: "packify.pack_large") {
            let spec = v["input_spec"] as! [String: Any]
            #expect(spec["type"] as? String == "bytes")
            let fill = bytes(spec["fill_byte_hex"])[0]
            let value = PackifyValue.bytes([UInt8](repeating: fill, count: spec["length"] as! Int))
            let encoded = try Packify.encode(value)
            #expect(encoded.count == v["expected_length"] as! Int)
            #expect(Array(encoded.prefix(8)) == bytes(v["expected_prefix_hex"]))
            #expect(sha256Hex(encoded) == v["expected_sha256"] as! String)
            #expect(try Packify.decode(encoded) == value)
        }
    }

    @Test func lenientInputsDecodeLikePackify() throws {
        let vectors = Fixtures.vectors(kind: "packify.unpack_lenient")
        #expect(vectors.count == 12)
        for v in vectors {
            let decoded = try Packify.decode(bytes(v["input_hex"]))
            let expected = try TypedValue.decode(v["expected"]!)
            #expect(decoded.sameValue(as: expected), "\(v["name"]!): got \(decoded)")
        }
    }

    @Test func rejectedInputsGiveTypedErrors() throws {
        let vectors = Fixtures.vectors(kind: "packify.unpack_reject")
        #expect(vectors.count == 28)
        for v in vectors {
            let input = bytes(v["input_hex"])
            #expect(throws: PackifyError.self, "\(v["name"]!) must be rejected: \(v["reason"]!)") {
                try Packify.decode(input)
            }
        }
    }
}
