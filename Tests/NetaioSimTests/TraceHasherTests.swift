import Crypto
import Testing
@testable import NetaioSim

/// The trace hash is SHA-256 over the documented record encoding, whatever the buffering:
/// records that straddle the buffer's end, payloads larger than the buffer, empty ones,
/// and a hash taken midway (the simulator's `traceHash` works on a copy) must not change
/// what comes out.
@Suite struct TraceHasherTests {
    /// The encoding as `TraceHasher`'s documentation states it, built the plain way.
    func encoded(_ r: TraceRecord, payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [r.kind.rawValue]
        func le<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        le(r.time.nanoseconds)
        le(r.node)
        le(r.other)
        le(r.packet)
        le(r.size)
        out.append(r.messageType)
        le(UInt32(payload.count))
        return out + payload
    }

    func record(_ i: Int) -> (TraceRecord, [UInt8]) {
        let payload: [UInt8] = switch i % 7 {
        case 0: []
        case 3: (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) }  // larger than the buffer
        default: (0..<(i % 97)).map { UInt8(truncatingIfNeeded: $0 &+ i) }
        }
        let r = TraceRecord(time: SimTime(nanoseconds: Int64(i) * 1_000_003), kind: .send, node: Int32(i % 50), other: Int32(-1 + i % 3),
                            packet: UInt64(i), size: Int32(payload.count), messageType: UInt8(i % 256), detail: "")
        return (r, payload)
    }

    @Test func hashIsSHA256OfTheDocumentedEncoding() {
        var hasher = TraceHasher()
        var reference = SHA256()
        var midway: String?
        for i in 0..<3_000 {
            let (r, payload) = record(i)
            hasher.add(r, payload: payload)
            reference.update(data: encoded(r, payload: payload))
            if i == 1_234 {
                var copy = hasher  // as `Simulator.traceHash` does
                midway = copy.hex()
                #expect(midway == reference.finalize().map { String(format: "%02x", $0) }.joined())
            }
        }
        #expect(hasher.records == 3_000)
        #expect(hasher.hex() == reference.finalize().map { String(format: "%02x", $0) }.joined())
        #expect(midway != nil)
    }
}
