/// Decodes packify bytes with exactly packify 0.4.0's accept/reject rules (docs/PROTOCOL.md §3.6),
/// plus a nesting limit of our own so hostile input cannot exhaust the stack.
///
/// Work and memory are bounded by the input: every length is checked against the bytes
/// present before anything is allocated, and every item occupies at least one byte.
public struct PackifyDecoder: Sendable {
    /// Deepest container nesting accepted. Python fails near 1,000 levels with a
    /// RecursionError; netaio never nests more than 3.
    public var maxDepth: Int

    public init(maxDepth: Int = 64) {
        self.maxDepth = maxDepth
    }

    /// Decodes the value at the start of `bytes`; trailing bytes are ignored, as in packify.
    /// `decode` for a byte array (no generic dispatch on the hot path).
    public func decode(_ bytes: [UInt8]) throws(PackifyError) -> PackifyValue {
        var result: Result<PackifyValue, PackifyError>!
        bytes.withUnsafeBytes { buf in
            result = Result { () throws(PackifyError) in try decodeValue(buf, 0, buf.count, depth: 0) }
        }
        return try result.get()
    }

    public func decode(_ bytes: some Collection<UInt8>) throws(PackifyError) -> PackifyValue {
        try withRawBytes(bytes) { buf throws(PackifyError) in try decodeValue(buf, 0, buf.count, depth: 0) }
    }

    // The decoder works on [start, end) slots of one buffer: packify decodes each
    // container item on exactly its slot, ignoring the slot's trailing bytes.

    func decodeValue(_ buf: UnsafeRawBufferPointer, _ start: Int, _ end: Int, depth: Int) throws(PackifyError) -> PackifyValue {
        guard start < end else {
            throw PackifyError(.truncated(what: "type code", needed: 1, available: 0), at: start)
        }
        let code = buf[start]
        guard let type = PackifyTypeCode(rawValue: code & 0x3F) else {
            throw PackifyError(.unknownTypeCode(code), at: start)
        }
        let width = PackifyCategory.width(ofCode: code)
        if width == 0 && !type.allowsCat0 {
            throw PackifyError(.lengthCategoryNotAllowed(code: code, type: type.name), at: start)
        }
        var p = start + 1
        switch type {
        case .none:
            return .none
        case .bool:
            try need(1, "bool value", p, end)
            return .bool(buf[p] != 0)
        case .float:
            try need(8, "float value", p, end)
            return .float(Double(bitPattern: readUInt(buf, p, 8)))
        case .bytes, .bytearray, .str, .decimal:
            try need(width, "\(type.name) length", p, end)
            let n = Int(readUInt(buf, p, width))
            p += width
            try need(n, "\(type.name) value", p, end)
            let payload = UnsafeRawBufferPointer(rebasing: buf[p..<(p + n)])
            switch type {
            case .bytes: return .bytes(copyBytes(payload))
            case .bytearray: return .bytearray(copyBytes(payload))
            default:
                guard let text = UTF8Validation.string(payload) else {
                    throw PackifyError(.invalidUTF8(type: type.name), at: p)
                }
                if type == .str { return .string(text) }
                // Keep Python's own text of the value, which is what re-encoding sends.
                guard let canonical = DecimalSyntax.pythonString(text) else {
                    throw PackifyError(.invalidDecimal(text), at: p)
                }
                return .decimal(canonical)
            }
        case .int, .negInt:
            let negative = type == .negInt
            if width == 0 {
                try need(1, "int size", p, end)
                let size = Int(buf[p])
                p += 1
                try need(size, "int value", p, end)
                return .int(PackifyInteger(isNegative: negative, magnitude: UnsafeRawBufferPointer(rebasing: buf[p..<(p + size)])))
            }
            try need(width, "int value", p, end)
            let m = readUInt(buf, p, width)
            return .int(PackifyInteger(m, negative: negative))
        case .bigInt, .bigNeg:
            try need(4, "big int size", p, end)
            let size = Int(readUInt(buf, p, 4))
            p += 4
            try need(size, "big int value", p, end)
            return .int(PackifyInteger(isNegative: type == .bigNeg, magnitude: UnsafeRawBufferPointer(rebasing: buf[p..<(p + size)])))
        case .packable:
            try need(2 * width, "packable sizes", p, end)
            let nameLength = Int(readUInt(buf, p, width))
            let dataLength = Int(readUInt(buf, p + width, width))
            p += 2 * width
            try need(nameLength + dataLength, "packable value", p, end)
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: buf[p..<(p + nameLength)]), as: UTF8.self)
            throw PackifyError(.packableNotSupported(className: name), at: start)
        case .list, .set, .tuple, .dict:
            guard depth < maxDepth else { throw PackifyError(.nestingTooDeep(limit: maxDepth), at: start) }
            return try decodeContainer(buf, type: type, width: width, start: start, end: end, depth: depth)
        }
    }

    private func decodeContainer(
        _ buf: UnsafeRawBufferPointer, type: PackifyTypeCode, width: Int, start: Int, end: Int, depth: Int
    ) throws(PackifyError) -> PackifyValue {
        var (itemWidth, count, p) = try containerHeader(buf, type: type, width: width, start: start, end: end)
        // count * itemWidth cannot overflow: count < 2^32, itemWidth <= 4.
        try need(count * itemWidth, "\(type.name) item length table", p, end)
        let table = p
        var total = 0
        for i in 0..<count { total += Int(readUInt(buf, table + i * itemWidth, itemWidth)) }
        p += count * itemWidth
        try need(total, "\(type.name) items", p, end)

        if type == .dict {
            var entries: [PackifyDictEntry] = []
            entries.reserveCapacity(count)
            for i in 0..<count {
                let length = Int(readUInt(buf, table + i * itemWidth, itemWidth))
                entries.append(try decodePair(buf, p, p + length, depth: depth + 1, dictStart: start))
                p += length
            }
            return .dict(PythonKey.deduplicatedEntries(entries))
        }
        var items: [PackifyValue] = []
        items.reserveCapacity(count)
        for i in 0..<count {
            let length = Int(readUInt(buf, table + i * itemWidth, itemWidth))
            items.append(try decodeValue(buf, p, p + length, depth: depth + 1))
            p += length
        }
        switch type {
        case .list: return .list(items)
        case .tuple: return .tuple(items)
        case .set:
            for item in items where !PythonKey.isHashable(item) {
                throw PackifyError(.unhashable(type: item.typeName, context: "set item"), at: start)
            }
            return .set(PythonKey.deduplicated(items))
        default:
            return .tuple(items)
        }
    }

    /// Reads a container's item-length category and count; returns the item length width,
    /// the count and the offset of the length table.
    private func containerHeader(
        _ buf: UnsafeRawBufferPointer, type: PackifyTypeCode, width: Int, start: Int, end: Int
    ) throws(PackifyError) -> (itemWidth: Int, count: Int, table: Int) {
        let p = start + 1
        try need(1 + width, "\(type.name) item length category and count", p, end)
        let itemCategory = buf[p]
        let itemWidth = PackifyCategory.width(ofCode: itemCategory)
        guard itemCategory & 0x3F == 0, itemWidth != 0 else {
            throw PackifyError(.invalidItemLengthCategory(itemCategory), at: p)
        }
        return (itemWidth, Int(readUInt(buf, p + 1, width)), p + 1 + width)
    }

    /// One dict item: packify requires it to decode to a 2-tuple with a hashable key.
    /// Decoding the pair's two slots directly accepts and rejects exactly what decoding
    /// the tuple and then checking it would, without building the tuple.
    private func decodePair(_ buf: UnsafeRawBufferPointer, _ start: Int, _ end: Int, depth: Int, dictStart: Int) throws(PackifyError) -> PackifyDictEntry {
        guard start < end, buf[start] & 0x3F == PackifyTypeCode.tuple.rawValue, depth < maxDepth else {
            _ = try decodeValue(buf, start, end, depth: depth)  // its own error, if it has one
            throw PackifyError(.dictItemNotPair, at: dictStart)
        }
        let width = PackifyCategory.width(ofCode: buf[start])
        guard width != 0 else {
            throw PackifyError(.lengthCategoryNotAllowed(code: buf[start], type: "TUPLE"), at: start)
        }
        var (itemWidth, count, p) = try containerHeader(buf, type: .tuple, width: width, start: start, end: end)
        guard count == 2 else {
            _ = try decodeValue(buf, start, end, depth: depth)
            throw PackifyError(.dictItemNotPair, at: dictStart)
        }
        try need(2 * itemWidth, "TUPLE item length table", p, end)
        let keyLength = Int(readUInt(buf, p, itemWidth))
        let valueLength = Int(readUInt(buf, p + itemWidth, itemWidth))
        p += 2 * itemWidth
        try need(keyLength + valueLength, "TUPLE items", p, end)
        let key = try decodeValue(buf, p, p + keyLength, depth: depth + 1)
        let value = try decodeValue(buf, p + keyLength, p + keyLength + valueLength, depth: depth + 1)
        guard PythonKey.isHashable(key) else {
            throw PackifyError(.unhashable(type: key.typeName, context: "dict key"), at: dictStart)
        }
        return PackifyDictEntry(key, value)
    }

    @inline(__always)
    private func need(_ n: Int, _ what: @autoclosure () -> String, _ p: Int, _ end: Int) throws(PackifyError) {
        if end - p < n {
            throw PackifyError(.truncated(what: what(), needed: n, available: max(0, end - p)), at: p)
        }
    }
}

@inline(__always)
func readUInt(_ buf: UnsafeRawBufferPointer, _ p: Int, _ width: Int) -> UInt64 {
    var v: UInt64 = 0
    for i in 0..<width { v = v << 8 | UInt64(buf[p + i]) }
    return v
}

extension PackifyInteger {
    init(_ magnitude: UInt64, negative: Bool) {
        if negative, magnitude <= UInt64(Int.max) {
            self.init(-Int(magnitude))
        } else if !negative {
            self.init(magnitude)
        } else {
            self.init(isNegative: true, magnitude: withUnsafeBytes(of: magnitude.bigEndian) { Array($0) })
        }
    }
}

extension Packify {
    /// Decodes packify bytes with the default decoder.
    public static func decode(_ bytes: some Collection<UInt8>) throws(PackifyError) -> PackifyValue {
        try PackifyDecoder().decode(bytes)
    }

    public static func decode(_ bytes: [UInt8]) throws(PackifyError) -> PackifyValue {
        try PackifyDecoder().decode(bytes)
    }
}
