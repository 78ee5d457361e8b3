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
        let auth = try authFields.encode()
        let header = try header(authLength: auth.count)
        var out: [UInt8] = []
        out.reserveCapacity(Header.size + auth.count + body.encodedLength)
        header.encode(into: &out)
        out.append(contentsOf: auth)
        body.encode(into: &out)
        return out
    }

    /// Strictly decodes exactly one frame: known type, a str-keyed auth dict that fills its
    /// block, a body that fills its block, no bytes after it, and a matching checksum.
    public static func decode(
        _ bytes: some Collection<UInt8>, types: MessageTypeSet = .standard, maxDepth: Int = 64
    ) throws(WireError) -> Message {
        let decoder = FrameDecoder(types: types, maxDepth: maxDepth)
        let frame = try decoder.decodeFrame(bytes)
        if frame.length < bytes.count { throw .trailingBytes(count: bytes.count - frame.length) }
        try frame.check()
        return frame.message
    }
}
