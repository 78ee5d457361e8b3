/// Strict UTF-8 validation with Python's rules (no overlong forms, no surrogates, nothing
/// above U+10FFFF). Hand-written because `String(validating:)` goes through generic code
/// that dominated decode profiles; ASCII runs take the fast path.
enum UTF8Validation {
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 { i += 1; continue }
            if b0 < 0xC2 { return false }  // continuation byte or overlong 2-byte lead
            if b0 < 0xE0 {
                guard i + 1 < n, bytes[i + 1] & 0xC0 == 0x80 else { return false }
                i += 2
                continue
            }
            if b0 < 0xF0 {
                guard i + 2 < n else { return false }
                let b1 = bytes[i + 1]
                let lower: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80  // overlong
                let upper: UInt8 = b0 == 0xED ? 0x9F : 0xBF  // surrogates
                guard b1 >= lower, b1 <= upper, bytes[i + 2] & 0xC0 == 0x80 else { return false }
                i += 3
                continue
            }
            if b0 < 0xF5 {
                guard i + 3 < n else { return false }
                let b1 = bytes[i + 1]
                let lower: UInt8 = b0 == 0xF0 ? 0x90 : 0x80  // overlong
                let upper: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF  // above U+10FFFF
                guard b1 >= lower, b1 <= upper, bytes[i + 2] & 0xC0 == 0x80, bytes[i + 3] & 0xC0 == 0x80 else {
                    return false
                }
                i += 4
                continue
            }
            return false
        }
        return true
    }

    /// The string, or nil when the bytes are not valid UTF-8.
    static func string(_ bytes: UnsafeRawBufferPointer) -> String? {
        isValid(bytes) ? String(decoding: bytes, as: UTF8.self) : nil
    }
}
