/// The 9-byte frame header, struct `!BHHI`: type, auth length, body length, CRC-32 of the body.
public struct Header: Equatable, Hashable, Sendable {
    public static let size = 9

    public var messageType: MessageType
    public var authLength: UInt16
    public var bodyLength: UInt16
    public var checksum: UInt32

    public init(messageType: MessageType, authLength: UInt16, bodyLength: UInt16, checksum: UInt32) {
        self.messageType = messageType
        self.authLength = authLength
        self.bodyLength = bodyLength
        self.checksum = checksum
    }

    public func encode() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Header.size)
        encode(into: &out)
        return out
    }

    public func encode(into out: inout [UInt8]) {
        out.append(messageType.rawValue)
        appendBigEndian(authLength, into: &out)
        appendBigEndian(bodyLength, into: &out)
        appendBigEndian(checksum, into: &out)
    }

    /// Decodes the first 9 bytes (later bytes are ignored). The type must be in `types`.
    public static func decode(_ bytes: some Collection<UInt8>, types: MessageTypeSet = .standard) throws(WireError) -> Header {
        guard bytes.count >= size else { throw .truncated(part: "header", needed: size, available: bytes.count) }
        return try withRawBytes(bytes.prefix(size)) { buf throws(WireError) in try decode(buf, types: types) }
    }

    static func decode(_ buf: UnsafeRawBufferPointer, types: MessageTypeSet) throws(WireError) -> Header {
        guard buf.count >= size else { throw .truncated(part: "header", needed: size, available: buf.count) }
        let type = MessageType(buf[0])
        guard types.contains(type) else { throw .unknownMessageType(buf[0]) }
        return Header(
            messageType: type,
            authLength: UInt16(readUInt(buf, 1, 2)),
            bodyLength: UInt16(readUInt(buf, 3, 2)),
            checksum: UInt32(readUInt(buf, 5, 4)))
    }
}
