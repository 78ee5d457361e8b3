/// Why a tapescript run stopped. Every failure tapescript 0.7.3 raises is mirrored with
/// the Python exception class name and message (`OP_TRY_EXCEPT` exposes both to the
/// script as `Class|message`, so they are part of the observable behaviour). The
/// `limit` case is ours: the resource bounds of `TapescriptLimits`, which Python does
/// not have; it cannot be caught by `OP_TRY_EXCEPT`.
public struct TapescriptError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case scriptExecution = "ScriptExecutionError"
        case value = "ValueError"
        case type = "TypeError"
        case index = "IndexError"
        case key = "KeyError"
        case zeroDivision = "ZeroDivisionError"
        case overflow = "OverflowError"
        case unicodeDecode = "UnicodeDecodeError"
        case runtime = "RuntimeError"
        case assertion = "AssertionError"
        /// A `TapescriptLimits` bound (instruction budget, nesting depth, script size,
        /// cache size, allocation size). Not a Python exception; uncatchable.
        case limit = "LimitExceeded"
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The Python class name (`ScriptExecutionError`, `ValueError`, ...).
    public var pythonClass: String { kind.rawValue }

    /// What `OP_TRY_EXCEPT` stores in the cache at `E`: `Class|str(e)`.
    public var serialized: String { "\(pythonClass)|\(message)" }

    public var description: String { serialized }

    static func sert(_ message: String) -> TapescriptError { TapescriptError(.scriptExecution, message) }
    static func vert(_ message: String) -> TapescriptError { TapescriptError(.value, message) }
    static func tert(_ message: String) -> TapescriptError { TapescriptError(.type, message) }
    static let emptyPop = TapescriptError(.index, "pop from an empty deque")
    static let peekEmpty = TapescriptError(.index, "deque index out of range")
}

/// Python's `repr()` of a bytes object (for `KeyError` messages).
func pythonBytesRepr(_ bytes: [UInt8]) -> String {
    let useDouble = bytes.contains(0x27) && !bytes.contains(0x22)
    let quote: UInt8 = useDouble ? 0x22 : 0x27
    var out = "b" + String(UnicodeScalar(quote))
    let hex = Array("0123456789abcdef")
    for b in bytes {
        switch b {
        case quote, 0x5c: out += "\\" + String(UnicodeScalar(b))
        case 0x09: out += "\\t"
        case 0x0a: out += "\\n"
        case 0x0d: out += "\\r"
        case 0x20..<0x7f: out += String(UnicodeScalar(b))
        default: out += "\\x" + String(hex[Int(b >> 4)]) + String(hex[Int(b & 15)])
        }
    }
    return out + String(UnicodeScalar(quote))
}

/// Python's `str(UnicodeDecodeError)` for `bytes.decode('utf-8')`, or nil when `bytes`
/// is valid UTF-8 (then the decoded string).
func pythonUTF8Decode(_ bytes: [UInt8]) -> Result<String, TapescriptError> {
    var i = 0
    let n = bytes.count
    func fail(_ start: Int, _ end: Int, _ reason: String) -> Result<String, TapescriptError> {
        let hex = Array("0123456789abcdef")
        let b = bytes[start]
        let byteText = "0x" + String(hex[Int(b >> 4)]) + String(hex[Int(b & 15)])
        if end - start == 1 {
            return .failure(TapescriptError(.unicodeDecode, "'utf-8' codec can't decode byte \(byteText) in position \(start): \(reason)"))
        }
        return .failure(TapescriptError(.unicodeDecode, "'utf-8' codec can't decode bytes in position \(start)-\(end - 1): \(reason)"))
    }
    while i < n {
        let b0 = bytes[i]
        if b0 < 0x80 { i += 1; continue }
        let need: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED: need = 2; hi = 0x9F
        case 0xF0: need = 3; lo = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; hi = 0x8F
        default: return fail(i, i + 1, "invalid start byte")
        }
        var j = 1
        while j <= need {
            if i + j >= n { return fail(i, n, "unexpected end of data") }
            let b = bytes[i + j]
            let (l, h) = j == 1 ? (lo, hi) : (UInt8(0x80), UInt8(0xBF))
            if b < l || b > h { return fail(i, i + j, "invalid continuation byte") }
            j += 1
        }
        i += need + 1
    }
    return .success(String(decoding: bytes, as: UTF8.self))
}
