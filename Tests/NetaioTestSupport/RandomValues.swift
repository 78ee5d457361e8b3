import NetaioWire

/// SplitMix64: a tiny seeded generator, so every randomized test reproduces from its seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random packify values and messages covering every type, for cross-checks with Python.
public struct RandomValues {
    public var rng: SplitMix64
    public init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    public mutating func bytes(maxCount: Int) -> [UInt8] {
        let n = Int.random(in: 0...maxCount, using: &rng)
        return (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    public mutating func string(maxCount: Int) -> String {
        let n = Int.random(in: 0...maxCount, using: &rng)
        var s = String.UnicodeScalarView()
        for _ in 0..<n {
            let pick = Int.random(in: 0..<10, using: &rng)
            let value: UInt32 =
                pick < 6 ? UInt32.random(in: 0x20...0x7E, using: &rng)
                : pick < 8 ? UInt32.random(in: 0xA0...0xD7FF, using: &rng)
                : pick < 9 ? UInt32.random(in: 0xE000...0xFFFD, using: &rng)
                : UInt32.random(in: 0x10000...0x10FFFF, using: &rng)
            s.append(Unicode.Scalar(value)!)
        }
        return String(s)
    }

    public mutating func integer() -> PackifyInteger {
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: return PackifyInteger(Int.random(in: -300...300, using: &rng))
        case 1: return PackifyInteger(Int.random(in: -70000...70000, using: &rng))
        case 2: return PackifyInteger(Int(Int32.random(in: .min ... .max, using: &rng)) * 3)
        case 3: return PackifyInteger(Int.random(in: .min ... .max, using: &rng))
        case 4: return PackifyInteger(isNegative: Bool.random(using: &rng), magnitude: bytes(maxCount: 40))
        default:
            // Sizes around the BIG_INT switch at 256 bytes.
            let n = Int.random(in: 250...260, using: &rng)
            return PackifyInteger(isNegative: Bool.random(using: &rng), magnitude: [1] + (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
    }

    static let decimalTexts = ["0", "-0", "1.5", "-2.25E+7", "1E-5", "NaN", "-Infinity", "123456789012345678901234567890", "0.000", "1E+999999999999999999"]

    /// A value Python can hash (a legal set item or dict key).
    public mutating func hashable(depth: Int) -> PackifyValue {
        switch Int.random(in: 0..<(depth > 0 ? 9 : 8), using: &rng) {
        case 0: return .none
        case 1: return .bool(Bool.random(using: &rng))
        case 2, 3: return .int(integer())
        case 4: return .float(Double(Int.random(in: -1000...1000, using: &rng)) / 8)
        case 5: return .string(string(maxCount: 12))
        case 6: return .bytes(bytes(maxCount: 12))
        case 7: return .decimal(Self.decimalTexts.filter { $0 != "NaN" }.randomElement(using: &rng)!)
        default: return .tuple((0..<Int.random(in: 0...3, using: &rng)).map { _ in hashable(depth: depth - 1) })
        }
    }

    public mutating func value(depth: Int = 3) -> PackifyValue {
        let kinds = depth > 0 ? 14 : 10
        switch Int.random(in: 0..<kinds, using: &rng) {
        case 0: return .none
        case 1: return .bool(Bool.random(using: &rng))
        case 2, 3: return .int(integer())
        case 4: return .float(Double(bitPattern: UInt64.random(in: 0 ... .max, using: &rng)))
        case 5: return .string(string(maxCount: 40))
        case 6: return .bytes(bytes(maxCount: Bool.random(using: &rng) ? 20 : 600))
        case 7: return .bytearray(bytes(maxCount: 20))
        case 8: return .decimal(Self.decimalTexts.randomElement(using: &rng)!)
        case 9: return hashable(depth: 1)
        case 10: return .list(items(depth: depth))
        case 11: return .tuple(items(depth: depth))
        case 12: return .set((0..<Int.random(in: 0...6, using: &rng)).map { _ in hashable(depth: 1) })
        default:
            return .dict((0..<Int.random(in: 0...6, using: &rng)).map { _ in
                PackifyDictEntry(hashable(depth: 1), value(depth: depth - 1))
            })
        }
    }

    private mutating func items(depth: Int) -> [PackifyValue] {
        let n = Int.random(in: 0..<12, using: &rng) == 0 ? Int.random(in: 250...300, using: &rng) : Int.random(in: 0...5, using: &rng)
        return (0..<n).map { _ in value(depth: depth - 1) }
    }

    public mutating func message() -> Message {
        var fields = AuthFields()
        for _ in 0..<Int.random(in: 0...5, using: &rng) {
            let name = ["nonce", "ts", "hmac", "iv", "witness", string(maxCount: 8)].randomElement(using: &rng)!
            fields[name] = Int.random(in: 0..<4, using: &rng) == 0 ? value(depth: 1) : .bytes(bytes(maxCount: 40))
        }
        let type = MessageType.standard.randomElement(using: &rng)!.type
        let big = Int.random(in: 0..<20, using: &rng) == 0
        return Message(type: type, uri: bytes(maxCount: 40), content: bytes(maxCount: big ? 5000 : 200), authFields: fields)
    }
}
