import Foundation
import Crypto
import NetaioWire

/// The typed JSON form of packify values used by vectors.json and the Python oracle
/// (docs/PROTOCOL.md §12), in both directions.
public enum TypedValue {
    public struct FormatError: Error, CustomStringConvertible {
        public init(description: String) { self.description = description }
        public let description: String
    }

    public static func decode(_ json: Any?) throws -> PackifyValue {
        guard let object = json as? [String: Any], let type = object["type"] as? String else {
            throw FormatError(description: "not a typed value: \(String(describing: json))")
        }
        func hex(_ key: String) throws -> [UInt8] {
            guard let text = object[key] as? String, let bytes = Hex.decode(text) else {
                throw FormatError(description: "bad \(key) in \(object)")
            }
            return bytes
        }
        func items() throws -> [PackifyValue] {
            try (object["items"] as? [Any] ?? []).map(decode)
        }
        switch type {
        case "none": return .none
        case "bool": return .bool(object["value"] as! Bool)
        case "int":
            guard let text = object["value"] as? String, let i = PackifyInteger(decimalString: text) else {
                throw FormatError(description: "bad int \(object)")
            }
            return .int(i)
        case "float":
            let bits = try hex("bits_hex").reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            return .float(Double(bitPattern: bits))
        case "str":
            if object["utf8_hex"] != nil {
                return .string(String(decoding: try hex("utf8_hex"), as: UTF8.self))
            }
            return .string(object["value"] as! String)
        case "bytes": return .bytes(try hex("hex"))
        case "bytearray": return .bytearray(try hex("hex"))
        case "decimal": return .decimal(object["value"] as! String)
        case "list": return .list(try items())
        case "tuple": return .tuple(try items())
        case "set": return .set(try items())
        case "dict":
            let entries = try (object["entries"] as? [[Any]] ?? []).map { pair in
                PackifyDictEntry(try decode(pair[0]), try decode(pair[1]))
            }
            return .dict(entries)
        default:
            throw FormatError(description: "unknown typed value \(type)")
        }
    }

    /// Auth fields from a typed dict, in the vector's order.
    public static func authFields(_ json: Any?) throws -> AuthFields {
        guard case .dict(let entries) = try decode(json) else { throw FormatError(description: "auth fields are not a dict") }
        return AuthFields(entries.map { (($0.key.stringValue ?? ""), $0.value) })
    }

    public static func encode(_ value: PackifyValue) -> [String: Any] {
        switch value {
        case .none: return ["type": "none"]
        case .bool(let b): return ["type": "bool", "value": b]
        case .int(let i): return ["type": "int", "value": i.description]
        case .float(let f):
            return ["type": "float", "bits_hex": Hex.encode(withUnsafeBytes(of: f.bitPattern.bigEndian) { Array($0) })]
        case .string(let s): return ["type": "str", "value": s, "utf8_hex": Hex.encode(s.utf8)]
        case .bytes(let b): return ["type": "bytes", "hex": Hex.encode(b)]
        case .bytearray(let b): return ["type": "bytearray", "hex": Hex.encode(b)]
        case .decimal(let s): return ["type": "decimal", "value": s]
        case .list(let a): return ["type": "list", "items": a.map(encode)]
        case .tuple(let a): return ["type": "tuple", "items": a.map(encode)]
        case .set(let a): return ["type": "set", "items": a.map(encode)]
        case .dict(let e): return ["type": "dict", "entries": e.map { [encode($0.key), encode($0.value)] }]
        }
    }
}

extension PackifyValue {
    /// Equality that ignores the order of set items and dict entries (their wire order is
    /// canonical anyway), for comparing decoded values with Python's.
    public func sameValue(as other: PackifyValue) -> Bool {
        switch (self, other) {
        case (.list(let a), .list(let b)), (.tuple(let a), .tuple(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.sameValue(as: $1) }
        case (.set(let a), .set(let b)):
            return a.count == b.count && a.allSatisfy { x in b.contains { x.sameValue(as: $0) } }
        case (.dict(let a), .dict(let b)):
            return a.count == b.count
                && a.allSatisfy { x in b.contains { x.key.sameValue(as: $0.key) && x.value.sameValue(as: $0.value) } }
        default:
            return self == other
        }
    }
}

extension Array where Element == UInt8 {
    public var hex: String { Hex.encode(self) }
}

public func bytes(_ hex: Any?) -> [UInt8] {
    Hex.decode(hex as? String ?? "")!
}

public func sha256Hex(_ data: [UInt8]) -> String {
    Hex.encode(SHA256.hash(data: data))
}
