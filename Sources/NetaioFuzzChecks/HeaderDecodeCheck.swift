import NetaioWire

extension FuzzCheck {
    /// The 9-byte header: accepted exactly when 9 bytes are there and the type is known;
    /// an accepted header re-encodes to the bytes it came from and announces the frame
    /// length `FrameDecoder.frameLength` computes.
    public static let headerDecode = FuzzCheck("FuzzHeaderDecode") { input throws(FuzzFailure) in
        let valid = input.count >= Header.size && MessageTypeSet.standard.contains(rawValue: input[0])
        let header: Header
        do {
            header = try Header.decode(input)
        } catch {
            try require(!valid, "a valid header was rejected: \(error)")
            return
        }
        try require(valid, "an invalid header was accepted: \(header)")
        try require(header.encode() == Array(input.prefix(Header.size)), "header re-encodes differently")
        let length = FrameDecoder.frameLength(header: input)
        try require(length == Header.size + Int(header.authLength) + Int(header.bodyLength), "frame length \(String(describing: length)) disagrees with \(header)")
    }
}
