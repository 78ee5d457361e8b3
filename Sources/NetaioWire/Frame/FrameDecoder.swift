/// Reads frames the way netaio's TCP and UDP readers do: the header's length fields
/// delimit the auth and body blocks. The checksum is reported, not enforced, because the
/// node decides what a checksum failure means (an error reply, §6.2).
public struct FrameDecoder: Sendable {
    public var types: MessageTypeSet
    public var maxDepth: Int

    public init(types: MessageTypeSet = .standard, maxDepth: Int = 64) {
        self.types = types
        self.maxDepth = maxDepth
    }

    /// A decoded frame and what the reader learned about it.
    public struct DecodedFrame: Equatable, Sendable {
        public let header: Header
        public let message: Message
        /// Whether the header's CRC-32 matches the body block as received.
        public let checksumMatches: Bool
        /// Bytes the frame occupied (9 + auth length + body length).
        public let length: Int

        /// netaio's `Message.check()`, as a typed error.
        public func check() throws(WireError) {
            if !checksumMatches { throw .checksumMismatch(header: header.checksum, computed: message.body.checksum) }
        }
    }

    /// The total length of the frame whose header starts `bytes`, or nil with fewer
    /// than 9 bytes. Lets a stream reader wait for a whole frame before decoding.
    public static func frameLength(header bytes: some Collection<UInt8>) -> Int? {
        guard bytes.count >= Header.size else { return nil }
        var it = bytes.makeIterator()
        var b = [UInt8]()
        b.reserveCapacity(5)
        for _ in 0..<5 { b.append(it.next()!) }
        return Header.size + (Int(b[1]) << 8 | Int(b[2])) + (Int(b[3]) << 8 | Int(b[4]))
    }

    /// Decodes the frame at the start of `bytes`; bytes after it are left to the caller
    /// (compare `length` with what you passed).
    public func decodeFrame(_ bytes: some Collection<UInt8>) throws(WireError) -> DecodedFrame {
        try withRawBytes(bytes) { buf throws(WireError) in try decodeFrame(buf) }
    }

    /// The same for an array, without the generic path (callers in other modules would
    /// otherwise run it unspecialized, looking up generic metadata for every frame).
    public func decodeFrame(_ bytes: [UInt8]) throws(WireError) -> DecodedFrame {
        let result = bytes.withUnsafeBytes { buf in Result { () throws(WireError) in try decodeFrame(buf) } }
        return try result.get()
    }

    public func decodeFrame(_ buf: UnsafeRawBufferPointer) throws(WireError) -> DecodedFrame {
        try decodeFrame(buf, uriHint: nil, contentHint: nil)
    }

    /// The same, sharing `uriHint`/`contentHint` as the message's uri/content when the
    /// frame carries exactly those bytes (a node's receive path passes the last uri and
    /// the sender's last peer record: advertisements repeat, allocations need not).
    public func decodeFrame(_ buf: UnsafeRawBufferPointer, uriHint: [UInt8]?, contentHint: [UInt8]?) throws(WireError) -> DecodedFrame {
        var header = Header(messageType: .ok, authLength: 0, bodyLength: 0, checksum: 0)
        var checksumMatches = false
        let message = try decodeMessage(buf, uriHint: uriHint, contentHint: contentHint, header: &header, checksumMatches: &checksumMatches)
        return DecodedFrame(header: header, message: message, checksumMatches: checksumMatches,
                            length: Header.size + Int(header.authLength) + Int(header.bodyLength))
    }

    /// `decodeFrame` for the node's receive path: the message is returned on its own
    /// (a fresh value the caller owns, never copied out of a frame record) and the
    /// header and checksum verdict through the `inout`s.
    ///
    /// `hintsChecksum`: the CRC-32 of the body block made of exactly `uriHint` and
    /// `contentHint`, when the caller knows it (it verified a frame carrying them). A frame
    /// whose body is those very bytes and whose header carries that checksum then matches
    /// without a CRC pass; any other frame is checked in full.
    package func decodeMessage(
        _ buf: UnsafeRawBufferPointer, uriHint: [UInt8]?, contentHint: [UInt8]?, hintsChecksum: UInt32? = nil,
        header headerOut: inout Header, checksumMatches: inout Bool
    ) throws(WireError) -> Message {
        let header = try Header.decode(buf, types: types)
        let authEnd = Header.size + Int(header.authLength)
        let bodyEnd = authEnd + Int(header.bodyLength)
        guard buf.count >= authEnd else {
            throw .truncated(part: "auth block", needed: Int(header.authLength), available: buf.count - Header.size)
        }
        let auth = try AuthFields.decode(UnsafeRawBufferPointer(rebasing: buf[Header.size..<authEnd]), maxDepth: maxDepth)
        guard buf.count >= bodyEnd else {
            throw .truncated(part: "body block", needed: Int(header.bodyLength), available: buf.count - authEnd)
        }
        let bodyBytes = UnsafeRawBufferPointer(rebasing: buf[authEnd..<bodyEnd])
        var hintsReused = false
        let body = try Body.decode(bodyBytes, uriHint: uriHint, contentHint: contentHint, hintsReused: &hintsReused)
        headerOut = header
        if hintsReused, let known = hintsChecksum, known == header.checksum {
            checksumMatches = true
        } else {
            checksumMatches = CRC32.checksum(bodyBytes) == header.checksum
        }
        return Message(type: header.messageType, authFields: auth, body: body)
    }
}
