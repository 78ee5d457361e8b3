/// One netaio message: type, auth fields and body. On the wire it is one frame:
/// `header ‖ packify(auth fields) ‖ body block`, with lengths and CRC-32 computed at encode.
public struct Message: Equatable, Hashable, Sendable {
    public var type: MessageType
    public var authFields: AuthFields
    public var body: Body

    public init(type: MessageType, authFields: AuthFields = AuthFields(), body: Body) {
        self.type = type
        self.authFields = authFields
        self.body = body
    }

    public init(type: MessageType, uri: [UInt8], content: [UInt8] = [], authFields: AuthFields = AuthFields()) {
        self.init(type: type, authFields: authFields, body: Body(uri: uri, content: content))
    }

    public var uri: [UInt8] {
        get { body.uri }
        set { body.uri = newValue }
    }

    public var content: [UInt8] {
        get { body.content }
        set { body.content = newValue }
    }

    /// The header `encode()` writes: lengths and checksum recomputed, as netaio does.
    public func header() throws(WireError) -> Header {
        let auth = try authFields.encode()
        return try header(authLength: auth.count)
    }

    private func header(authLength: Int) throws(WireError) -> Header {
        guard authLength <= 0xFFFF else { throw .blockTooLarge(part: "auth block", size: authLength) }
        let bodyLength = body.encodedLength
        guard bodyLength <= 0xFFFF else { throw .blockTooLarge(part: "body block", size: bodyLength) }
        return Header(
            messageType: type, authLength: UInt16(authLength), bodyLength: UInt16(bodyLength),
            checksum: body.checksum)
    }

    /// The frame bytes. Fails when a block exceeds its u16 length field.
    public func encode() throws(WireError) -> [UInt8] {
        // One buffer: a placeholder header, the auth block, the body; then the header is
        // filled in from the real lengths and one CRC pass over the body bytes.
        var out = [UInt8]()
        out.reserveCapacity(Header.size + 16 + authFields.fields.count * 48 + body.encodedLength)
        out.append(contentsOf: repeatElement(0, count: Header.size))
        try authFields.encode(into: &out)
        let authLength = out.count - Header.size
        guard authLength <= 0xFFFF else { throw .blockTooLarge(part: "auth block", size: authLength) }
        let bodyLength = body.encodedLength
        guard bodyLength <= 0xFFFF else { throw .blockTooLarge(part: "body block", size: bodyLength) }
        let bodyStart = out.count
        body.encode(into: &out)
        let checksum = out.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[bodyStart...])) }
        out.withUnsafeMutableBufferPointer { b in
            b[0] = type.rawValue
            b[1] = UInt8(authLength >> 8); b[2] = UInt8(truncatingIfNeeded: authLength)
            b[3] = UInt8(bodyLength >> 8); b[4] = UInt8(truncatingIfNeeded: bodyLength)
            b[5] = UInt8(checksum >> 24); b[6] = UInt8(truncatingIfNeeded: checksum >> 16)
            b[7] = UInt8(truncatingIfNeeded: checksum >> 8); b[8] = UInt8(truncatingIfNeeded: checksum)
        }
        return out
    }

    /// Strictly decodes exactly one frame: known type, a str-keyed auth dict that fills its
    /// block, a body that fills its block, no bytes after it, and a matching checksum.
    public static func decode(
        _ bytes: some Collection<UInt8>, types: MessageTypeSet = .standard, maxDepth: Int = 64
    ) throws(WireError) -> Message {
        try withRawBytes(bytes) { buf throws(WireError) in try decode(buf, types: types, maxDepth: maxDepth) }
    }

    /// `decode` for a byte array (no generic dispatch on the hot path).
    public static func decode(_ bytes: [UInt8], types: MessageTypeSet = .standard, maxDepth: Int = 64) throws(WireError) -> Message {
        var result: Result<Message, WireError>!
        bytes.withUnsafeBytes { buf in
            result = Result { () throws(WireError) in try decode(buf, types: types, maxDepth: maxDepth) }
        }
        return try result.get()
    }

    public static func decode(_ buf: UnsafeRawBufferPointer, types: MessageTypeSet = .standard, maxDepth: Int = 64) throws(WireError) -> Message {
        let frame = try FrameDecoder(types: types, maxDepth: maxDepth).decodeFrame(buf)
        if frame.length < buf.count { throw .trailingBytes(count: buf.count - frame.length) }
        try frame.check()
        return frame.message
    }
}
