/// What Python's `decimal.Decimal(text)` (the C `_decimal`/libmpdec implementation)
/// accepts, so a DECIMAL payload is accepted or rejected exactly as packify does.
///
/// Measured on CPython 3.11: white space (as `str.isspace`) is stripped at both ends;
/// then underscores are dropped anywhere, inner white space becomes a space and non-ASCII
/// decimal digits become ASCII digits (anything else non-ASCII is an error); then
/// libmpdec's grammar applies, with the exponent limits of its maximum context.
enum DecimalSyntax {
    /// libmpdec MPD_MAX_EMAX and MPD_MIN_ETINY on 64-bit platforms.
    static let maxAdjustedExponent = 999_999_999_999_999_999
    static let minExponent = -1_999_999_999_999_999_997

    struct Normalized {
        var negative: Bool
        /// Coefficient digits without leading zeros ("0" for zero), ASCII.
        var digits: [UInt8]
        var exponent: Int
        var special: Special?
        /// NaN diagnostic payload digits, leading zeros removed.
        var payload: [UInt8] = []
        enum Special { case infinity, nan, signalingNaN }

        /// Python's `str(Decimal)` (to-scientific-string), which is what packify encodes.
        var pythonString: String {
            let sign = negative ? "-" : ""
            let payloadText = String(decoding: payload, as: UTF8.self)
            switch special {
            case .infinity: return sign + "Infinity"
            case .nan: return sign + "NaN" + payloadText
            case .signalingNaN: return sign + "sNaN" + payloadText
            case nil: break
            }
            let leftDigits = exponent + digits.count
            let dotPlace = (exponent <= 0 && leftDigits > -6) ? leftDigits : 1
            var text = sign
            if dotPlace <= 0 {
                text += "0." + String(repeating: "0", count: -dotPlace) + String(decoding: digits, as: UTF8.self)
            } else if dotPlace >= digits.count {
                text += String(decoding: digits, as: UTF8.self) + String(repeating: "0", count: dotPlace - digits.count)
            } else {
                text += String(decoding: digits[..<dotPlace], as: UTF8.self) + "." + String(decoding: digits[dotPlace...], as: UTF8.self)
            }
            if leftDigits != dotPlace {
                let e = leftDigits - dotPlace
                text += e >= 0 ? "E+\(e)" : "E\(e)"
            }
            return text
        }

        /// The value as an integer when it is one and small enough to convert cheaply.
        var integerValue: PackifyInteger? {
            guard special == nil else { return nil }
            var d = digits
            var e = exponent
            while e < 0, d.count > 1, d.last == 0x30 { d.removeLast(); e += 1 }
            if d == [0x30] { return PackifyInteger(0) }
            guard e >= 0, d.count + e <= 38 else { return nil }
            let text = String(decoding: d, as: UTF8.self) + String(repeating: "0", count: e)
            return PackifyInteger(decimalString: (negative ? "-" : "") + text)
        }

        /// A text that is equal for equal non-integral values.
        var canonical: String {
            switch special {
            case .infinity: return negative ? "-inf" : "inf"
            case .nan, .signalingNaN: return "nan"
            case nil:
                var d = digits
                var e = exponent
                while d.count > 1, d.last == 0x30 { d.removeLast(); e += 1 }
                let zero = d == [0x30]
                return (negative && !zero ? "-" : "") + String(decoding: d, as: UTF8.self) + "e\(zero ? 0 : e)"
            }
        }
    }

    static func isValid(_ text: String) -> Bool { normalize(text) != nil }

    /// `str(Decimal(text))`, or nil when Python would reject the text.
    static func pythonString(_ text: String) -> String? { normalize(text)?.pythonString }

    static func isSignalingNaN(_ text: String) -> Bool { normalize(text)?.special == .signalingNaN }

    static func normalize(_ text: String) -> Normalized? {
        guard let ascii = asciiForm(text) else { return nil }
        return parse(ascii[...])
    }

    /// Step one of `_decimal`'s conversion (`numeric_as_ascii`): white space is stripped
    /// from both ends of the str first, then underscores are dropped and the rest mapped
    /// to ASCII, so "1 _" keeps an inner space and is refused (found by differential fuzzing).
    private static func asciiForm(_ text: String) -> [UInt8]? {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.firstIndex(where: { !isPythonSpace($0) }) else { return nil }
        let last = scalars.lastIndex(where: { !isPythonSpace($0) })!
        var out: [UInt8] = []
        out.reserveCapacity(last - first + 1)
        for scalar in scalars[first...last] {
            let v = scalar.value
            if v == 0x5F { continue }  // '_'
            if isPythonSpace(scalar) { out.append(0x20); continue }
            if v > 0, v <= 127 { out.append(UInt8(v)); continue }
            if scalar.properties.numericType == .decimal, let n = scalar.properties.numericValue,
                n >= 0, n <= 9
            {
                out.append(0x30 + UInt8(n))
                continue
            }
            return nil
        }
        return out
    }

    /// Python's `str.isspace` for one character: ASCII \t-\r, \x1c-\x1f and space, and
    /// Unicode white space.
    private static func isPythonSpace(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 128 { return v == 0x20 || (0x09...0x0D).contains(v) || (0x1C...0x1F).contains(v) }
        return scalar.properties.isWhitespace
    }

    private static func lowercased(_ s: ArraySlice<UInt8>) -> [UInt8] {
        s.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 + 0x20 : $0 }
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    private static func parse(_ s: ArraySlice<UInt8>) -> Normalized? {
        var rest = s
        var negative = false
        if let c = rest.first, c == 0x2B || c == 0x2D {  // + -
            negative = c == 0x2D
            rest = rest.dropFirst()
        }
        let lower = lowercased(rest)
        if lower == Array("inf".utf8) || lower == Array("infinity".utf8) {
            return Normalized(negative: negative, digits: [], exponent: 0, special: .infinity)
        }
        for (prefix, kind) in [("snan", Normalized.Special.signalingNaN), ("nan", .nan)] {
            let p = Array(prefix.utf8)
            if lower.starts(with: p) {
                let payload = lower.dropFirst(p.count)
                guard payload.allSatisfy(isDigit) else { return nil }
                return Normalized(
                    negative: negative, digits: [], exponent: 0, special: kind,
                    payload: Array(payload.drop(while: { $0 == 0x30 })))
            }
        }
        // coefficient: digits [. digits] | . digits
        var integerPart: [UInt8] = []
        var fraction: [UInt8] = []
        var i = rest.startIndex
        while i < rest.endIndex, isDigit(rest[i]) { integerPart.append(rest[i]); i += 1 }
        if i < rest.endIndex, rest[i] == 0x2E {
            i += 1
            while i < rest.endIndex, isDigit(rest[i]) { fraction.append(rest[i]); i += 1 }
        }
        guard !integerPart.isEmpty || !fraction.isEmpty else { return nil }
        var writtenExponent = 0
        if i < rest.endIndex {
            guard rest[i] == 0x65 || rest[i] == 0x45 else { return nil }  // e E
            i += 1
            var expNegative = false
            if i < rest.endIndex, rest[i] == 0x2B || rest[i] == 0x2D {
                expNegative = rest[i] == 0x2D
                i += 1
            }
            guard i < rest.endIndex else { return nil }
            var value = 0
            while i < rest.endIndex {
                guard isDigit(rest[i]) else { return nil }
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int(rest[i] - 0x30))
                guard !o1, !o2 else { return nil }
                value = a
                i += 1
            }
            writtenExponent = expNegative ? -value : value
        }
        var coefficient = Array((integerPart + fraction).drop(while: { $0 == 0x30 }))
        if coefficient.isEmpty { coefficient = [0x30] }
        let (exponent, overflow) = writtenExponent.subtractingReportingOverflow(fraction.count)
        guard !overflow, exponent >= minExponent else { return nil }
        let isZero = coefficient == [0x30]
        let adjusted = exponent + (isZero ? 0 : coefficient.count - 1)
        guard adjusted <= maxAdjustedExponent else { return nil }
        return Normalized(negative: negative, digits: coefficient, exponent: exponent, special: nil)
    }
}
