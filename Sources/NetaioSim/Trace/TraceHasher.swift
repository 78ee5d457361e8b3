import Crypto

/// SHA-256 over the canonical encoding of every trace record, in order:
///
///     kind u8 ‖ time i64 ‖ node i32 ‖ other i32 ‖ packet u64 ‖ size i32 ‖ type u8 ‖
///     payload length u32 ‖ payload
///
/// integers little-endian; the payload is the frame bytes of a `send`/`corrupt`, the UTF-8
/// detail of engine and scenario records, empty for deliveries, drops and timers (they name
/// their packet or timer in the fixed fields). Records are buffered and hashed in large
/// blocks (`add`). The hash names a run: same scenario and seed, same hash, on any machine.
struct TraceHasher {
    private var sha = SHA256()
    /// Encoded records not hashed yet: `buffer[0..<used]`. Written in place (a record is a
    /// few dozen bytes; `append(contentsOf:)` costs more than the copy), hashed when full.
    /// Small enough to stay in the core's own caches.
    private var buffer = [UInt8](repeating: 0, count: TraceHasher.bufferSize)
    private var used = 0
    private(set) var records: UInt64 = 0

    private static let bufferSize = 16 * 1024
    private static let fixedSize = 1 + 8 + 4 + 4 + 8 + 4 + 1 + 4

    init() {}

    mutating func add(_ r: TraceRecord, payload: [UInt8]) {
        records += 1
        let size = Self.fixedSize + payload.count
        if used + size > Self.bufferSize {
            flush()
            // A payload larger than the buffer (a big frame) is hashed on its own.
            if size > Self.bufferSize { return addDirectly(r, payload: payload) }
        }
        let at = used
        buffer.withUnsafeMutableBytes { out in
            Self.encodeFixed(r, payloadCount: payload.count, into: out, at: at)
            payload.withUnsafeBytes { p in
                if p.count > 0 { (out.baseAddress! + at + Self.fixedSize).copyMemory(from: p.baseAddress!, byteCount: p.count) }
            }
        }
        used += size
    }

    @inline(__always)
    private static func encodeFixed(_ r: TraceRecord, payloadCount: Int, into out: UnsafeMutableRawBufferPointer, at offset: Int) {
        out.storeBytes(of: r.kind.rawValue, toByteOffset: offset, as: UInt8.self)
        out.storeBytes(of: r.time.nanoseconds.littleEndian, toByteOffset: offset + 1, as: Int64.self)
        out.storeBytes(of: r.node.littleEndian, toByteOffset: offset + 9, as: Int32.self)
        out.storeBytes(of: r.other.littleEndian, toByteOffset: offset + 13, as: Int32.self)
        out.storeBytes(of: r.packet.littleEndian, toByteOffset: offset + 17, as: UInt64.self)
        out.storeBytes(of: r.size.littleEndian, toByteOffset: offset + 25, as: Int32.self)
        out.storeBytes(of: r.messageType, toByteOffset: offset + 29, as: UInt8.self)
        out.storeBytes(of: UInt32(truncatingIfNeeded: payloadCount).littleEndian, toByteOffset: offset + 30, as: UInt32.self)
    }

    /// A record too large for the buffer (which `add` just flushed): straight to SHA-256.
    private mutating func addDirectly(_ r: TraceRecord, payload: [UInt8]) {
        var fixed = [UInt8](repeating: 0, count: Self.fixedSize)
        fixed.withUnsafeMutableBytes { Self.encodeFixed(r, payloadCount: payload.count, into: $0, at: 0) }
        fixed.withUnsafeBytes { sha.update(bufferPointer: $0) }
        payload.withUnsafeBytes { sha.update(bufferPointer: $0) }
    }

    private mutating func flush() {
        guard used > 0 else { return }
        let count = used
        buffer.withUnsafeBytes { sha.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        used = 0
    }

    /// Lower-case hex of the digest so far (the hasher can keep going).
    mutating func hex() -> String {
        flush()
        let digest = sha.finalize()
        return digest.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
