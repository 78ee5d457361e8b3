import Crypto

/// SHA-256 over the canonical encoding of every trace record, in order:
///
///     kind u8 ‖ time i64 ‖ node i32 ‖ other i32 ‖ packet u64 ‖ size i32 ‖ type u8 ‖
///     payload length u32 ‖ payload
///
/// integers little-endian; the payload is the frame bytes of a `send`/`corrupt`, the UTF-8
/// detail of engine and scenario records, empty for deliveries, drops and timers (they name
/// their packet or timer in the fixed fields). Records are buffered and hashed in large
/// blocks. The hash names a run: same scenario and seed, same hash, on any machine.
struct TraceHasher {
    private var sha = SHA256()
    private var buffer: [UInt8] = []
    private(set) var records: UInt64 = 0

    init() { buffer.reserveCapacity(1 << 16) }

    mutating func add(_ r: TraceRecord, payload: [UInt8]) {
        records += 1
        // The 38 fixed bytes are laid out in a stack buffer and appended in one go.
        var fixed: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &fixed) { out in
            out.storeBytes(of: r.kind.rawValue, toByteOffset: 0, as: UInt8.self)
            out.storeBytes(of: r.time.nanoseconds.littleEndian, toByteOffset: 1, as: Int64.self)
            out.storeBytes(of: r.node.littleEndian, toByteOffset: 9, as: Int32.self)
            out.storeBytes(of: r.other.littleEndian, toByteOffset: 13, as: Int32.self)
            out.storeBytes(of: r.packet.littleEndian, toByteOffset: 17, as: UInt64.self)
            out.storeBytes(of: r.size.littleEndian, toByteOffset: 25, as: Int32.self)
            out.storeBytes(of: r.messageType, toByteOffset: 29, as: UInt8.self)
            out.storeBytes(of: UInt32(truncatingIfNeeded: payload.count).littleEndian, toByteOffset: 30, as: UInt32.self)
        }
        withUnsafeBytes(of: fixed) { buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[0..<Self.fixedSize])) }
        buffer.append(contentsOf: payload)
        if buffer.count >= 1 << 16 { flush() }
    }

    private static let fixedSize = 1 + 8 + 4 + 4 + 8 + 4 + 1 + 4

    private mutating func flush() {
        buffer.withUnsafeBytes { sha.update(bufferPointer: $0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Lower-case hex of the digest so far (the hasher can keep going).
    mutating func hex() -> String {
        flush()
        let digest = sha.finalize()
        return digest.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
