#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Encodes `PackifyValue`s exactly as packify 0.4.0 does: smallest length categories,
/// set items and dict entries sorted by their encoded bytes.
///
/// Encoding writes straight into one output buffer: a size pass gives each container its
/// length table up front, and set/dict items are sorted in place afterwards, so a frame
/// costs one allocation rather than one per item.
public enum Packify {
    /// Encodes one value. Throws `PackifyError` for values Python could not build either
    /// (an unhashable set item or dict key, a Decimal text Python rejects) and for lengths
    /// beyond 32 bits.
    public static func encode(_ value: PackifyValue) throws(PackifyError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(try encodedSize(value))
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
            try appendSized(try canonicalDecimal(s).utf8, type: .decimal, into: &out)
        case .int(let i):
            appendInteger(i, into: &out)
        case .bool(let b):
            out.append(PackifyTypeCode.bool.rawValue)
            out.append(b ? 1 : 0)
        case .float(let f):
            out.append(PackifyTypeCode.float.rawValue)
            appendBigEndian(f.bitPattern, into: &out)
        case .list(let items):
            try appendSequence(items, type: .list, into: &out)
        case .tuple(let items):
            try appendSequence(items, type: .tuple, into: &out)
        case .set(let items):
            let unique = try uniqueSetItems(items)
            let lengths = try unique.map { v throws(PackifyError) in try encodedSize(v) }
            try appendSorted(count: unique.count, lengths: lengths, type: .set, into: &out) { i, out throws(PackifyError) in
                try encode(unique[i], into: &out)
            }
        case .dict(let entries):
            try appendDict(try uniqueDictEntries(entries), into: &out)
        }
    }

    /// Encodes dict entries whose keys are already known to be unique and hashable (the
    /// auth-field fast path: names are distinct strings by construction).
    static func appendDict(_ entries: [PackifyDictEntry], into out: inout [UInt8]) throws(PackifyError) {
        var lengths: [Int] = []
        lengths.reserveCapacity(entries.count)
        for e in entries { lengths.append(try pairSize(e.key, e.value)) }
        try appendSorted(count: entries.count, lengths: lengths, type: .dict, into: &out) { i, out throws(PackifyError) in
            try appendPair(entries[i].key, entries[i].value, into: &out)
        }
    }

    /// The auth-block case: str keys (distinct by construction) and any values.
    static func appendStringKeyedDict(_ fields: [(name: String, value: PackifyValue)], into out: inout [UInt8]) throws(PackifyError) {
        var lengths: [Int] = []
        lengths.reserveCapacity(fields.count)
        for f in fields {
            let k = try sizedSize(f.name.utf8.count), v = try encodedSize(f.value)
            lengths.append(3 + 2 * lengthWidth(max(k, v)) + k + v)
        }
        try appendSorted(count: fields.count, lengths: lengths, type: .dict, into: &out) { i, out throws(PackifyError) in
            let name = fields[i].name.utf8
            let k = 1 + lengthWidth(name.count) + name.count, v = try encodedSize(fields[i].value)
            appendPairHeader(keySize: k, valueSize: v, into: &out)
            try appendSized(name, type: .str, into: &out)
            try encode(fields[i].value, into: &out)
        }
    }

    // MARK: - sizes

    /// The exact number of bytes `encode` produces for `value`.
    public static func encodedSize(_ value: PackifyValue) throws(PackifyError) -> Int {
        switch value {
        case .none: return 1
        case .bool: return 2
        case .float: return 9
        case .bytes(let b), .bytearray(let b): return try sizedSize(b.count)
        case .string(let s): return try sizedSize(s.utf8.count)
        case .decimal(let s): return try sizedSize(try canonicalDecimal(s).utf8.count)
        case .int(let i):
            if let m = i.magnitudeUInt64, m < 0x1_0000_0000 { return 1 + lengthWidth(Int(m)) }
            return i.magnitude.count <= 255 ? 2 + i.magnitude.count : 5 + i.magnitude.count
        case .list(let items), .tuple(let items):
            return try containerSize(items.map { v throws(PackifyError) in try encodedSize(v) })
        case .set(let items):
            return try containerSize(try uniqueSetItems(items).map { v throws(PackifyError) in try encodedSize(v) })
        case .dict(let entries):
            return try containerSize(try uniqueDictEntries(entries).map { e throws(PackifyError) in try pairSize(e.key, e.value) })
        }
    }

    static func pairSize(_ key: PackifyValue, _ value: PackifyValue) throws(PackifyError) -> Int {
        let k = try encodedSize(key), v = try encodedSize(value)
        return 3 + 2 * lengthWidth(max(k, v)) + k + v
    }

    @inline(__always)
    static func sizedSize(_ n: Int) throws(PackifyError) -> Int {
        guard PackifyCategory.smallest(for: n) != nil else { throw PackifyError(.tooLarge(what: "length", size: n)) }
        return 1 + lengthWidth(n) + n
    }

    static func containerSize(_ lengths: [Int]) throws(PackifyError) -> Int {
        guard PackifyCategory.smallest(for: lengths.count) != nil else {
            throw PackifyError(.tooLarge(what: "item count", size: lengths.count))
        }
        let maxLength = lengths.max() ?? 0
        guard PackifyCategory.smallest(for: maxLength) != nil else {
            throw PackifyError(.tooLarge(what: "item length", size: maxLength))
        }
        return 2 + lengthWidth(lengths.count) + lengths.count * lengthWidth(maxLength) + lengths.reduce(0, +)
    }

    @inline(__always)
    static func lengthWidth(_ n: Int) -> Int { n < 0x100 ? 1 : n < 0x10000 ? 2 : 4 }

    // MARK: - pieces

    static func canonicalDecimal(_ text: String) throws(PackifyError) -> String {
        guard let canonical = DecimalSyntax.pythonString(text) else { throw PackifyError(.invalidDecimal(text)) }
        return canonical
    }

    static func uniqueSetItems(_ items: [PackifyValue]) throws(PackifyError) -> [PackifyValue] {
        for item in items where !PythonKey.isHashable(item) {
            throw PackifyError(.unhashable(type: item.typeName, context: "set item"))
        }
        return PythonKey.deduplicated(items)
    }

    static func uniqueDictEntries(_ entries: [PackifyDictEntry]) throws(PackifyError) -> [PackifyDictEntry] {
        for entry in entries where !PythonKey.isHashable(entry.key) {
            throw PackifyError(.unhashable(type: entry.key.typeName, context: "dict key"))
        }
        return PythonKey.deduplicatedEntries(entries)
    }

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

    /// The `(key, value)` tuple packify encodes for each dict entry.
    static func appendPair(_ key: PackifyValue, _ value: PackifyValue, into out: inout [UInt8]) throws(PackifyError) {
        appendPairHeader(keySize: try encodedSize(key), valueSize: try encodedSize(value), into: &out)
        try encode(key, into: &out)
        try encode(value, into: &out)
    }

    /// The header of a 2-tuple whose items encode to `keySize` and `valueSize` bytes.
    @inline(__always)
    static func appendPairHeader(keySize k: Int, valueSize v: Int, into out: inout [UInt8]) {
        let itemCat = PackifyCategory.smallest(for: max(k, v))!
        out.append(PackifyCategory.cat1 | PackifyTypeCode.tuple.rawValue)
        out.append(itemCat)
        out.append(2)
        appendLength(k, category: itemCat, into: &out)
        appendLength(v, category: itemCat, into: &out)
    }

    /// Container header: code, item-length category, count, then the length table.
    static func appendHeader(count: Int, lengths: some Sequence<Int>, maxLength: Int, type: PackifyTypeCode, into out: inout [UInt8]) throws(PackifyError) {
        guard let countCat = PackifyCategory.smallest(for: count) else {
            throw PackifyError(.tooLarge(what: "\(type.name) item count", size: count))
        }
        guard let itemCat = PackifyCategory.smallest(for: maxLength) else {
            throw PackifyError(.tooLarge(what: "\(type.name) item length", size: maxLength))
        }
        out.append(countCat | type.rawValue)
        out.append(itemCat)
        appendLength(count, category: countCat, into: &out)
        for n in lengths { appendLength(n, category: itemCat, into: &out) }
    }

    static func appendSequence(_ items: [PackifyValue], type: PackifyTypeCode, into out: inout [UInt8]) throws(PackifyError) {
        let lengths = try items.map { v throws(PackifyError) in try encodedSize(v) }
        try appendHeader(count: items.count, lengths: lengths, maxLength: lengths.max() ?? 0, type: type, into: &out)
        for item in items { try encode(item, into: &out) }
    }

    /// Writes a set or dict: items are encoded in the order given, then reordered by their
    /// encoded bytes (unsigned, a prefix first) and the length table filled in that order.
    static func appendSorted(
        count: Int, lengths: [Int], type: PackifyTypeCode, into out: inout [UInt8],
        item: (Int, inout [UInt8]) throws(PackifyError) -> Void
    ) throws(PackifyError) {
        var maxLength = 0
        var total = 0
        for n in lengths {
            maxLength = max(maxLength, n)
            total += n
        }
        try appendHeader(count: count, lengths: EmptyCollection(), maxLength: maxLength, type: type, into: &out)
        let itemCat = PackifyCategory.smallest(for: maxLength)!
        let tableStart = out.count
        let width = lengthWidth(maxLength)
        out.append(contentsOf: repeatElement(0, count: count * width))  // filled once the order is known
        let itemsStart = out.count
        out.reserveCapacity(itemsStart + total)
        // starts[i] = offset of item i; order = item indices, insertion-sorted by bytes
        // (sets and dicts are small in netaio; this avoids sort's allocations).
        var starts = [Int](repeating: 0, count: count)
        for i in 0..<count {
            starts[i] = out.count
            try item(i, &out)
        }
        var order = Array(0..<count)
        var reordered = false
        out.withUnsafeBufferPointer { buf in
            func less(_ a: Int, _ b: Int) -> Bool {
                let x = UnsafeBufferPointer(rebasing: buf[starts[a]..<(starts[a] + lengths[a])])
                let y = UnsafeBufferPointer(rebasing: buf[starts[b]..<(starts[b] + lengths[b])])
                let n = min(x.count, y.count)
                let c = n == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, n)
                return c != 0 ? c < 0 : x.count < y.count
            }
            if count > 32 {
                order.sort(by: less)
                reordered = true
                return
            }
            for i in 1..<max(1, count) {
                let v = order[i]
                var j = i
                while j > 0, less(v, order[j - 1]) {
                    order[j] = order[j - 1]
                    j -= 1
                    reordered = true
                }
                order[j] = v
            }
        }
        if reordered {
            let unsorted = Array(out[itemsStart...])
            out.withUnsafeMutableBufferPointer { dest in
                unsorted.withUnsafeBufferPointer { src in
                    var p = itemsStart
                    for i in order {
                        let from = starts[i] - itemsStart
                        UnsafeMutableRawPointer(dest.baseAddress! + p)
                            .copyMemory(from: src.baseAddress! + from, byteCount: lengths[i])
                        p += lengths[i]
                    }
                }
            }
        }
        out.withUnsafeMutableBufferPointer { dest in
            var p = tableStart
            for i in order {
                let n = lengths[i]
                switch itemCat {
                case PackifyCategory.cat1: dest[p] = UInt8(truncatingIfNeeded: n)
                case PackifyCategory.cat2: dest[p] = UInt8(truncatingIfNeeded: n >> 8); dest[p + 1] = UInt8(truncatingIfNeeded: n)
                default:
                    dest[p] = UInt8(truncatingIfNeeded: n >> 24); dest[p + 1] = UInt8(truncatingIfNeeded: n >> 16)
                    dest[p + 2] = UInt8(truncatingIfNeeded: n >> 8); dest[p + 3] = UInt8(truncatingIfNeeded: n)
                }
                p += width
            }
        }
    }

    @inline(__always)
    static func appendLength(_ n: Int, category: UInt8, into out: inout [UInt8]) {
        switch category {
        case PackifyCategory.cat1: out.append(UInt8(truncatingIfNeeded: n))
        case PackifyCategory.cat2: appendBigEndian(UInt16(truncatingIfNeeded: n), into: &out)
        default: appendBigEndian(UInt32(truncatingIfNeeded: n), into: &out)
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
