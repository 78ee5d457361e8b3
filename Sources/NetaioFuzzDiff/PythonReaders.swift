import Foundation
import NetaioWire
import NetaioTestSupport

/// The Python side: the same ops run by scripts/python/oracle.py in the real netaio 0.0.9
/// and packify 0.4.0, through one long-lived subprocess.
struct PythonReaders {
    let oracle: PythonOracle

    /// Fixed plugin settings of the plugin ops (the Swift side uses the same).
    nonisolated(unsafe) static let arguments: [String: [String: Any]] = [
        "hmac_check": ["secret": "test"],
        "stream_decrypt": ["key": "test", "encrypt_uri": true],
        "stream_decrypt_plain_uri": ["key": "test", "encrypt_uri": false],
    ]

    func outcome(_ op: String, _ input: [UInt8]) throws -> Outcome {
        var request = Self.arguments[op] ?? [:]
        request["op"] = op == "stream_decrypt_plain_uri" ? "stream_decrypt" : op
        request["hex"] = Hex.encode(input)
        switch try oracle.outcome(request) {
        case .failure(let failure):
            guard failure.fromPython else { throw failure }
            return .rejected(failure.description)
        case .success(let result):
            return .accepted(try decoded(op, result))
        }
    }

    private func decoded(_ op: String, _ result: Any?) throws -> Decoded {
        switch op {
        case "unpack":
            return .value(try TypedValue.decode((result as? [String: Any])?["value"]))
        case "message_decode", "udp_parse":
            return try frame(result)
        case "hmac_check":
            return .value(.bool(result as? Bool ?? false))
        case "stream_decrypt", "stream_decrypt_plain_uri":
            return .value(.bytes(bytes((result as? [String: Any])?["hex"])))
        case "tcp_read":
            let entries = result as? [Any] ?? []
            return .stream(try entries.map { entry in
                if let object = entry as? [String: Any], let error = object["error"] as? String { return .rejected(error) }
                return .accepted(try frame(entry))
            })
        default:
            throw PythonOracle.Failure(description: "no such differential op \(op)")
        }
    }

    private func frame(_ json: Any?) throws -> Decoded {
        guard let object = json as? [String: Any] else { return .checksumFailed }  // null: CRC failure
        return .frame(
            type: UInt8(object["message_type"] as? Int ?? -1),
            auth: try TypedValue.decode(object["auth_fields"]),
            uri: bytes(object["uri_hex"]), content: bytes(object["content_hex"]))
    }
}
