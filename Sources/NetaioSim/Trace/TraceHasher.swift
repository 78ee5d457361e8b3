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
            var p = 0
            func put(_ value: UInt64, _ count: Int) {
                var v = value
                for _ in 0..<count {
                    out[p] = UInt8(truncatingIfNeeded: v)
                    v >>= 8
                    p += 1
                }
            }
            put(UInt64(r.kind.rawValue), 1)
            put(UInt64(bitPattern: r.time.nanoseconds), 8)
            put(UInt64(UInt32(bitPattern: r.node)), 4)
            put(UInt64(UInt32(bitPattern: r.other)), 4)
            put(r.packet, 8)
            put(UInt64(UInt32(bitPattern: r.size)), 4)
            put(UInt64(r.messageType), 1)
            put(UInt64(payload.count), 4)
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
