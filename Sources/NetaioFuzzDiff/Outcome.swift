import NetaioWire
import NetaioTestSupport

/// What one reader made of one input, in a form both sides can produce: rejected (with
/// the reason, for the report), or accepted with a decoded value.
enum Outcome: CustomStringConvertible {
    case rejected(String)
    case accepted(Decoded)

    var description: String {
        switch self {
        case .rejected(let why): "rejected (\(why))"
        case .accepted(let d): "accepted \(d)"
        }
    }
}

/// A decoded value: a packify value, a frame's parts, or a TCP stream's entries.
indirect enum Decoded: CustomStringConvertible {
    case value(PackifyValue)
    /// `checksumFailed`: the reader consumed the frame but reports a CRC failure (Python: None).
    case frame(type: UInt8, auth: PackifyValue, uri: [UInt8], content: [UInt8])
    case checksumFailed
    case stream([Outcome])

    var description: String {
        switch self {
        case .value(let v): "\(v)"
        case .frame(let t, let a, let u, let c): "frame(type \(t), auth \(a), uri \(Hex.encode(u)), content \(Hex.encode(c)))"
        case .checksumFailed: "checksum failure"
        case .stream(let entries): "[" + entries.map(\.description).joined(separator: ", ") + "]"
        }
    }

    /// Same decoded value (set and dict order ignored: both sides use canonical order anyway).
    func same(as other: Decoded) -> Bool {
        switch (self, other) {
        case (.value(let a), .value(let b)): a.sameValue(as: b)
        case (.frame(let t1, let a1, let u1, let c1), .frame(let t2, let a2, let u2, let c2)):
            t1 == t2 && a1.sameValue(as: a2) && u1 == u2 && c1 == c2
        case (.checksumFailed, .checksumFailed): true
        case (.stream(let a), .stream(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.agrees(with: $1) }
        default: false
        }
    }
}

extension Outcome {
    /// Both reject (for whatever reason), or both accept the same value.
    func agrees(with other: Outcome) -> Bool {
        switch (self, other) {
        case (.rejected, .rejected): true
        case (.accepted(let a), .accepted(let b)): a.same(as: b)
        default: false
        }
    }
}
