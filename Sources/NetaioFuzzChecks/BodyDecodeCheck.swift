import NetaioWire

extension FuzzCheck {
    /// The body block: accepted exactly when the uri length fits; an accepted body
    /// re-encodes to the same bytes and its checksum is the CRC-32 of those bytes.
    public static let bodyDecode = FuzzCheck("FuzzBodyDecode") { input throws(FuzzFailure) in
        let valid = input.count >= 2 && (Int(input[0]) << 8 | Int(input[1])) <= input.count - 2
        let body: Body
        do {
            body = try Body.decode(input)
        } catch {
            try require(!valid, "a valid body was rejected: \(error)")
            return
        }
        try require(valid, "an invalid body was accepted")
        try require(body.encode() == input, "body re-encodes differently")
        try require(body.encodedLength == input.count, "encodedLength \(body.encodedLength) for \(input.count) bytes")
        try require(body.checksum == CRC32.checksum(input), "body checksum is not the CRC-32 of its bytes")
    }
}
