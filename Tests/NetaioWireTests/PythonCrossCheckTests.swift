import Foundation
import Testing
import NetaioTestSupport
@testable import NetaioWire

/// Live cross-checks against the real Python netaio 0.0.9 + packify 0.4.0: random values
/// and messages go both ways, and mutated frames must be accepted or rejected alike.
@Suite(.serialized, .enabled(if: PythonOracle.enabled, PythonOracle.skipReason)) struct PythonCrossCheckTests {
    static let seed: UInt64 = 0x6E65_7461_696F  // "netaio"

    func oracle() throws -> PythonOracle { try PythonOracle() }

    @Test func packifyValuesBothWays() throws {
        let python = try oracle()
        var random = RandomValues(seed: Self.seed)
        for i in 0..<400 {
            let value = random.value()
            let ours = try Packify.encode(value)
            // Python packs the same value to the same bytes.
            let theirs = try python.call(["op": "pack", "value": TypedValue.encode(value)]) as! [String: Any]
            #expect(theirs["hex"] as! String == ours.hex, "value \(i): \(value)")
            // Python decodes our bytes to what we decode them to.
            let unpacked = try python.call(["op": "unpack", "hex": ours.hex]) as! [String: Any]
            let pythonValue = try TypedValue.decode(unpacked["value"]!)
            #expect(try Packify.decode(ours).sameValue(as: pythonValue), "value \(i)")
        }
    }

    @Test func messagesBothWays() throws {
        let python = try oracle()
        var random = RandomValues(seed: Self.seed + 1)
        for i in 0..<300 {
            let message = random.message()
            let ours = try message.encode()
            let theirs = try python.call([
                "op": "message_encode", "message_type": Int(message.type.rawValue),
                "auth_fields": TypedValue.encode(message.authFields.packifyValue),
                "uri_hex": message.uri.hex, "content_hex": message.content.hex,
            ]) as! [String: Any]
            #expect(theirs["hex"] as! String == ours.hex, "message \(i)")
            let decoded = try python.call(["op": "message_decode", "hex": ours.hex]) as! [String: Any]
            #expect(decoded["message_type"] as? Int == Int(message.type.rawValue))
            #expect(decoded["uri_hex"] as? String == message.uri.hex)
            #expect(decoded["content_hex"] as? String == message.content.hex)
            // Values come back in canonical form (sets merged, decimals as Python prints them),
            // so compare what both sides decoded, and our re-encoding with the frame.
            let ourDecoded = try Message.decode(ours)
            #expect(try TypedValue.decode(decoded["auth_fields"]!).sameValue(as: ourDecoded.authFields.packifyValue), "message \(i)")
            #expect(ourDecoded.type == message.type && ourDecoded.body == message.body)
            #expect(try ourDecoded.encode() == ours, "message \(i) re-encodes identically")
        }
    }

    /// Damaged frames: our reference reader and Python's Message.decode agree on accept or
    /// reject, and on the decoded value when both accept.
    @Test func mutatedFramesAgreeWithReferenceDecoder() throws {
        let python = try oracle()
        var random = RandomValues(seed: Self.seed + 2)
        var disagreements: [String] = []
        for i in 0..<500 {
            var frame = try random.message().encode()
            switch Int.random(in: 0..<4, using: &random.rng) {
            case 0: frame = Array(frame.prefix(Int.random(in: 0...frame.count, using: &random.rng)))
            case 1:
                for _ in 0..<Int.random(in: 1...3, using: &random.rng) {
                    let at = Int.random(in: 0..<frame.count, using: &random.rng)
                    frame[at] ^= UInt8.random(in: 1...255, using: &random.rng)
                }
            case 2: frame += random.bytes(maxCount: 8)
            default:
                let at = Int.random(in: 9..<max(10, min(frame.count, 40)), using: &random.rng)
                if at < frame.count { frame[at] = UInt8.random(in: 0...255, using: &random.rng) }
            }
            let ours = Result { () throws(WireError) in try ReferenceReaders.messageDecode(frame) }
            let theirs = try python.outcome(["op": "message_decode", "hex": frame.hex])
            switch (ours, theirs) {
            case (.success(let f), .success(let t)):
                let t = t as! [String: Any]
                let same = (try? TypedValue.decode(t["auth_fields"]!).sameValue(as: f.authBlock)) == true
                    && t["uri_hex"] as? String == f.body.uri.hex && t["content_hex"] as? String == f.body.content.hex
                if !same { disagreements.append("frame \(i) \(frame.hex): values differ") }
            case (.failure, .failure): break
            case (.success, .failure(let e)): disagreements.append("frame \(i) \(frame.hex): we accept, Python: \(e)")
            case (.failure(let e), .success): disagreements.append("frame \(i) \(frame.hex): Python accepts, we: \(e)")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements:\n\(disagreements.prefix(5).joined(separator: "\n"))")
    }
}
