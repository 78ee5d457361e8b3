/// Reads structured choices from fuzz bytes (like LLVM's FuzzedDataProvider): each read
/// consumes bytes from the front; past the end every read gives zeros or empty arrays, so
/// any input is a valid plan and small mutations make small changes to it.
public struct FuzzInput {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var isAtEnd: Bool { position >= bytes.count }
    public var remainingCount: Int { max(0, bytes.count - position) }

    public mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    public mutating func bool() -> Bool { byte() & 1 == 1 }

    /// A big-endian u16.
    public mutating func uint16() -> Int { Int(byte()) << 8 | Int(byte()) }

    /// Up to `count` bytes (fewer at the end of the input).
    public mutating func bytes(_ count: Int) -> [UInt8] {
        let n = min(count, remainingCount)
        defer { position += n }
        return Array(bytes[position..<(position + n)])
    }

    /// A length byte (capped at `max`), then that many bytes.
    public mutating func shortBytes(max: Int = 255) -> [UInt8] { bytes(Int(byte()) % (max + 1)) }

    /// A u16 length (capped at `max`), then that many bytes.
    public mutating func longBytes(max: Int = 0xFFFF) -> [UInt8] { bytes(uint16() % (max + 1)) }

    /// Everything not read yet.
    public mutating func rest() -> [UInt8] { bytes(remainingCount) }
}

/// Writes inputs that `FuzzInput` reads back the same way (seed corpora, regression inputs).
public struct FuzzInputWriter {
    public private(set) var bytes: [UInt8] = []
    public init() {}

    public mutating func byte(_ b: UInt8) { bytes.append(b) }
    public mutating func bool(_ b: Bool) { bytes.append(b ? 1 : 0) }
    public mutating func uint16(_ v: Int) { bytes += [UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)] }
    public mutating func raw(_ b: [UInt8]) { bytes += b }
    public mutating func shortBytes(_ b: [UInt8]) { byte(UInt8(b.count)); bytes += b }
    public mutating func longBytes(_ b: [UInt8]) { uint16(b.count); bytes += b }
}
