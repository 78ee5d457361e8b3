import NetaioWire

/// Reads the typed JSON form of packify values used by vectors.json and the oracle
/// (PROTOCOL.md §12).
enum TypedValue {
    struct FormatError: Error, CustomStringConvertible { let description: String }

    static func decode(_ json: Any?) throws -> PackifyValue {
        guard let object = json as? [String: Any], let type = object["type"] as? String else {
            throw FormatError(description: "not a typed value: \(String(describing: json))")
        }
        func hex(_ key: String) throws -> [UInt8] {
            guard let b = hexBytes(object[key]) else { throw FormatError(description: "bad \(key) in \(object)") }
            return b
        }
        func items() throws -> [PackifyValue] { try (object["items"] as? [Any] ?? []).map(decode) }
        switch type {
        case "none": return .none
        case "bool": return .bool(object["value"] as? Bool ?? false)
        case "int":
            guard let text = object["value"] as? String, let i = PackifyInteger(decimalString: text) else {
                throw FormatError(description: "bad int \(object)")
            }
            return .int(i)
        case "float":
            return .float(Double(bitPattern: try hex("bits_hex").reduce(UInt64(0)) { $0 << 8 | UInt64($1) }))
        case "str":
            if object["utf8_hex"] != nil { return .string(String(decoding: try hex("utf8_hex"), as: UTF8.self)) }
            return .string(object["value"] as? String ?? "")
        case "bytes": return .bytes(try hex("hex"))
        case "bytearray": return .bytearray(try hex("hex"))
        case "decimal": return .decimal(object["value"] as? String ?? "")
        case "list": return .list(try items())
        case "tuple": return .tuple(try items())
        case "set": return .set(try items())
        case "dict":
            return .dict(try (object["entries"] as? [[Any]] ?? []).map { PackifyDictEntry(try decode($0[0]), try decode($0[1])) })
        default: throw FormatError(description: "unknown typed value \(type)")
        }
    }

    /// Auth fields from a typed dict, in the vector's order.
    static func authFields(_ json: Any?) throws -> AuthFields {
        guard case .dict(let entries) = try decode(json) else { throw FormatError(description: "auth fields are not a dict") }
        return AuthFields(entries.map { (($0.key.stringValue ?? ""), $0.value) })
    }
}
