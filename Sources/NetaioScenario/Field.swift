import Foundation
import Yams

/// A node of the document with its path, and typed readers that fail with a
/// `ScenarioError` pointing at the node's line and column.
struct Field {
    let node: Node
    let path: String

    func error(_ kind: ScenarioError.Kind, _ message: String) -> ScenarioError {
        ScenarioError(kind, message, path: path, line: node.mark?.line, column: node.mark?.column)
    }

    func child(_ name: String, _ node: Node) -> Field { Field(node: node, path: path.isEmpty ? name : "\(path).\(name)") }

    var line: Int? { node.mark?.line }

    func string() throws(ScenarioError) -> String {
        guard case .scalar(let s) = node else { throw error(.wrongType, "expected a text value, found \(kindName)") }
        return s.string
    }

    var kindName: String {
        switch node {
        case .scalar: "a value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }

    func double() throws(ScenarioError) -> Double {
        let s = try string()
        guard let v = Double(s.trimmingSpaces), v.isFinite else { throw error(.wrongType, "expected a number, found \(quoted(s))") }
        return v
    }

    func int(in range: ClosedRange<Int>) throws(ScenarioError) -> Int {
        let s = try string()
        guard let v = Int(s.trimmingSpaces) else { throw error(.wrongType, "expected a whole number, found \(quoted(s))") }
        guard range.contains(v) else { throw error(.invalidValue, "\(v) is outside \(range.lowerBound)…\(range.upperBound)") }
        return v
    }

    func bool() throws(ScenarioError) -> Bool {
        switch try string().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let s: throw error(.wrongType, "expected true or false, found \(quoted(s))")
        }
    }

    /// Seconds: a number, or a number with a unit (`ms`, `s`, `m`, `h`): `500ms`, `20s`, `2m`.
    func seconds(max: Double = 10_000_000) throws(ScenarioError) -> Double {
        let s = try string().trimmingSpaces
        let units: [(String, Double)] = [("ms", 0.001), ("us", 0.000_001), ("s", 1), ("m", 60), ("h", 3600)]
        var value: Double?
        for (suffix, scale) in units where s.hasSuffix(suffix) {
            if let v = Double(s.dropLast(suffix.count).trimmingSpaces) { value = v * scale }
            break
        }
        if value == nil { value = Double(s) }
        guard let v = value, v.isFinite else { throw error(.wrongType, "expected a duration such as 500ms, 20s or 2m, found \(quoted(s))") }
        guard v >= 0, v <= max else { throw error(.invalidValue, "duration \(quoted(s)) is outside 0…\(Int(max))s") }
        return v
    }

    /// A probability: 0…1 or a percentage (`20%`).
    func probability() throws(ScenarioError) -> Double {
        let s = try string().trimmingSpaces
        let v: Double?
        if s.hasSuffix("%") { v = Double(s.dropLast().trimmingSpaces).map { $0 / 100 } } else { v = Double(s) }
        guard let p = v, p.isFinite else { throw error(.wrongType, "expected a probability such as 0.2 or 20%, found \(quoted(s))") }
        guard p >= 0, p <= 1 else { throw error(.invalidValue, "probability \(quoted(s)) is outside 0…1") }
        return p
    }

    /// Bytes per second: a number or `100kB/s`, `1MB/s`, `10Mbit/s`, `512kbit/s`.
    func bandwidth() throws(ScenarioError) -> Double {
        let s = try string().trimmingSpaces
        let units: [(String, Double)] = [("kbit/s", 125), ("Mbit/s", 125_000), ("Gbit/s", 125_000_000), ("kB/s", 1000), ("MB/s", 1_000_000), ("GB/s", 1_000_000_000), ("B/s", 1)]
        var value: Double?
        for (suffix, scale) in units where s.hasSuffix(suffix) {
            value = Double(s.dropLast(suffix.count).trimmingSpaces).map { $0 * scale }
            break
        }
        if value == nil { value = Double(s) }
        guard let v = value, v.isFinite, v > 0 else { throw error(.invalidValue, "expected a positive bandwidth such as 1MB/s or 10Mbit/s, found \(quoted(s))") }
        return v
    }

    /// A list, or a single value taken as a one-item list.
    func list() throws(ScenarioError) -> [Field] {
        switch node {
        case .sequence(let seq): return seq.enumerated().map { Field(node: $0.element, path: "\(path)[\($0.offset)]") }
        case .scalar: return [self]
        default: throw error(.wrongType, "expected a list, found \(kindName)")
        }
    }

    func strictList() throws(ScenarioError) -> [Field] {
        guard case .sequence = node else { throw error(.wrongType, "expected a list, found \(kindName)") }
        return try list()
    }

    func mapping() throws(ScenarioError) -> Mapping { try Mapping(self) }
}

/// A mapping's entries in document order; keys must be unique text.
struct Mapping {
    let field: Field
    let entries: [(key: String, value: Field)]

    init(_ field: Field) throws(ScenarioError) {
        guard case .mapping(let m) = field.node else { throw field.error(.wrongType, "expected a mapping (key: value), found \(field.kindName)") }
        self.field = field
        var seen = Set<String>()
        var out: [(String, Field)] = []
        for (k, v) in m {
            guard case .scalar(let ks) = k else {
                throw Field(node: k, path: field.path).error(.wrongType, "mapping keys must be plain text")
            }
            let key = ks.string
            guard seen.insert(key).inserted else { throw field.child(key, k).error(.duplicateField, "\(quoted(key)) appears twice") }
            out.append((key, field.child(key, v)))
        }
        entries = out
    }

    subscript(_ key: String) -> Field? { entries.first { $0.key == key }?.value }

    func require(_ key: String) throws(ScenarioError) -> Field {
        guard let f = self[key] else { throw field.error(.missingField, "\(quoted(key)) is required") }
        return f
    }

    /// Fails on the first key not in `allowed` (typos should not be silently ignored).
    func only(_ allowed: [String]) throws(ScenarioError) {
        for (key, value) in entries where !allowed.contains(key) {
            throw value.error(.unknownField, "unknown field \(quoted(key)); expected one of: \(allowed.joined(separator: ", "))")
        }
    }

    var keys: [String] { entries.map(\.key) }
}

func quoted(_ s: String) -> String {
    let cut = s.count > 60 ? String(s.prefix(60)) + "…" : s
    return "\"" + cut.replacingOccurrences(of: "\"", with: "\\\"") + "\""
}

extension StringProtocol {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
