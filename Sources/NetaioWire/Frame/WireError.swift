/// Why a netaio frame could not be decoded or encoded. Every malformed input maps to
/// one of these; nothing in NetaioWire traps on untrusted bytes.
public enum WireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer bytes than a part needs.
    case truncated(part: String, needed: Int, available: Int)
    /// The header's type byte is not in the receiver's message type set.
    case unknownMessageType(UInt8)
    /// `auth_length` is 0: an empty byte string is not a packify value.
    case emptyAuthBlock
    case invalidAuthBlock(PackifyError)
    /// The auth block decoded, but not to a dict (the reference accepts this, then crashes later).
    case authBlockNotDict(type: String)
    case authFieldNameNotString(type: String)
    /// Bytes inside the auth block after the packify dict.
    case trailingBytesInAuthBlock(count: Int)
    /// The body block's uri length points past its end.
    case uriLengthPastEnd(uriLength: Int, available: Int)
    case checksumMismatch(header: UInt32, computed: UInt32)
    /// Bytes after the frame where the caller asked for exactly one frame.
    case trailingBytes(count: Int)
    /// Encoding: a block longer than its u16 length field can say.
    case blockTooLarge(part: String, size: Int)
    /// `Body.prepare`: content + uri leave no room for netaio's encapsulation allowance.
    case contentTooLong(size: Int, limit: Int)
    /// Encoding an auth block whose values packify cannot encode.
    case unencodableAuthFields(PackifyError)

    public var description: String {
        switch self {
        case .truncated(let part, let needed, let available):
            "truncated \(part): needs \(needed) bytes, \(available) available"
        case .unknownMessageType(let t):
            "unknown message type \(t)"
        case .emptyAuthBlock:
            "auth block is empty (auth_length 0); netaio always sends at least an empty dict"
        case .invalidAuthBlock(let e):
            "invalid auth block: \(e)"
        case .authBlockNotDict(let type):
            "auth block is a packify \(type), not a dict"
        case .authFieldNameNotString(let type):
            "auth field name is a packify \(type), not a str"
        case .trailingBytesInAuthBlock(let n):
            "\(n) unexpected bytes after the auth dict inside the auth block"
        case .uriLengthPastEnd(let uriLength, let available):
            "uri length \(uriLength) exceeds the \(available) body bytes after the length field"
        case .checksumMismatch(let header, let computed):
            "checksum mismatch: header says \(hex32(header)), body has \(hex32(computed))"
        case .trailingBytes(let n):
            "\(n) bytes after the end of the frame"
        case .blockTooLarge(let part, let size):
            "\(part) of \(size) bytes exceeds the 65535-byte limit of its length field"
        case .contentTooLong(let size, let limit):
            "content + uri of \(size) bytes is too long for encapsulation (limit \(limit))"
        case .unencodableAuthFields(let e):
            "auth fields cannot be encoded: \(e)"
        }
    }

    /// A short stable identifier of the error kind, for logs, JSON output and tests.
    public var code: String {
        switch self {
        case .truncated: "truncated"
        case .unknownMessageType: "unknown_message_type"
        case .emptyAuthBlock: "empty_auth_block"
        case .invalidAuthBlock: "invalid_auth_block"
        case .authBlockNotDict: "auth_block_not_dict"
        case .authFieldNameNotString: "auth_field_name_not_string"
        case .trailingBytesInAuthBlock: "trailing_bytes_in_auth_block"
        case .uriLengthPastEnd: "uri_length_past_end"
        case .checksumMismatch: "checksum_mismatch"
        case .trailingBytes: "trailing_bytes"
        case .blockTooLarge: "block_too_large"
        case .contentTooLong: "content_too_long"
        case .unencodableAuthFields: "unencodable_auth_fields"
        }
    }
}

func hex32(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - s.count) + s
}
