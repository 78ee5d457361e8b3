import Foundation
import NetaioWire

/// How client commands print a message: `TYPE content` (content as UTF-8 text, or
/// `0x` + hex when it is not UTF-8; nothing after TYPE when empty), or with --json one
/// JSON object per line (`type`, `type_value`, `uri`, `uri_hex`, `content`, `content_hex`).
enum MessageOutput {
    static func line(_ message: Message, json: Bool) -> String {
        let type = MessageTypeSet.standard.name(of: message.type) ?? "\(message.type.rawValue)"
        if json {
            var object: [String: Any] = [
                "type": type, "type_value": Int(message.type.rawValue),
                "uri_hex": Hex.encode(message.uri), "content_hex": Hex.encode(message.content),
            ]
            if let text = String(validating: message.uri, as: UTF8.self) { object["uri"] = text }
            if let text = String(validating: message.content, as: UTF8.self) { object["content"] = text }
            let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
        if message.content.isEmpty { return type }
        if let text = String(validating: message.content, as: UTF8.self) { return "\(type) \(text)" }
        return "\(type) 0x\(Hex.encode(message.content))"
    }
}
