/// A value of the packify serialization format (packify 0.4.0, as used by netaio 0.0.9).
///
/// Each case mirrors one Python type packify can carry. Containers keep their items in
/// order; `set` and `dict` are encoded in packify's canonical order (sorted by encoded
/// bytes) whatever order they are given in.
public enum PackifyValue: Sendable {
    case none
    case bytes([UInt8])
    case bytearray([UInt8])
    case string(String)
    case int(PackifyInteger)
    case bool(Bool)
    case float(Double)
    /// A Python `Decimal`, as text in Python's syntax. packify carries `str(decimal)`, so the
    /// encoder sends the canonical text ("1E-5" goes out as "0.00001") and the decoder
    /// returns it; text Python's `Decimal` would refuse cannot be encoded.
    case decimal(String)
    case list([PackifyValue])
    case set([PackifyValue])
    case tuple([PackifyValue])
    case dict([PackifyDictEntry])
}

/// One key/value pair of a packify dict.
public struct PackifyDictEntry: Sendable, Equatable, Hashable {
    public var key: PackifyValue
    public var value: PackifyValue
    public init(_ key: PackifyValue, _ value: PackifyValue) {
        self.key = key
        self.value = value
    }
}

extension PackifyValue {
    /// Convenience for the common case of an integer that fits in `Int`.
    public static func int(_ value: Int) -> PackifyValue { .int(PackifyInteger(value)) }

    /// The name Python would give this value's type (used in errors and reports).
    public var typeName: String {
        switch self {
        case .none: "none"
        case .bytes: "bytes"
        case .bytearray: "bytearray"
        case .string: "str"
        case .int: "int"
        case .bool: "bool"
        case .float: "float"
        case .decimal: "decimal"
        case .list: "list"
        case .set: "set"
        case .tuple: "tuple"
        case .dict: "dict"
        }
    }

    /// The payload of a `bytes` or `bytearray` value.
    public var byteArrayValue: [UInt8]? {
        switch self {
        case .bytes(let b), .bytearray(let b): b
        default: nil
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var dictEntries: [PackifyDictEntry]? {
        if case .dict(let e) = self { return e }
        return nil
    }

    /// Looks up a `str` key in a dict value (the last entry wins, as in a Python dict).
    public subscript(key: String) -> PackifyValue? {
        guard case .dict(let entries) = self else { return nil }
        for entry in entries.reversed() {
            if case .string(let k) = entry.key, k.utf8.elementsEqual(key.utf8) { return entry.value }
        }
        return nil
    }
}

// Identity equality: same case, same payload. Strings compare by code points (not by
// Swift's canonical equivalence) and floats by bit pattern, so a decoded value equals
// what was encoded byte for byte. Python's looser equality (1 == 1.0 == True) lives in
// PythonKeyEquality.swift, where dict keys and set items need it.
extension PackifyValue: Equatable, Hashable {
    public static func == (lhs: PackifyValue, rhs: PackifyValue) -> Bool {
        switch (lhs, rhs) {
        case (.none, .none): true
        case (.bytes(let a), .bytes(let b)), (.bytearray(let a), .bytearray(let b)): a == b
        case (.string(let a), .string(let b)): a.utf8.elementsEqual(b.utf8)
        case (.int(let a), .int(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.float(let a), .float(let b)): a.bitPattern == b.bitPattern
        case (.decimal(let a), .decimal(let b)): a.utf8.elementsEqual(b.utf8)
        case (.list(let a), .list(let b)), (.set(let a), .set(let b)), (.tuple(let a), .tuple(let b)): a == b
        case (.dict(let a), .dict(let b)): a == b
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .none: hasher.combine(0)
        case .bytes(let b): hasher.combine(1); hasher.combine(b)
        case .bytearray(let b): hasher.combine(2); hasher.combine(b)
        case .string(let s): hasher.combine(3); hasher.combine(s.utf8.count); for c in s.utf8 { hasher.combine(c) }
        case .int(let i): hasher.combine(4); hasher.combine(i)
        case .bool(let b): hasher.combine(6); hasher.combine(b)
        case .float(let f): hasher.combine(7); hasher.combine(f.bitPattern)
        case .decimal(let s): hasher.combine(8); for c in s.utf8 { hasher.combine(c) }
        case .list(let a): hasher.combine(10); hasher.combine(a)
        case .set(let a): hasher.combine(11); hasher.combine(a)
        case .tuple(let a): hasher.combine(12); hasher.combine(a)
        case .dict(let a): hasher.combine(13); hasher.combine(a)
        }
    }
}

extension PackifyValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(PackifyInteger(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .none }
}
