/// The three frame readers of Python netaio 0.0.9, reproduced exactly (docs/PROTOCOL.md §1.7),
/// including what they wrongly accept: any packify value as the auth block, bytes after
/// it, and (for `Message.decode`) a `body_length` that disagrees with the frame.
///
/// Our nodes never use these; they exist so golden vectors and differential fuzzing can
/// compare accept/reject sets and decoded values with the reference byte for byte.
public enum ReferenceReaders {
    /// What a reference reader produced from a frame.
    public struct Frame: Equatable, Sendable {
        public let header: Header
        /// The decoded auth block; netaio does not require it to be a dict.
        public let authBlock: PackifyValue
        public let body: Body
        /// Whether the header checksum matches `body` re-encoded (netaio's `check()`).
        public let checksumMatches: Bool
    }

    /// `Message.decode(data)`: header from the first 9 bytes, auth from the next
    /// `auth_length` bytes (or fewer), body = **all** remaining bytes, checksum enforced.
    public static func messageDecode(_ data: [UInt8], types: MessageTypeSet = .standard) throws(WireError) -> Frame {
        let header = try Header.decode(data, types: types)
        let authEnd = min(data.count, Header.size + Int(header.authLength))
        let auth = try unpackAuth(data[Header.size..<authEnd])
        let body = try Body.decode(data[authEnd...])
        let computed = body.checksum
        guard computed == header.checksum else { throw .checksumMismatch(header: header.checksum, computed: computed) }
        return Frame(header: header, authBlock: auth, body: body, checksumMatches: true)
    }

    /// The TCP stream reader: `readexactly` of each block; one frame per call. Returns the
    /// frame and the bytes it consumed, or throws at EOF inside a frame or on a decode error.
    /// The checksum is reported, not enforced (the node handles a mismatch).
    public static func tcpRead(_ stream: ArraySlice<UInt8>, types: MessageTypeSet = .standard) throws(WireError) -> (Frame, consumed: Int) {
        guard stream.count >= Header.size else {
            throw .truncated(part: "header", needed: Header.size, available: stream.count)
        }
        let header = try Header.decode(stream, types: types)
        let start = stream.startIndex
        let authEnd = start + Header.size + Int(header.authLength)
        guard stream.endIndex >= authEnd else {
            throw .truncated(part: "auth block", needed: Int(header.authLength), available: stream.endIndex - start - Header.size)
        }
        let auth = try unpackAuth(stream[(start + Header.size)..<authEnd])
        let bodyEnd = authEnd + Int(header.bodyLength)
        guard stream.endIndex >= bodyEnd else {
            throw .truncated(part: "body block", needed: Int(header.bodyLength), available: stream.endIndex - authEnd)
        }
        let body = try Body.decode(stream[authEnd..<bodyEnd])
        return (Frame(header: header, authBlock: auth, body: body, checksumMatches: body.checksum == header.checksum), bodyEnd - start)
    }

    /// The UDP datagram reader: blocks sliced by the header lengths, silently shortened
    /// when the datagram is short; bytes after the body are ignored.
    public static func udpParse(_ datagram: [UInt8], types: MessageTypeSet = .standard) throws(WireError) -> Frame {
        let header = try Header.decode(datagram, types: types)
        let authEnd = min(datagram.count, Header.size + Int(header.authLength))
        let auth = try unpackAuth(datagram[Header.size..<authEnd])
        let bodyEnd = min(datagram.count, authEnd + Int(header.bodyLength))
        let body = try Body.decode(datagram[authEnd..<bodyEnd])
        return Frame(header: header, authBlock: auth, body: body, checksumMatches: body.checksum == header.checksum)
    }

    private static func unpackAuth(_ bytes: ArraySlice<UInt8>) throws(WireError) -> PackifyValue {
        do {
            return try PackifyDecoder(maxDepth: referenceDepth).decode(bytes)
        } catch {
            throw .invalidAuthBlock(error)
        }
    }

    /// Python stops only at its recursion limit (hundreds of levels); we stop at 64, a
    /// documented difference (docs/differences.md) that no netaio frame comes near.
    public static let referenceDepth = 64
}
