import Foundation
import NetaioTestSupport
import NetaioWire
import Testing

/// `netaio decode` as scripts use it: frames made by the real Python netaio (through the
/// oracle), decoded by the built executable, judged by its JSON and exit code.
@Suite(.enabled(if: PythonOracle.enabled, PythonOracle.skipReason))
struct DecodeCommandTests {
    func json(_ outcome: BuiltProducts.Outcome) throws -> [String: Any] {
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        return try #require(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
    }

    @Test func plainFrameFromPython() throws {
        let oracle = try PythonOracle.start()
        let frame = try oracle.hex("message_encode", [
            "message_type": 3, "uri_hex": Hex.encode(Array("a/b".utf8)), "content_hex": "00ff10",
        ])
        let out = try json(BuiltProducts.run("netaio", ["decode", "--hex", Hex.encode(frame)]))
        #expect(out["type"] as? String == "UPDATE_URI")
        #expect(out["type_value"] as? Int == 3)
        #expect(out["uri_hex"] as? String == Hex.encode(Array("a/b".utf8)))
        #expect(out["uri"] as? String == "a/b")
        #expect(out["content_hex"] as? String == "00ff10")
        #expect(out["checksum_ok"] as? Bool == true)
        #expect((out["auth_fields"] as? [String: Any])?.isEmpty == true)
    }

    @Test func hmacAndStreamCipherFromPython() throws {
        let oracle = try PythonOracle.start()
        let plain = try oracle.hex("message_encode", [
            "message_type": 0, "uri_hex": Hex.encode(Array("secret/place".utf8)),
            "content_hex": Hex.encode(Array("hello".utf8)),
        ])
        let sealed = try oracle.hex("two_layer_send", [
            "hex": Hex.encode(plain),
            "outer_cipher": ["kind": "stream", "key": "k3y"],
            "outer_auth": ["kind": "hmac", "secret": "s3cret"],
        ])
        let good = try json(BuiltProducts.run("netaio", [
            "decode", "--hex", Hex.encode(sealed), "--hmac-secret", "s3cret", "--cipher-key", "k3y",
        ]))
        #expect(good["auth_ok"] as? Bool == true)
        let decrypted = try #require(good["decrypted"] as? [String: Any])
        #expect(decrypted["uri"] as? String == "secret/place")
        #expect(decrypted["content"] as? String == "hello")
        let fields = try #require(good["auth_fields"] as? [String: Any])
        #expect(Set(fields.keys) == ["hmac", "nonce", "ts", "iv"])
        #expect((fields["hmac"] as? String)?.count == 64)

        let wrong = try json(BuiltProducts.run("netaio", [
            "decode", "--hex", Hex.encode(sealed), "--hmac-secret", "other",
        ]))
        #expect(wrong["auth_ok"] as? Bool == false)
        #expect(wrong["decrypted"] == nil)
    }

    @Test func checksumMismatchIsReportedNotRejected() throws {
        var frame = try Message(type: .requestURI, uri: Array("x".utf8), content: [1, 2, 3]).encode()
        frame[frame.count - 1] ^= 0xff
        let out = try json(BuiltProducts.run("netaio", ["decode", "--hex", Hex.encode(frame)]))
        #expect(out["checksum_ok"] as? Bool == false)
        #expect(out["content_hex"] as? String == "0102fc")
    }

    @Test func fileAndStdinInput() throws {
        let frame = try Message(type: .ok, uri: Array("u".utf8), content: Array("c".utf8)).encode()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("netaio-decode-\(getpid()).bin")
        try Data(frame).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        #expect(try json(BuiltProducts.run("netaio", ["decode", "--file", path.path]))["type"] as? String == "OK")
        #expect(try json(BuiltProducts.run("netaio", ["decode", "--file", "-"], stdin: frame))["uri"] as? String == "u")
    }

    @Test func malformedFrameExits65WithOneTypedLine() throws {
        let frame = try Message(type: .ok, uri: Array("u".utf8), content: Array("c".utf8)).encode()
        let truncated = Array(frame.dropLast()), trailing = frame + [0], unknownType = [0x63] + Array(frame.dropFirst())
        for bad: [UInt8] in [truncated, trailing, unknownType, [1, 2, 3]] {
            let out = try BuiltProducts.run("netaio", ["decode", "--hex", Hex.encode(bad)])
            #expect(out.status == 65, "\(Hex.encode(bad)): \(out.stderr)")
            #expect(out.stdout.isEmpty)
            let lines = out.stderr.split(separator: "\n").map(String.init)
            #expect(lines.count == 1 && lines.first?.hasPrefix("error: ") == true, "\(out.stderr)")
        }
    }

    @Test func usageErrors() throws {
        #expect(try BuiltProducts.run("netaio", ["decode"]).status == 64)
        #expect(try BuiltProducts.run("netaio", ["decode", "--hex", "abc"]).status == 64)
        #expect(try BuiltProducts.run("netaio", ["decode", "--file", "/nonexistent/x"]).status == 66)
        let help = try BuiltProducts.run("netaio", ["decode", "--help"])
        #expect(help.status == 0 && help.stdout.contains("checksum_ok"))
    }
}
