import NetaioWire

/// The codec workload of bench/python/codec_bench.py, row for row: PUBLISH_URI frames with
/// uri "bench", the standard HMAC auth fields and N content bytes (byte i = i % 251).
enum CodecBench {
    static let hmacFields: [(String, PackifyValue)] = [
        ("nonce", .bytes(Array(0..<16))),
        ("ts", .bytes([0x65, 0x53, 0xF1, 0x00])),
        ("hmac", .bytes(Array(0..<32))),
    ]

    static func run(_ harness: Harness) throws {
        for (label, size) in [("16B", 16), ("1KiB", 1024), ("60KiB", 61440)] {
            let message = Message(
                type: .publishURI, uri: Array("bench".utf8),
                content: (0..<size).map { UInt8($0 % 251) }, authFields: AuthFields(hmacFields))
            let frame = try message.encode()
            try row("encode_\(label)", bytes: frame.count, harness: harness) { blackHole(try message.encode()) }
            try row("decode_\(label)", bytes: frame.count, harness: harness) { blackHole(try Message.decode(frame)) }
        }
        let fields = AuthFields(hmacFields + [("iv", .bytes([UInt8](repeating: 0, count: 16)))])
        let blob = try fields.encode()
        let value = fields.packifyValue
        try row("packify_pack_auth", bytes: blob.count, harness: harness) { blackHole(try Packify.encode(value)) }
        try row("packify_unpack_auth", bytes: blob.count, harness: harness) { blackHole(try Packify.decode(blob)) }
    }
}
