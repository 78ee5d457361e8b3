import NetaioWire

extension FuzzCheck {
    /// Whole frames: the strict decoder and the three Python-exact readers never trap;
    /// the strict decoder accepts a subset of what the reference accepts; its checksum
    /// verdict is the CRC-32 of the body bytes; it never accepts a frame whose checksum is
    /// wrong (checked by damaging the checksum of every accepted frame); an accepted
    /// frame re-encodes stably.
    public static let frameDecode = FuzzCheck("FuzzFrameDecode") { input throws(FuzzFailure) in
        _ = try? ReferenceReaders.udpParse(input)
        _ = try? ReferenceReaders.tcpRead(input[...])
        let reference = try? ReferenceReaders.messageDecode(input)

        if let frame = try? FrameDecoder().decodeFrame(input) {
            let authEnd = Header.size + Int(frame.header.authLength)
            let body = input[authEnd..<(authEnd + Int(frame.header.bodyLength))]
            try require(frame.checksumMatches == (CRC32.checksum(body) == frame.header.checksum), "checksum verdict is wrong")
            if !frame.checksumMatches {
                try require((try? Message.decode(input)) == nil, "strict decode accepted a frame with a wrong checksum")
            }
        }

        guard let message = try? Message.decode(input) else { return }
        try require(reference != nil, "strict decoder accepted a frame the reference rejects")
        try require(reference?.body == message.body, "strict and reference readers disagree on the body")

        var damaged = input
        damaged[5] ^= 0x01
        try require((try? Message.decode(damaged)) == nil, "strict decode accepted a damaged checksum")
        try require((try? ReferenceReaders.messageDecode(damaged)) == nil, "reference decode accepted a damaged checksum")

        let stream = try? ReferenceReaders.tcpRead(input[...])
        try require(stream?.consumed == input.count && stream?.0.body == message.body, "TCP reader disagrees with strict decode")

        guard let frame = try? message.encode(), let again = try? Message.decode(frame) else {
            throw FuzzFailure("accepted message cannot be re-encoded and decoded")
        }
        // Sets and dicts come back in canonical order, so compare encodings, not values.
        try require(again.type == message.type && again.body == message.body && (try? again.encode()) == frame,
                    "re-encoding is not stable")
    }
}
