import Foundation
import NetaioPlugins
import NetaioWire

/// What `netaio decode` prints: the decoded frame plus, when keys are given, what the
/// receiving node would conclude (auth check first, then decryption, as netaio does).
struct FrameReport {
    let frame: FrameDecoder.DecodedFrame
    let hmacSecret: String?
    let cipherKey: String?
    let encryptURI: Bool

    func json() -> String {
        let message = frame.message
        var object: [String: Any] = [
            "type": MessageTypeSet.standard.name(of: message.type) ?? "UNKNOWN",
            "type_value": Int(message.type.rawValue),
            "auth_fields": authFieldsObject(message.authFields),
            "uri_hex": Hex.encode(message.uri),
            "content_hex": Hex.encode(message.content),
            "checksum_ok": frame.checksumMatches,
            "frame_length": frame.length,
        ]
        if let text = String(validating: message.uri, as: UTF8.self) { object["uri"] = text }
        if let text = String(validating: message.content, as: UTF8.self) { object["content"] = text }
        // Checks use the system clock and randomness: this is a live tool, not a simulation.
        let context = PluginContext.system()
        if let hmacSecret {
            object["auth_ok"] = HMACAuthPlugin(secret: hmacSecret).check(message, context: context)
        }
        if let cipherKey {
            let cipher = Sha256StreamCipherPlugin(key: cipherKey, encryptURI: encryptURI)
            do {
                let plain = try cipher.decrypt(message, context: context)
                var decrypted: [String: Any] = [
                    "uri_hex": Hex.encode(plain.uri), "content_hex": Hex.encode(plain.content),
                ]
                if let text = String(validating: plain.uri, as: UTF8.self) { decrypted["uri"] = text }
                if let text = String(validating: plain.content, as: UTF8.self) { decrypted["content"] = text }
                object["decrypted"] = decrypted
            } catch {
                object["decrypt_error"] = "\(error.code): \(error)"
            }
        }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
        return String(decoding: data, as: UTF8.self)
    }

    /// Bytes fields as hex (what people compare with captures); anything else as its
    /// packed bytes in hex under `packed_hex` so nothing is lost.
    private func authFieldsObject(_ fields: AuthFields) -> [String: Any] {
        var out: [String: Any] = [:]
        for (name, value) in fields.fields {
            if let bytes = value.byteArrayValue {
                out[name] = Hex.encode(bytes)
            } else if let packed = try? Packify.encode(value) {
                out[name] = ["packed_hex": Hex.encode(packed)]
            }
        }
        return out
    }
}
