import Foundation

/// The VM's arbitrary-precision signed integer (tapescript works on Python ints).
///
/// Sign and magnitude, 32-bit limbs, least significant first, no leading zero limbs;
/// zero is `negative == false, limbs == []`. Only what the opcodes need: two's-complement
/// byte conversion in tapescript's format, add, subtract, multiply, floor division and
/// modulus, comparison, and conversion to and from `Double` with Python's rounding.
/// Operand sizes are bounded by the VM (stack items are at most a few kilobytes), so the
/// schoolbook algorithms are fast enough; nothing here can trap on any input.
struct TSInt: Equatable, Comparable, CustomStringConvertible {
    private(set) var negative: Bool
    private(set) var limbs: [UInt32]

    static let zero = TSInt(negative: false, limbs: [])

    private init(negative: Bool, limbs: [UInt32]) {
        var l = limbs
        while let last = l.last, last == 0 { l.removeLast() }
        self.limbs = l
        self.negative = l.isEmpty ? false : negative
    }

    init(_ value: Int) {
        let m = value.magnitude
        self.init(negative: value < 0, limbs: [UInt32(truncatingIfNeeded: m), UInt32(truncatingIfNeeded: m >> 32)])
    }

    /// Unsigned big-endian bytes (Python `int.from_bytes(b, 'big')`).
    init(unsignedBigEndian bytes: [UInt8]) {
        var l = [UInt32](repeating: 0, count: (bytes.count + 3) / 4)
        for (i, byte) in bytes.reversed().enumerated() {
            l[i / 4] |= UInt32(byte) << (8 * UInt32(i % 4))
        }
        self.init(negative: false, limbs: l)
    }

    /// tapescript's `bytes_to_int`: big-endian two's complement. Nil for empty input
    /// (where tapescript raises ValueError).
    init?(signedBigEndian bytes: [UInt8]) {
        guard let first = bytes.first else { return nil }
        if bytes.count <= 4 {  // fast path: fits an Int with room to spare
            var v = Int(Int8(bitPattern: first))
            for b in bytes.dropFirst() { v = v << 8 | Int(b) }
            self.init(v)
            return
        }
        let u = TSInt(unsignedBigEndian: bytes)
        if first & 0x80 == 0 { self = u; return }
        // value - 2^(8n)
        var pow = [UInt32](repeating: 0, count: bytes.count / 4 + 1)
        pow[bytes.count / 4] = 1 << (8 * UInt32(bytes.count % 4))
        self = u - TSInt(negative: false, limbs: pow)
    }

    var isZero: Bool { limbs.isEmpty }
    var isNegative: Bool { negative }
    var magnitude: TSInt { TSInt(negative: false, limbs: limbs) }
    var negated: TSInt { TSInt(negative: !negative, limbs: limbs) }

    /// Number of significant bits of the magnitude.
    var bitWidth: Int {
        guard let top = limbs.last else { return 0 }
        return (limbs.count - 1) * 32 + (32 - top.leadingZeroBitCount)
    }

    /// The value as an `Int` when it fits.
    var intValue: Int? {
        guard limbs.count <= 2 else { return nil }
        let m = limbs.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (32 * UInt64($1.offset)) }
        if negative {
            return m <= UInt64(Int.max) + 1 ? Int(truncatingIfNeeded: 0 &- m) : nil
        }
        return m <= UInt64(Int.max) ? Int(m) : nil
    }

    /// Unsigned big-endian bytes of the magnitude, exactly `count` long (high bytes dropped).
    func magnitudeBytes(count: Int) -> [UInt8] {
        (0..<count).map { i in
            let bit = (count - 1 - i) * 8
            let limb = bit / 32
            return limb < limbs.count ? UInt8(truncatingIfNeeded: limbs[limb] >> UInt32(bit % 32)) : 0
        }
    }

    // MARK: arithmetic on magnitudes

    private static func addMag(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out = [UInt32](); out.reserveCapacity(max(a.count, b.count) + 1)
        var carry: UInt64 = 0
        for i in 0..<max(a.count, b.count) {
            let s = UInt64(i < a.count ? a[i] : 0) + UInt64(i < b.count ? b[i] : 0) + carry
            out.append(UInt32(truncatingIfNeeded: s)); carry = s >> 32
        }
        if carry != 0 { out.append(UInt32(carry)) }
        return out
    }

    /// a - b for |a| >= |b|.
    private static func subMag(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out = [UInt32](); out.reserveCapacity(a.count)
        var borrow: Int64 = 0
        for i in 0..<a.count {
            var d = Int64(a[i]) - Int64(i < b.count ? b[i] : 0) - borrow
            if d < 0 { d += 1 << 32; borrow = 1 } else { borrow = 0 }
            out.append(UInt32(truncatingIfNeeded: d))
        }
        return out
    }

    private static func cmpMag(_ a: [UInt32], _ b: [UInt32]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for i in stride(from: a.count - 1, through: 0, by: -1) where a[i] != b[i] {
            return a[i] < b[i] ? -1 : 1
        }
        return 0
    }

    private static func mulMag(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        if a.isEmpty || b.isEmpty { return [] }
        var out = [UInt32](repeating: 0, count: a.count + b.count)
        for i in 0..<a.count {
            var carry: UInt64 = 0
            let ai = UInt64(a[i])
            for j in 0..<b.count {
                let t = ai * UInt64(b[j]) + UInt64(out[i + j]) + carry
                out[i + j] = UInt32(truncatingIfNeeded: t); carry = t >> 32
            }
            out[i + b.count] = UInt32(truncatingIfNeeded: carry)
        }
        return out
    }

    /// Truncating division of magnitudes (Knuth algorithm D); b must be non-empty.
    private static func divModMag(_ a: [UInt32], _ b: [UInt32]) -> (q: [UInt32], r: [UInt32]) {
        if cmpMag(a, b) < 0 { return ([], a) }
        if b.count == 1 {
            let d = UInt64(b[0])
            var q = [UInt32](repeating: 0, count: a.count)
            var r: UInt64 = 0
            for i in stride(from: a.count - 1, through: 0, by: -1) {
                let cur = r << 32 | UInt64(a[i])
                q[i] = UInt32(truncatingIfNeeded: cur / d); r = cur % d
            }
            return (q, [UInt32(truncatingIfNeeded: r)])
        }
        // b has at least two limbs here and no zero top limb.
        let s = UInt32(b.last.map { $0.leadingZeroBitCount } ?? 0)
        let v = shiftLeft(b, s)
        var u = shiftLeft(a, s)
        if u.count == a.count { u.append(0) }
        let n = v.count, m = u.count - n
        var q = [UInt32](repeating: 0, count: m)
        let vTop = UInt64(v[n - 1]), vNext = UInt64(v[n - 2])
        for j in stride(from: m - 1, through: 0, by: -1) {
            let num = UInt64(u[j + n]) << 32 | UInt64(u[j + n - 1])
            var qhat = num / vTop
            var rhat = num % vTop
            while qhat > 0xFFFF_FFFF || qhat * vNext > (rhat << 32 | UInt64(u[j + n - 2])) {
                qhat -= 1; rhat += vTop
                if rhat > 0xFFFF_FFFF { break }
            }
            var borrow: Int64 = 0
            var carry: UInt64 = 0
            for i in 0..<n {
                let p = qhat * UInt64(v[i]) + carry
                carry = p >> 32
                let t = Int64(u[i + j]) - borrow - Int64(p & 0xFFFF_FFFF)
                u[i + j] = UInt32(truncatingIfNeeded: t)
                borrow = t < 0 ? 1 : 0
            }
            let t = Int64(u[j + n]) - borrow - Int64(carry)
            u[j + n] = UInt32(truncatingIfNeeded: t)
            if t < 0 {
                qhat -= 1
                var c: UInt64 = 0
                for i in 0..<n {
                    let s2 = UInt64(u[i + j]) + UInt64(v[i]) + c
                    u[i + j] = UInt32(truncatingIfNeeded: s2); c = s2 >> 32
                }
                u[j + n] = UInt32(truncatingIfNeeded: UInt64(u[j + n]) + c)
            }
            q[j] = UInt32(truncatingIfNeeded: qhat)
        }
        return (q, shiftRight(Array(u[0..<n]), s))
    }

    private static func shiftLeft(_ a: [UInt32], _ s: UInt32) -> [UInt32] {
        if s == 0 { return a }
        var out = [UInt32](); out.reserveCapacity(a.count + 1)
        var carry: UInt32 = 0
        for x in a { out.append(x << s | carry); carry = x >> (32 - s) }
        if carry != 0 { out.append(carry) }
        return out
    }

    private static func shiftRight(_ a: [UInt32], _ s: UInt32) -> [UInt32] {
        if s == 0 { return a }
        var out = [UInt32](repeating: 0, count: a.count)
        for i in 0..<a.count {
            out[i] = a[i] >> s | (i + 1 < a.count ? a[i + 1] << (32 - s) : 0)
        }
        return out
    }

    static func + (a: TSInt, b: TSInt) -> TSInt {
        if a.negative == b.negative { return TSInt(negative: a.negative, limbs: addMag(a.limbs, b.limbs)) }
        if cmpMag(a.limbs, b.limbs) >= 0 { return TSInt(negative: a.negative, limbs: subMag(a.limbs, b.limbs)) }
        return TSInt(negative: b.negative, limbs: subMag(b.limbs, a.limbs))
    }

    static func - (a: TSInt, b: TSInt) -> TSInt { a + b.negated }

    static func * (a: TSInt, b: TSInt) -> TSInt {
        TSInt(negative: a.negative != b.negative, limbs: mulMag(a.limbs, b.limbs))
    }

    /// Python's floor division and modulus (`//`, `%`); nil when dividing by zero.
    static func floorDivMod(_ a: TSInt, _ b: TSInt) -> (q: TSInt, r: TSInt)? {
        guard !b.isZero else { return nil }
        let (qm, rm) = divModMag(a.limbs, b.limbs)
        var q = TSInt(negative: a.negative != b.negative, limbs: qm)
        var r = TSInt(negative: a.negative, limbs: rm)
        if !r.isZero && r.negative != b.negative {
            q = q - TSInt(1)
            r = r + b
        }
        return (q, r)
    }

    static func < (a: TSInt, b: TSInt) -> Bool {
        if a.negative != b.negative { return a.negative }
        let c = cmpMag(a.limbs, b.limbs)
        return a.negative ? c > 0 : c < 0
    }

    // MARK: tapescript byte format

    /// tapescript's `int_to_bytes`: two's complement, whose length comes from
    /// `floor(log2(|n|)) + 1` computed in floating point as CPython does. That is the
    /// minimal length except where the float rounds up to the next power of two
    /// (e.g. 2**63 - 1 takes 9 bytes, not 8).
    var tapescriptBytes: [UInt8] {
        // Small values (the common case): below 2^40 the double and its log2 are exact
        // enough that floor(log2(n)) + 1 is the bit width; minimal two's complement.
        if limbs.count <= 1 {
            let v = Int64(limbs.first ?? 0)
            let x = negative ? -v : v
            var n = 1
            while n < 8 && (x < -(Int64(1) << (8 * n - 1)) || x >= Int64(1) << (8 * n - 1)) { n += 1 }
            return (0..<n).map { UInt8(truncatingIfNeeded: x >> (8 * Int64(n - 1 - $0))) }
        }
        return generalTapescriptBytes
    }

    /// `int_to_bytes` step by step as Python computes it (any size).
    var generalTapescriptBytes: [UInt8] {
        let m = magnitude
        let nBits = m.isZero ? 1 : Int(floor(m.pythonLog2)) + 1
        var nBytes = (nBits + 7) / 8
        if negative {
            if nBits % 8 == 0 && m > TSInt.powerOfTwo(nBytes * 8 - 1) { nBytes += 1 }
            // 2^(8n) - |v|
            let value = TSInt.powerOfTwo(nBytes * 8) - m
            return value.magnitudeBytes(count: nBytes)
        } else if nBits % 8 == 0 {
            nBytes += 1
        }
        return m.magnitudeBytes(count: nBytes)
    }

    static func powerOfTwo(_ k: Int) -> TSInt {
        var l = [UInt32](repeating: 0, count: k / 32 + 1)
        l[k / 32] = 1 << UInt32(k % 32)
        return TSInt(negative: false, limbs: l)
    }

    /// Python's `math.log2` of this (positive) int: via the correctly rounded double when
    /// the value fits one, else `log2(m) + e` from a correctly rounded `frexp`.
    var pythonLog2: Double {
        let (mant, exp) = roundedFrexp()
        // value ~= mant * 2^exp with mant in [0.5, 1)
        if exp <= 1024 {
            return log2(scalbn(mant, exp))
        }
        return log2(mant) + Double(exp)
    }

    /// (m, e) with |self| ~= m * 2^e, m in [0.5, 1), m rounded half-even to 53 bits
    /// (CPython's `_PyLong_Frexp`). For zero, (0, 0).
    func roundedFrexp() -> (Double, Int) {
        let bits = bitWidth
        guard bits > 0 else { return (0, 0) }
        var top: UInt64   // the leading min(bits, 55) bits, then a sticky bit for the rest
        let keep = 55
        if bits <= keep {
            top = 0
            for (i, l) in limbs.enumerated() { top |= UInt64(l) << (32 * UInt64(i)) }
            top <<= UInt64(keep - bits)
        } else {
            let shift = bits - keep
            top = 0
            for i in 0..<keep {
                let bit = shift + i
                if limbs[bit / 32] >> UInt32(bit % 32) & 1 == 1 { top |= 1 << UInt64(i) }
            }
            var sticky = false
            for bit in 0..<shift where limbs[bit / 32] >> UInt32(bit % 32) & 1 == 1 { sticky = true; break }
            if sticky { top |= 1 }
        }
        // top has 55 significant bits: 53 kept, then a round bit and a sticky bit.
        var mant = top >> 2
        let half = (top >> 1) & 1, rest = top & 1
        if half == 1 && (rest == 1 || mant & 1 == 1) { mant += 1 }
        var e = bits
        if mant == 1 << 53 { mant >>= 1; e += 1 }
        return (Double(mant) / 9007199254740992.0, e)  // mant / 2^53
    }

    /// Python's `float(int)`: correctly rounded; nil when it overflows a double.
    var doubleValue: Double? {
        let (m, e) = roundedFrexp()
        if e > 1024 { return nil }
        let d = scalbn(m, e)
        guard d.isFinite else { return nil }
        return negative ? -d : d
    }

    /// Python's `int(float)` (truncation) for a finite double.
    init(truncating d: Double) {
        let t = d.rounded(.towardZero)
        let mag = abs(t)
        if mag < 1 { self = .zero; return }
        let e = mag.exponent  // mag = significand * 2^e, significand in [1, 2)
        let sig = UInt64(mag.significandBitPattern) | (1 << 52)
        var v = TSInt(unsignedBigEndian: (0..<8).map { UInt8(truncatingIfNeeded: sig >> UInt64(8 * (7 - $0))) })
        let shift = Int(e) - 52
        if shift >= 0 {
            v = v * TSInt.powerOfTwo(shift)
        } else if let (q, _) = TSInt.floorDivMod(v, TSInt.powerOfTwo(-shift)) {
            v = q
        }
        self = t < 0 ? v.negated : v
    }

    var description: String {
        if isZero { return "0" }
        var digits: [Character] = []
        var m = magnitude
        let ten = TSInt(1_000_000_000)
        while !m.isZero {
            guard let (q, r) = TSInt.floorDivMod(m, ten) else { break }
            var chunk = r.intValue ?? 0
            for _ in 0..<9 {
                digits.append(Character(String(chunk % 10)))
                chunk /= 10
                if q.isZero && chunk == 0 { break }
            }
            m = q
        }
        while digits.count > 1 && digits.last == "0" { digits.removeLast() }
        return (negative ? "-" : "") + String(digits.reversed())
    }
}
