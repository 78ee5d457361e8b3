/// Encodes `PackifyValue`s exactly as packify 0.4.0 does: smallest length categories,
/// set items and dict entries sorted by their encoded bytes.
public enum Packify {
    /// Encodes one value. Throws `PackifyError` for values Python could not build either
    /// (an unhashable set item or dict key) and for lengths beyond 32 bits.
    public static func encode(_ value: PackifyValue) throws(PackifyError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(estimatedSize(value))
        try encode(value, into: &out)
        return out
    }

    /// Appends the encoding of `value` to `out`.
    public static func encode(_ value: PackifyValue, into out: inout [UInt8]) throws(PackifyError) {
        switch value {
        case .none:
            out.append(0x00)
        case .bytes(let b):
            try appendSized(b, type: .bytes, into: &out)
        case .bytearray(let b):
            try appendSized(b, type: .bytearray, into: &out)
        case .string(let s):
            try appendSized(s.utf8, type: .str, into: &out)
        case .decimal(let s):
            // packify sends str(Decimal(...)): the canonical text, not the text given.
            guard let canonical = DecimalSyntax.pythonString(s) else {
                throw PackifyError(.invalidDecimal(s))
            }
            try appendSized(canonical.utf8, type: .decimal, into: &out)
        case .int(let i):
            appendInteger(i, into: &out)
        case .bool(let b):
            out.append(PackifyTypeCode.bool.rawValue)
            out.append(b ? 1 : 0)
        case .float(let f):
            out.append(PackifyTypeCode.float.rawValue)
            appendBigEndian(f.bitPattern, into: &out)
        case .list(let items):
            try appendContainer(items.map { v throws(PackifyError) in try encode(v) }, type: .list, into: &out)
        case .tuple(let items):
            try appendContainer(items.map { v throws(PackifyError) in try encode(v) }, type: .tuple, into: &out)
        case .set(let items):
            for item in items where !PythonKey.isHashable(item) {
                throw PackifyError(.unhashable(type: item.typeName, context: "set item"))
            }
            let unique = PythonKey.deduplicated(items)
            let encoded = try unique.map { v throws(PackifyError) in try encode(v) }
            try appendContainer(encoded.sorted(by: { $0.lexicographicallyPrecedes($1) }), type: .set, into: &out)
        case .dict(let entries):
            for entry in entries where !PythonKey.isHashable(entry.key) {
                throw PackifyError(.unhashable(type: entry.key.typeName, context: "dict key"))
            }
            let unique = PythonKey.deduplicatedEntries(entries)
            var encoded: [[UInt8]] = []
            encoded.reserveCapacity(unique.count)
            for entry in unique {
                var pair: [UInt8] = []
                try appendContainer([try encode(entry.key), try encode(entry.value)], type: .tuple, into: &pair)
                encoded.append(pair)
            }
            try appendContainer(encoded.sorted(by: { $0.lexicographicallyPrecedes($1) }), type: .dict, into: &out)
        }
    }

    // MARK: - pieces

    @inline(__always)
    static func appendSized<C: Collection<UInt8>>(_ payload: C, type: PackifyTypeCode, into out: inout [UInt8]) throws(PackifyError) {
        let n = payload.count
        guard let cat = PackifyCategory.smallest(for: n) else {
            throw PackifyError(.tooLarge(what: "\(type.name) length", size: n))
        }
        out.append(cat | type.rawValue)
        appendLength(n, category: cat, into: &out)
        out.append(contentsOf: payload)
    }

    static func appendInteger(_ i: PackifyInteger, into out: inout [UInt8]) {
        let negative = i.isNegative
        if let m = i.magnitudeUInt64, m < 0x1_0000_0000 {
            let cat = PackifyCategory.smallest(for: Int(m))!
            out.append(cat | (negative ? PackifyTypeCode.negInt : .int).rawValue)
            appendLength(Int(m), category: cat, into: &out)
        } else if i.magnitude.count <= 255 {
            out.append((negative ? PackifyTypeCode.negInt : .int).rawValue)
            out.append(UInt8(i.magnitude.count))
            out.append(contentsOf: i.magnitude)
        } else {
            out.append((negative ? PackifyTypeCode.bigNeg : .bigInt).rawValue)
            appendBigEndian(UInt32(i.magnitude.count), into: &out)
            out.append(contentsOf: i.magnitude)
        }
    }

    static func appendContainer(_ items: [[UInt8]], type: PackifyTypeCode, into out: inout [UInt8]) throws(PackifyError) {
        guard let countCat = PackifyCategory.smallest(for: items.count) else {
            throw PackifyError(.tooLarge(what: "\(type.name) item count", size: items.count))
        }
        var maxLength = 0
        var total = 0
        for item in items {
            maxLength = max(maxLength, item.count)
            total += item.count
        }
        guard let itemCat = PackifyCategory.smallest(for: maxLength) else {
            throw PackifyError(.tooLarge(what: "\(type.name) item length", size: maxLength))
        }
        out.reserveCapacity(out.count + 6 + items.count * 4 + total)
        out.append(countCat | type.rawValue)
        out.append(itemCat)
        appendLength(items.count, category: countCat, into: &out)
        for item in items { appendLength(item.count, category: itemCat, into: &out) }
        for item in items { out.append(contentsOf: item) }
    }

    @inline(__always)
    static func appendLength(_ n: Int, category: UInt8, into out: inout [UInt8]) {
        switch category {
        case PackifyCategory.cat1: out.append(UInt8(truncatingIfNeeded: n))
        case PackifyCategory.cat2: appendBigEndian(UInt16(truncatingIfNeeded: n), into: &out)
        default: appendBigEndian(UInt32(truncatingIfNeeded: n), into: &out)
        }
    }

    /// A cheap upper-bound-ish guess so most encodings allocate once.
    static func estimatedSize(_ value: PackifyValue) -> Int {
        switch value {
        case .bytes(let b), .bytearray(let b): b.count + 5
        case .string(let s), .decimal(let s): s.utf8.count + 5
        case .dict(let e): 8 + e.count * 16
        case .list(let a), .tuple(let a), .set(let a): 8 + a.count * 12
        default: 16
        }
    }
}

@inline(__always)
func appendBigEndian<T: FixedWidthInteger>(_ value: T, into out: inout [UInt8]) {
    var v = value.bigEndian
    withUnsafeBytes(of: &v) { out.append(contentsOf: $0) }
}

extension PackifyValue {
    /// The packify encoding of this value.
    public func packed() throws(PackifyError) -> [UInt8] { try Packify.encode(self) }
}
