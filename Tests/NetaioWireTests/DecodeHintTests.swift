import Testing
@testable import NetaioWire

/// The receive path passes the last uri and the sender's last payload as hints: a frame
/// decodes to the same message with or without them, and shares a hint's buffer only
/// when the bytes are identical.
@Suite struct DecodeHintTests {
    let uri = Array("netaio".utf8)
    let content = Array("peer record bytes".utf8)

    func frame(uri: [UInt8], content: [UInt8], auth: AuthFields = AuthFields()) throws -> [UInt8] {
        try Message(type: .advertisePeer, uri: uri, content: content, authFields: auth).encode()
    }

    func decode(_ bytes: [UInt8], uriHint: [UInt8]?, contentHint: [UInt8]?) throws -> FrameDecoder.DecodedFrame {
        try bytes.withUnsafeBytes { try FrameDecoder().decodeFrame($0, uriHint: uriHint, contentHint: contentHint) }
    }

    static func sameBuffer(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }
    }

    @Test func matchingHintsAreSharedAndChangeNothing() throws {
        let bytes = try frame(uri: uri, content: content)
        let plain = try FrameDecoder().decodeFrame(bytes)
        let hinted = try decode(bytes, uriHint: uri, contentHint: content)
        #expect(hinted == plain)
        #expect(Self.sameBuffer(hinted.message.uri, uri) && Self.sameBuffer(hinted.message.content, content))
    }

    /// Same length, one byte different; shorter; longer; empty: never taken for the frame's bytes.
    @Test(arguments: [Array("netaiO".utf8), Array("neta".utf8), Array("netaio!".utf8), []])
    func differentHintsAreNotUsed(hint: [UInt8]) throws {
        let bytes = try frame(uri: uri, content: content)
        let plain = try FrameDecoder().decodeFrame(bytes)
        let hinted = try decode(bytes, uriHint: hint, contentHint: hint + [0])
        #expect(hinted == plain)
        #expect(!Self.sameBuffer(hinted.message.uri, hint) && !Self.sameBuffer(hinted.message.content, hint))
    }

    /// The empty auth block takes a shortcut past the packify decoder; non-empty ones and
    /// damaged empty ones still go through it.
    @Test func emptyAuthShortcutMatchesTheDecoder() throws {
        let empty = try AuthFields().encode()
        #expect(empty == AuthFields.emptyEncoding)
        #expect(try AuthFields.decode(empty) == AuthFields())
        let withField = try frame(uri: uri, content: content, auth: AuthFields([("hmac", .bytes([1, 2, 3]))]))
        #expect(try FrameDecoder().decodeFrame(withField).message.authFields.bytes("hmac") == [1, 2, 3])
        var damaged = empty
        damaged[0] ^= 0xFF
        #expect(throws: WireError.self) { try AuthFields.decode(damaged) }
    }
}
