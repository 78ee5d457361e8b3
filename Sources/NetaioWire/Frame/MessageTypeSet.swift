/// The message types a node understands: netaio's standard 19 plus any custom ones.
/// The Swift counterpart of netaio's `MessageType` enum class and of
/// `make_message_type_class` / `validate_message_type_class`.
public struct MessageTypeSet: Sendable, Equatable {
    /// The tables live in one immutable object: a set is copied into every frame decoder
    /// and configuration, and one reference costs one retain instead of five.
    private final class Tables: Sendable {
        let name: String
        let entries: [(name: String, type: MessageType)]
        let known: [Bool]  // indexed by raw value, for O(1) decoding checks
        let names: [String?]
        let errorTypes: [Bool]  // isErrorType, computed once (it is asked for every frame)

        init(name: String, entries: [(name: String, type: MessageType)], known: [Bool], names: [String?], errorTypes: [Bool]) {
            self.name = name
            self.entries = entries
            self.known = known
            self.names = names
            self.errorTypes = errorTypes
        }
    }

    private let tables: Tables

    public var name: String { tables.name }
    /// Entries sorted by value; names and values are unique.
    public var entries: [(name: String, type: MessageType)] { tables.entries }

    public enum ValidationError: Error, Equatable, Sendable, CustomStringConvertible {
        case overwritesStandardName(String)
        case reservedValue(name: String, value: Int)
        case valueAboveLimit(name: String, value: Int)
        case duplicateName(String)
        case duplicateValue(value: Int, names: [String])
        case missingStandardType(String)
        case standardTypeChanged(name: String, expected: Int, actual: Int)
        case emptyName

        public var description: String {
            switch self {
            case .overwritesStandardName(let n): "cannot overwrite default message type \(n)"
            case .reservedValue(let n, let v): "\(n) uses reserved value \(v); values 0-30 are reserved for the base protocol"
            case .valueAboveLimit(let n, let v): "\(n) uses value \(v), above the upper limit of 255"
            case .duplicateName(let n): "message type name \(n) is given twice"
            case .duplicateValue(let v, let names): "value \(v) is used by more than one message type: \(names.joined(separator: ", "))"
            case .missingStandardType(let n): "standard message type \(n) is missing"
            case .standardTypeChanged(let n, let e, let a): "standard message type \(n) must have value \(e), not \(a)"
            case .emptyName: "a message type name must not be empty"
            }
        }
    }

    /// netaio's default `MessageType`.
    public static let standard = MessageTypeSet(
        uncheckedName: "MessageType", entries: MessageType.standard.map { ($0.name, $0.type) })

    private init(uncheckedName name: String, entries: [(name: String, type: MessageType)]) {
        var known = [Bool](repeating: false, count: 256)
        var names = [String?](repeating: nil, count: 256)
        for e in entries {
            known[Int(e.type.rawValue)] = true
            names[Int(e.type.rawValue)] = e.name
        }
        tables = Tables(
            name: name, entries: entries.sorted { $0.type < $1.type }, known: known, names: names,
            errorTypes: names.map { $0?.uppercased().contains("ERROR") ?? false })
    }

    /// The standard types plus `custom` (name → value). Like `make_message_type_class`,
    /// refuses standard names and values outside 31–255; unlike it, also refuses two
    /// custom names with one value (Python would silently alias them).
    public static func make(name: String = "CustomMessageType", custom: [(name: String, value: Int)]) throws(ValidationError) -> MessageTypeSet {
        let standardNames = Set(MessageType.standard.map(\.name))
        for c in custom {
            if c.name.isEmpty { throw .emptyName }
            if standardNames.contains(c.name) { throw .overwritesStandardName(c.name) }
            if c.value <= 30 { throw .reservedValue(name: c.name, value: c.value) }
            if c.value > 255 { throw .valueAboveLimit(name: c.name, value: c.value) }
        }
        return try validate(name: name, entries: MessageType.standard.map { ($0.name, Int($0.type.rawValue)) } + custom)
    }

    /// Checks a complete table like `validate_message_type_class`: every standard type with
    /// its value, other values in 31–255, unique names and values.
    public static func validate(name: String, entries: [(name: String, value: Int)]) throws(ValidationError) -> MessageTypeSet {
        var byName: [String: Int] = [:]
        var byValue: [Int: [String]] = [:]
        for e in entries {
            if e.name.isEmpty { throw .emptyName }
            if byName[e.name] != nil { throw .duplicateName(e.name) }
            byName[e.name] = e.value
            byValue[e.value, default: []].append(e.name)
        }
        for std in MessageType.standard {
            guard let v = byName[std.name] else { throw .missingStandardType(std.name) }
            if v != Int(std.type.rawValue) {
                throw .standardTypeChanged(name: std.name, expected: Int(std.type.rawValue), actual: v)
            }
        }
        let standardNames = Set(MessageType.standard.map(\.name))
        for e in entries where !standardNames.contains(e.name) {
            if e.value < 0 || e.value <= 30 { throw .reservedValue(name: e.name, value: e.value) }
            if e.value > 255 { throw .valueAboveLimit(name: e.name, value: e.value) }
        }
        for (value, names) in byValue.sorted(by: { $0.key < $1.key }) where names.count > 1 {
            throw .duplicateValue(value: value, names: names)
        }
        return MessageTypeSet(uncheckedName: name, entries: entries.map { ($0.name, MessageType(UInt8($0.value))) })
    }

    @inline(__always)
    public func contains(_ type: MessageType) -> Bool { tables.known[Int(type.rawValue)] }

    @inline(__always)
    public func contains(rawValue: UInt8) -> Bool { tables.known[Int(rawValue)] }

    public func name(of type: MessageType) -> String? { tables.names[Int(type.rawValue)] }

    public func type(named name: String) -> MessageType? { entries.first { $0.name == name }?.type }

    /// Whether netaio's default auth-error handler stays silent for this type: the type's
    /// name contains "ERROR" (case-insensitive), so no error answers an error.
    public func isErrorType(_ type: MessageType) -> Bool { tables.errorTypes[Int(type.rawValue)] }

    public static func == (a: MessageTypeSet, b: MessageTypeSet) -> Bool {
        if a.tables === b.tables { return true }
        return a.name == b.name && a.entries.elementsEqual(b.entries, by: { $0.name == $1.name && $0.type == $1.type })
    }
}
