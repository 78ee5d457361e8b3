/// An integer of any size, as packify (and Python) know it: a sign and a big-endian
/// magnitude with no leading zero bytes. Zero is never negative.
///
/// We keep the magnitude as bytes because the wire format stores it that way and netaio
/// never does arithmetic on it; this keeps NetaioWire free of a big-number dependency.
public struct PackifyInteger: Hashable, Sendable, CustomStringConvertible {
    public let isNegative: Bool
    /// Big-endian magnitude with no leading zero bytes (empty for zero).
    public let magnitude: [UInt8]

    public init(isNegative: Bool, magnitude: some Collection<UInt8>) {
        let trimmed = Array(magnitude.drop(while: { $0 == 0 }))
        self.magnitude = trimmed
        self.isNegative = isNegative && !trimmed.isEmpty
    }

    public init(_ value: Int) {
        let negative = value < 0
        self.init(magnitude: UInt64(value.magnitude), isNegative: negative)
    }

    public init(_ value: UInt64) {
        self.init(magnitude: value, isNegative: false)
    }

    private init(magnitude value: UInt64, isNegative: Bool) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8)
        var v = value
        while v > 0 {
            bytes.append(UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
        self.magnitude = bytes.reversed()
        self.isNegative = isNegative && value != 0
    }

    /// Parses a decimal string such as "-123" (any length).
    public init?(decimalString text: String) {
        var digits = Substring(text)
        var negative = false
        if digits.first == "-" { negative = true; digits = digits.dropFirst() }
        else if digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty else { return nil }
        // Little-endian base-256 accumulator: mag = mag * 10 + digit.
        var little: [UInt8] = []
        for ch in digits.utf8 {
            guard ch >= 0x30, ch <= 0x39 else { return nil }
            var carry = UInt32(ch - 0x30)
            for i in little.indices {
                let v = UInt32(little[i]) * 10 + carry
                little[i] = UInt8(truncatingIfNeeded: v)
                carry = v >> 8
            }
            while carry > 0 { little.append(UInt8(truncatingIfNeeded: carry)); carry >>= 8 }
        }
        self.init(isNegative: negative, magnitude: little.reversed())
    }

    /// The value as an `Int`, when it fits.
    public var intValue: Int? {
        guard magnitude.count <= 8 else { return nil }
        var m: UInt64 = 0
        for b in magnitude { m = m << 8 | UInt64(b) }
        if isNegative {
            if m <= UInt64(Int.max) { return -Int(m) }
            return m == UInt64(Int.max) + 1 ? Int.min : nil
        }
        return m <= UInt64(Int.max) ? Int(m) : nil
    }

    /// The magnitude as a `UInt64`, when it fits.
    var magnitudeUInt64: UInt64? {
        guard magnitude.count <= 8 else { return nil }
        var m: UInt64 = 0
        for b in magnitude { m = m << 8 | UInt64(b) }
        return m
    }

    public var isZero: Bool { magnitude.isEmpty }

    /// Decimal text, like Python's `str(int)`.
    public var description: String {
        if magnitude.isEmpty { return "0" }
        // Repeated division by 10^19 over big-endian UInt32 limbs would be faster;
        // this is only used for display and tests.
        var limbs = magnitude
        var digits: [UInt8] = []
        while !limbs.isEmpty {
            var remainder: UInt32 = 0
            var next: [UInt8] = []
            next.reserveCapacity(limbs.count)
            for b in limbs {
                let cur = remainder << 8 | UInt32(b)
                let q = cur / 10
                remainder = cur % 10
                if !(next.isEmpty && q == 0) { next.append(UInt8(q)) }
            }
            digits.append(UInt8(remainder) + 0x30)
            limbs = next
        }
        let text = String(decoding: digits.reversed(), as: UTF8.self)
        return isNegative ? "-" + text : text
    }
}

extension PackifyInteger: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
}
