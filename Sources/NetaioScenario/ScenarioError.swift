/// Why a scenario file was rejected: what, where (line and column when known, and the
/// field path such as `nodes[2].peers.timeout`). Every malformed input ends here; the
/// parser never traps.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case notUTF8 = "not_utf8"
        case tooLarge = "too_large"
        case tooDeep = "too_deep"
        case syntax
        case unsupported
        case missingField = "missing_field"
        case unknownField = "unknown_field"
        case duplicateField = "duplicate_field"
        case wrongType = "wrong_type"
        case invalidValue = "invalid_value"
        case unknownNode = "unknown_node"
        case duplicateName = "duplicate_name"
    }

    public var kind: Kind
    public var message: String
    /// Field path from the document root ("" for the document itself).
    public var path: String
    public var line: Int?
    public var column: Int?

    public init(_ kind: Kind, _ message: String, path: String = "", line: Int? = nil, column: Int? = nil) {
        self.kind = kind
        self.message = message
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String {
        var place: [String] = []
        if let line { place.append("line \(line)" + (column.map { ", column \($0)" } ?? "")) }
        if !path.isEmpty { place.append(path) }
        return (place.isEmpty ? "" : place.joined(separator: ", ") + ": ") + message
    }
}
