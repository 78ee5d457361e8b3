/// Python's equality and hashability rules for dict keys and set items.
///
/// Python merges keys that compare equal (`1`, `1.0`, `True`), rejects unhashable keys
/// (list, dict, set, bytearray, a tuple holding one, a signalling-NaN Decimal) and keeps
/// the first key object with the last value. packify decodes through real Python dicts and
/// sets, so we mirror that to accept and merge exactly what the reference does.
struct PythonKey: Hashable {
    let value: PackifyValue

    static func isHashable(_ value: PackifyValue) -> Bool {
        switch value {
        case .list, .dict, .set, .bytearray: false
        case .tuple(let items): items.allSatisfy(isHashable)
        case .decimal(let text): !DecimalSyntax.isSignalingNaN(text)
        default: true
        }
    }

    static func == (lhs: PythonKey, rhs: PythonKey) -> Bool { equal(lhs.value, rhs.value) }

    func hash(into hasher: inout Hasher) { Self.hash(value, into: &hasher) }

    // MARK: - equality

    /// Numbers in one comparable form: an exact integer, a non-integral float, a decimal
    /// that is not an integer, or something that equals nothing (NaN).
    private enum Number: Hashable {
        case integer(PackifyInteger)
        case float(UInt64)
        case decimal(String)
        case incomparable
    }

    private static func number(_ v: PackifyValue) -> Number? {
        switch v {
        case .int(let i): return .integer(i)
        case .bool(let b): return .integer(PackifyInteger(b ? 1 : 0))
        case .float(let f):
            if f.isNaN { return .incomparable }
            if f.isFinite, f == f.rounded(.towardZero) { return .integer(integer(fromIntegral: f)) }
            return .float(f.bitPattern)
        case .decimal(let text):
            guard let normal = DecimalSyntax.normalize(text) else { return .incomparable }
            // A NaN Decimal equals nothing, itself included, and (Python 3.10+) hashes by
            // identity, so a set keeps every NaN item (found by differential fuzzing).
            if normal.special == .nan { return .incomparable }
            if let i = normal.integerValue { return .integer(i) }
            return .decimal(normal.canonical)
        default: return nil
        }
    }

    private static func integer(fromIntegral f: Double) -> PackifyInteger {
        // Exact: an integral double is mantissa * 2^exponent.
        let magnitude = f.magnitude
        if magnitude < 1.8e19 { return PackifyInteger(isNegative: f < 0, magnitude: bytes(of: UInt64(magnitude))) }
        let exponent = Int(magnitude.exponent) - 52
        var little: [UInt8] = Array(bytes(of: magnitude.significandBitPattern | (1 << 52)).reversed())
        // shift left by `exponent` bits
        let byteShift = exponent / 8, bitShift = exponent % 8
        if bitShift > 0 {
            var carry: UInt16 = 0
            for i in little.indices {
                let v = UInt16(little[i]) << bitShift | carry
                little[i] = UInt8(truncatingIfNeeded: v)
                carry = v >> 8
            }
            if carry > 0 { little.append(UInt8(carry)) }
        }
        little.insert(contentsOf: [UInt8](repeating: 0, count: byteShift), at: 0)
        return PackifyInteger(isNegative: f < 0, magnitude: little.reversed())
    }

    private static func bytes(of v: UInt64) -> [UInt8] {
        withUnsafeBytes(of: v.bigEndian) { Array($0) }
    }

    static func equal(_ a: PackifyValue, _ b: PackifyValue) -> Bool {
        if case .string(let x) = a, case .string(let y) = b {  // the common case
            return x.utf8.count == y.utf8.count && x.utf8.elementsEqual(y.utf8)
        }
        if let na = number(a), let nb = number(b) {
            if na == .incomparable || nb == .incomparable { return false }
            return na == nb
        }
        switch (a, b) {
        case (.none, .none): return true
        case (.bytes(let x), .bytes(let y)): return x == y
        case (.string(let x), .string(let y)): return x.utf8.elementsEqual(y.utf8)
        case (.tuple(let x), .tuple(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        default: return false
        }
    }

    static func hash(_ v: PackifyValue, into hasher: inout Hasher) {
        if let n = number(v) {
            hasher.combine(1)
            if n != .incomparable { hasher.combine(n) }
            return
        }
        switch v {
        case .none: hasher.combine(0)
        case .bytes(let b): hasher.combine(2); hasher.combine(b)
        case .string(let s): hasher.combine(3); for c in s.utf8 { hasher.combine(c) }
        case .tuple(let items):
            hasher.combine(4)
            hasher.combine(items.count)
            for item in items { hash(item, into: &hasher) }
        default: hasher.combine(5)
        }
    }

    // MARK: - merging

    /// Set semantics: the first of equal items stays.
    static func deduplicated(_ items: [PackifyValue]) -> [PackifyValue] {
        if items.count < 2 { return items }
        if items.count <= 16 {
            var out: [PackifyValue] = []
            for item in items where !out.contains(where: { equal($0, item) }) { out.append(item) }
            return out
        }
        var seen = Set<PythonKey>()
        return items.filter { seen.insert(PythonKey(value: $0)).inserted }
    }

    /// Dict semantics: the first key object and position stay, the last value wins.
    static func deduplicatedEntries(_ entries: [PackifyDictEntry]) -> [PackifyDictEntry] {
        if entries.count < 2 { return entries }
        var out: [PackifyDictEntry] = []
        out.reserveCapacity(entries.count)
        if entries.count <= 16 {
            for entry in entries {
                if let i = out.firstIndex(where: { equal($0.key, entry.key) }) {
                    out[i].value = entry.value
                } else {
                    out.append(entry)
                }
            }
            return out
        }
        var index: [PythonKey: Int] = [:]
        for entry in entries {
            let key = PythonKey(value: entry.key)
            if let i = index[key] {
                out[i].value = entry.value
            } else {
                index[key] = out.count
                out.append(entry)
            }
        }
        return out
    }
}
