import Foundation
import NetaioCore

/// Writes the one-line JSON objects of the external-node contract (docs/external-nodes.md)
/// with keys in a fixed order, so the bytes a node reads depend only on the run.
struct JSONLine {
    private(set) var text = "{"
    private var first = true

    init() {}

    private mutating func key(_ k: String) {
        if !first { text += "," }
        first = false
        text += "\"\(k)\":"
    }

    mutating func add(_ k: String, _ value: String) {
        key(k)
        text += Reports.jsonString(value)
    }

    mutating func add(_ k: String, _ value: Int) {
        key(k)
        text += String(value)
    }

    mutating func add(_ k: String, _ value: Double) {
        key(k)
        text += Self.number(value)
    }

    mutating func add(_ k: String, _ value: Bool) {
        key(k)
        text += value ? "true" : "false"
    }

    mutating func addNull(_ k: String) {
        key(k)
        text += "null"
    }

    /// A value already written as JSON.
    mutating func add(_ k: String, raw: String) {
        key(k)
        text += raw
    }

    mutating func add(_ k: String, _ object: JSONLine) { add(k, raw: object.finished) }

    mutating func add(_ k: String, base64 bytes: [UInt8]) { add(k, Data(bytes).base64EncodedString()) }

    var finished: String { text + "}" }

    static func address(_ a: Address) -> JSONLine {
        var o = JSONLine()
        o.add("host", a.host)
        o.add("port", Int(a.port))
        return o
    }

    static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }

    /// Shortest text that reads back as the same Double (Swift's description), never NaN/inf.
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "null" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) + ".0" }
        return "\(v)"
    }
}
