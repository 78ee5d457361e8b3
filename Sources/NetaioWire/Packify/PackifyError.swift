/// Why packify bytes could not be decoded, or a value could not be encoded.
public struct PackifyError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// Fewer bytes than the encoding declares. `what` names the missing part.
        case truncated(what: String, needed: Int, available: Int)
        /// The low six bits of a code byte name no packify type.
        case unknownTypeCode(UInt8)
        /// CAT0 (top bits 00) used with a type that needs a length or count.
        case lengthCategoryNotAllowed(code: UInt8, type: String)
        /// A container's item-length category byte is not 0x40, 0x80 or 0xC0.
        case invalidItemLengthCategory(UInt8)
        case invalidUTF8(type: String)
        case invalidDecimal(String)
        /// A dict item that does not decode to a 2-element tuple.
        case dictItemNotPair
        /// A dict key or set item of a type Python cannot hash (list, dict, set, bytearray, ...).
        case unhashable(type: String, context: String)
        /// PACKABLE values need a class registry; netaio never provides one.
        case packableNotSupported(className: String)
        case nestingTooDeep(limit: Int)
        /// Encoding only: a length or count that does not fit in 32 bits.
        case tooLarge(what: String, size: Int)
    }

    public let kind: Kind
    /// Byte offset in the decoded input where the problem was found (0 for encoding errors).
    public let offset: Int

    public init(_ kind: Kind, at offset: Int = 0) {
        self.kind = kind
        self.offset = offset
    }

    public var description: String {
        let detail: String
        switch kind {
        case .truncated(let what, let needed, let available):
            detail = "truncated \(what): needs \(needed) bytes, \(available) available"
        case .unknownTypeCode(let code):
            detail = "unknown type code 0x\(hexByte(code)) (type \(code & 0x3f))"
        case .lengthCategoryNotAllowed(let code, let type):
            detail = "length category CAT0 is not valid for \(type) (code 0x\(hexByte(code)))"
        case .invalidItemLengthCategory(let byte):
            detail = "invalid item length category 0x\(hexByte(byte)) (must be 40, 80 or c0)"
        case .invalidUTF8(let type):
            detail = "\(type) payload is not valid UTF-8"
        case .invalidDecimal(let text):
            detail = "decimal text \(text.debugDescription.prefix(40)) is not a valid Python Decimal"
        case .dictItemNotPair:
            detail = "dict item is not a (key, value) pair"
        case .unhashable(let type, let context):
            detail = "\(context) of type \(type) is not hashable"
        case .packableNotSupported(let name):
            detail = "PACKABLE value (class \(name.debugDescription.prefix(40))) cannot be decoded: no class registry"
        case .nestingTooDeep(let limit):
            detail = "containers nested deeper than \(limit)"
        case .tooLarge(let what, let size):
            detail = "\(what) of \(size) does not fit in 32 bits"
        }
        return "packify: \(detail) at offset \(offset)"
    }
}

@inline(__always)
func hexByte(_ b: UInt8) -> String {
    let digits: [Character] = Array("0123456789abcdef")
    return String([digits[Int(b >> 4)], digits[Int(b & 0xf)]])
}
