import Foundation
import NetaioWire
import NetaioTestSupport

/// The Python side: the same ops run by scripts/python/oracle.py in the real netaio 0.0.9
/// and packify 0.4.0, through one long-lived subprocess.
struct PythonReaders {
    let oracle: PythonOracle

    func outcome(_ op: String, _ input: [UInt8]) throws -> Outcome {
        switch try oracle.outcome(["op": op, "hex": Hex.encode(input)]) {
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
