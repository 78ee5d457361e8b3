/// The type values (low six bits of a code byte) defined by packify 0.4.0.
enum PackifyTypeCode: UInt8 {
    case none = 0, bytes = 1, bytearray = 2, str = 3, int = 4, negInt = 5, bool = 6, float = 7
    case decimal = 8, list = 10, set = 11, tuple = 12, dict = 13, bigInt = 14, bigNeg = 15
    case packable = 20

    /// Types whose code may carry length category CAT0 (top bits 00).
    var allowsCat0: Bool {
        switch self {
        case .none, .int, .negInt, .bool, .float, .bigInt, .bigNeg: true
        default: false
        }
    }

    var name: String {
        switch self {
        case .none: "NONE"
        case .bytes: "BYTES"
        case .bytearray: "BYTEARRAY"
        case .str: "STR"
        case .int: "INT"
        case .negInt: "NEG_INT"
        case .bool: "BOOL"
        case .float: "FLOAT"
        case .decimal: "DECIMAL"
        case .list: "LIST"
        case .set: "SET"
        case .tuple: "TUPLE"
        case .dict: "DICT"
        case .bigInt: "BIG_INT"
        case .bigNeg: "BIG_NEG"
        case .packable: "PACKABLE"
        }
    }
}

/// Length categories (top two bits of a code byte) and their field widths.
enum PackifyCategory {
    static let cat1: UInt8 = 0x40
    static let cat2: UInt8 = 0x80
    static let cat3: UInt8 = 0xC0

    /// The smallest category able to hold `n`, or nil when `n` needs more than 32 bits.
    @inline(__always)
    static func smallest(for n: Int) -> UInt8? {
        if n < 0x100 { return cat1 }
        if n < 0x10000 { return cat2 }
        if UInt64(n) < 0x1_0000_0000 { return cat3 }
        return nil
    }

    /// Width in bytes of a length field for a category's top bits (0 for CAT0).
    @inline(__always)
    static func width(ofCode code: UInt8) -> Int {
        switch code & 0xC0 {
        case 0x40: 1
        case 0x80: 2
        case 0xC0: 4
        default: 0
        }
    }
}
