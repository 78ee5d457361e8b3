import NetaioPlugins

/// Malformed inputs for the "garbage in never traps" properties: packify values of every
/// type where bytes are expected, wrong lengths, missing fields, random bodies.
enum Garbage {
    static func value(_ g: inout SplitMix64, depth: Int = 0) -> PackifyValue {
        switch g.int(in: 0...(depth > 1 ? 7 : 10)) {
        case 0: return .none
        case 1: return .bytes(g.bytes(g.int(in: 0...40)))
        case 2: return .bytes(g.bytes(g.chance(2) ? 16 : 4))  // plausible lengths, wrong bytes
        case 3: return .bytearray(g.bytes(g.int(in: 0...33)))
        case 4: return .int(g.int(in: -3...5_000_000_000))
        case 5: return .bool(g.chance(2))
        case 6: return .string(String(decoding: g.bytes(g.int(in: 0...12)).map { 0x61 + $0 % 26 }, as: UTF8.self))
        case 7: return .float(Double(g.int(in: -1000...1000)) / 7)
        case 8: return .list((0..<g.int(in: 0...3)).map { _ in value(&g, depth: depth + 1) })
        case 9: return .tuple((0..<g.int(in: 0...3)).map { _ in value(&g, depth: depth + 1) })
        default: return .dict([PackifyDictEntry(.string("k"), value(&g, depth: depth + 1))])
        }
    }

    /// Auth fields where `names` (the plugin's own fields) hold garbage or are missing,
    /// sometimes next to a well-formed-looking foreign field.
    static func fields(_ g: inout SplitMix64, names: [String]) -> AuthFields {
        var fields = AuthFields()
        for name in names where !g.chance(4) { fields[name] = value(&g) }
        if g.chance(3) { fields["x-junk"] = value(&g) }
        return fields
    }

    static func message(_ g: inout SplitMix64, names: [String]) -> Message {
        let base = MessageCase.random(&g, maxPayload: 2048)
        return Message(type: base.type, uri: base.uri, content: base.content, authFields: fields(&g, names: names))
    }
}

/// A short Python-like rendering of a value for failure messages.
func pythonish(_ v: PackifyValue) -> String {
    func b(_ x: [UInt8]) -> String { x.count <= 8 ? "0x\(Hex.encode(x))" : "0x\(Hex.encode(x.prefix(8)))…(\(x.count) B)" }
    switch v {
    case .none: return "None"
    case .bytes(let x): return "bytes \(b(x))"
    case .bytearray(let x): return "bytearray \(b(x))"
    case .string(let s): return "'\(s.prefix(16))'"
    case .int(let i): return i.description
    case .bool(let x): return x ? "True" : "False"
    case .float(let f): return "\(f)"
    case .decimal(let d): return "Decimal('\(d)')"
    case .list(let a): return "[" + a.map(pythonish).joined(separator: ", ") + "]"
    case .set(let a): return "{" + a.map(pythonish).joined(separator: ", ") + "}"
    case .tuple(let a): return "(" + a.map(pythonish).joined(separator: ", ") + ")"
    case .dict(let e): return "{" + e.map { "\(pythonish($0.key)): \(pythonish($0.value))" }.joined(separator: ", ") + "}"
    }
}
