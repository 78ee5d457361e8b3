/// The body block: `u16 uri length ‖ uri ‖ content`. The CRC-32 in the header covers it.
public struct Body: Equatable, Hashable, Sendable {
    public var uri: [UInt8]
    public var content: [UInt8]

    /// netaio's fixed allowance for IP and other encapsulation in `Body.prepare`.
    public static let encapsulationAllowance = 104

    public init(uri: [UInt8] = [], content: [UInt8] = []) {
        self.uri = uri
        self.content = content
    }

    public init(uri: String, content: String) {
        self.init(uri: Array(uri.utf8), content: Array(content.utf8))
    }

    /// The largest `content.count + uri.count` that `prepare` accepts for an overhead.
    public static func maximumPayload(overhead: Int = 0) -> Int { 65536 - 9 - overhead - encapsulationAllowance - 1 }

    /// netaio's `Body.prepare`: refuses content + uri that would leave no room for the
    /// header and encapsulation (`len >= 2**16 - 9 - overhead - 104`).
    public static func prepare(content: [UInt8], uri: [UInt8] = [], overhead: Int = 0) throws(WireError) -> Body {
        let size = content.count + uri.count
        let limit = maximumPayload(overhead: overhead)
        guard size <= limit else { throw .contentTooLong(size: size, limit: limit) }
        return Body(uri: uri, content: content)
    }

    public var encodedLength: Int { 2 + uri.count + content.count }

    public func encode() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(encodedLength)
        encode(into: &out)
        return out
    }

    /// Appends the body block. The uri length is truncated to 16 bits; `Message.encode`
    /// checks sizes before calling this.
    public func encode(into out: inout [UInt8]) {
        appendBigEndian(UInt16(truncatingIfNeeded: uri.count), into: &out)
        out.append(contentsOf: uri)
        out.append(contentsOf: content)
    }

    public var checksum: UInt32 {
        var crc = CRC32.checksum(withUnsafeBytes(of: UInt16(truncatingIfNeeded: uri.count).bigEndian) { Array($0) })
        crc = uri.withUnsafeBytes { CRC32.checksum($0, seed: crc) }
        return content.withUnsafeBytes { CRC32.checksum($0, seed: crc) }
    }

    public static func decode(_ bytes: some Collection<UInt8>) throws(WireError) -> Body {
        try withRawBytes(bytes) { buf throws(WireError) in try decode(buf) }
    }

    /// `uriHint`/`contentHint`: arrays the caller expects (the last uri, the sender's last
    /// payload); when the bytes match, the body shares them instead of copying.
    static func decode(_ buf: UnsafeRawBufferPointer, uriHint: [UInt8]? = nil, contentHint: [UInt8]? = nil) throws(WireError) -> Body {
        var hintsReused = false
        return try decode(buf, uriHint: uriHint, contentHint: contentHint, hintsReused: &hintsReused)
    }

    /// The same, telling whether both hints were shared: then the block is exactly
    /// `u16(uriHint.count) ‖ uriHint ‖ contentHint` (the encoding is canonical).
    static func decode(
        _ buf: UnsafeRawBufferPointer, uriHint: [UInt8]?, contentHint: [UInt8]?, hintsReused: inout Bool
    ) throws(WireError) -> Body {
        guard buf.count >= 2 else { throw .truncated(part: "body uri length", needed: 2, available: buf.count) }
        let uriLength = Int(readUInt(buf, 0, 2))
        guard uriLength <= buf.count - 2 else { throw .uriLengthPastEnd(uriLength: uriLength, available: buf.count - 2) }
        var uriReused = false
        var contentReused = false
        let body = Body(
            uri: copyBytes(UnsafeRawBufferPointer(rebasing: buf[2..<(2 + uriLength)]), reusing: uriHint, reused: &uriReused),
            content: copyBytes(UnsafeRawBufferPointer(rebasing: buf[(2 + uriLength)...]), reusing: contentHint, reused: &contentReused))
        hintsReused = uriReused && contentReused
        return body
    }
}
