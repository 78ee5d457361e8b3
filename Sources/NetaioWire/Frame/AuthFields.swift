/// The auth block: named fields (normally bytes) that auth and cipher plugins read and
/// write. Encoded as a packify dict of str → value, so its wire order is packify's sorted
/// order, not insertion order.
public struct AuthFields: Equatable, Hashable, Sendable {
    /// Fields in insertion order; names are unique.
    public private(set) var fields: [(name: String, value: PackifyValue)]

    public init() { fields = [] }

    public init(_ fields: [(String, PackifyValue)]) {
        self.fields = []
        for (name, value) in fields { self[name] = value }
    }

    public var isEmpty: Bool { fields.isEmpty }
    public var names: [String] { fields.map(\.name) }

    public subscript(name: String) -> PackifyValue? {
        get { fields.first(where: { $0.name.utf8.elementsEqual(name.utf8) })?.value }
        set {
            let i = fields.firstIndex(where: { $0.name.utf8.elementsEqual(name.utf8) })
            switch (i, newValue) {
            case (let i?, let v?): fields[i].value = v
            case (let i?, nil): fields.remove(at: i)
            case (nil, let v?): fields.append((name, v))
            case (nil, nil): break
            }
        }
    }

    /// The field's bytes when it holds `bytes` (or `bytearray`).
    public func bytes(_ name: String) -> [UInt8]? { self[name]?.byteArrayValue }

    public var packifyValue: PackifyValue {
        .dict(fields.map { PackifyDictEntry(.string($0.name), $0.value) })
    }

    /// The auth block of a message without auth fields.
    static let emptyEncoding: [UInt8] = try! AuthFields().encode()

    public func encode() throws(WireError) -> [UInt8] {
        var out: [UInt8] = []
        try encode(into: &out)
        return out
    }

    /// Appends the auth block. Names are distinct strings by construction, so this skips
    /// the generic dict path's duplicate-key merging.
    public func encode(into out: inout [UInt8]) throws(WireError) {
        do {
            try Packify.appendStringKeyedDict(fields, into: &out)
        } catch {
            throw .unencodableAuthFields(error)
        }
    }

    /// Strict decoding of a whole auth block: a packify dict with str keys and nothing after it.
    public static func decode(_ block: some Collection<UInt8>, maxDepth: Int = 64) throws(WireError) -> AuthFields {
        try withRawBytes(block) { buf throws(WireError) in try decode(buf, maxDepth: maxDepth) }
    }

    static func decode(_ buf: UnsafeRawBufferPointer, maxDepth: Int) throws(WireError) -> AuthFields {
        guard buf.count > 0 else { throw .emptyAuthBlock }
        // Frames without auth plugins (most of them) carry the empty dict: skip the decoder.
        if holdsExactly(buf, emptyEncoding) { return AuthFields() }
        let value: PackifyValue
        do {
            value = try PackifyDecoder(maxDepth: maxDepth).decodeValue(buf, 0, buf.count, depth: 0)
        } catch {
            throw .invalidAuthBlock(error)
        }
        guard case .dict(let entries) = value else { throw .authBlockNotDict(type: value.typeName) }
        var fields = AuthFields()
        fields.fields.reserveCapacity(entries.count)
        for entry in entries {
            guard case .string(let name) = entry.key else { throw .authFieldNameNotString(type: entry.key.typeName) }
            fields.fields.append((name, entry.value))  // packify already merged duplicate keys
        }
        // Anything after the dict means the sender's auth_length disagrees with its data.
        let length = containerLength(buf)
        if length < buf.count { throw .trailingBytesInAuthBlock(count: buf.count - length) }
        return fields
    }

    /// Length of the top-level packify container at the start of `buf` (header, table and
    /// items), read from its own length fields. Only called on a buffer that decoded.
    static func containerLength(_ buf: UnsafeRawBufferPointer) -> Int {
        let code = buf[0]
        let width = PackifyCategory.width(ofCode: code)
        let itemWidth = PackifyCategory.width(ofCode: buf[1])
        let count = Int(readUInt(buf, 2, width))
        var total = 2 + width + count * itemWidth
        for i in 0..<count { total += Int(readUInt(buf, 2 + width + i * itemWidth, itemWidth)) }
        return total
    }

    public static func == (a: AuthFields, b: AuthFields) -> Bool {
        a.fields.count == b.fields.count
            && a.fields.allSatisfy { f in b[f.name] == f.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(fields.count)
    }
}
