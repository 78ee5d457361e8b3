import Testing
import NetaioTestSupport
@testable import NetaioWire

/// Untrusted bytes get a typed error, never a trap, and cost no more than their size.
@Suite struct StrictDecodingTests {
    let frame = try! Message(
        type: .publishURI, uri: Array("uri".utf8), content: Array("content".utf8),
        authFields: AuthFields([("nonce", .bytes(Array(0..<16))), ("ts", .bytes([1, 2, 3, 4]))])
    ).encode()

    @Test func everyTruncationIsATypedError() {
        for n in 0..<frame.count {
            #expect(throws: WireError.self, "prefix of \(n) bytes") { try Message.decode(Array(frame.prefix(n))) }
        }
        #expect(throws: WireError.trailingBytes(count: 1)) { try Message.decode(frame + [0]) }
    }

    @Test func everySingleByteChangeIsHandled() throws {
        // Each variant either fails with a WireError or still decodes; the body is covered
        // by the CRC, so an accepted variant differs only in its type or auth fields.
        let original = try Message.decode(frame)
        for i in frame.indices {
            for delta: UInt8 in [1, 0x80, 0xFF] {
                var damaged = frame
                damaged[i] = damaged[i] &+ delta
                if let decoded = try? Message.decode(damaged) {
                    #expect(decoded.body == original.body, "byte \(i) + \(delta)")
                    #expect(i < 9 + Int(try original.header().authLength), "byte \(i) is in the header or auth block")
                }
            }
        }
    }

    @Test func specificErrors() throws {
        #expect(throws: WireError.truncated(part: "header", needed: 9, available: 4)) { try Message.decode([0, 0, 3, 0]) }
        var unknown = frame
        unknown[0] = 14
        #expect(throws: WireError.unknownMessageType(14)) { try Message.decode(unknown) }
        var badCRC = frame
        badCRC[8] ^= 1
        #expect(throws: WireError.self) { try Message.decode(badCRC) }
        do {
            _ = try Message.decode(badCRC)
        } catch {
            #expect(error.code == "checksum_mismatch")
        }
        // An auth block that is a list, not a dict.
        let listAuth = Hex.decode("0a0006000c800f51a64a40010244010003757269636f6e74656e74")!
        #expect(throws: WireError.authBlockNotDict(type: "list")) { try Message.decode(listAuth) }
        // A dict with bytes after it inside the auth block.
        let trailing = Hex.decode("0a0005000c800f51a64d4000ffff0003757269636f6e74656e74")!
        #expect(throws: WireError.trailingBytesInAuthBlock(count: 2)) { try Message.decode(trailing) }
        // An int key.
        let intKey = try Message(type: .ok, uri: [], content: []).encode()
        var block = try Packify.encode(.dict([PackifyDictEntry(1, .bytes([]))]))
        var raw = Array(intKey.prefix(9))
        raw[1] = 0
        raw[2] = UInt8(block.count)
        block += Array(intKey.suffix(from: 12))
        raw += block
        #expect(throws: WireError.authFieldNameNotString(type: "int")) { try Message.decode(raw) }
        #expect(throws: WireError.emptyAuthBlock) { try AuthFields.decode([UInt8]()) }
        #expect(throws: WireError.uriLengthPastEnd(uriLength: 50, available: 3)) { try Body.decode([0, 50, 1, 2, 3]) }
    }

    @Test func hugeDeclaredSizesCostNothing() {
        // A list claiming 2^32 - 1 items in 6 bytes; a bytes value claiming 4 GiB.
        #expect(throws: PackifyError.self) { try Packify.decode([0xCA, 0x40, 0xFF, 0xFF, 0xFF, 0xFF]) }
        #expect(throws: PackifyError.self) { try Packify.decode([0xC1, 0xFF, 0xFF, 0xFF, 0xFF, 0x00]) }
        #expect(throws: PackifyError.self) { try Packify.decode([0x0E, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]) }
        #expect(throws: PackifyError.self) { try Packify.decode([0xD4, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) }
    }

    @Test func nestingIsLimited() throws {
        func nested(_ depth: Int) throws -> [UInt8] {
            var value = PackifyValue.list([])
            for _ in 0..<depth { value = .list([value]) }
            return try Packify.encode(value)
        }
        // depth+1 containers in all: 64 levels are accepted, 65 are not.
        #expect(throws: Never.self) { try Packify.decode(try nested(63)) }
        #expect(throws: PackifyError(.nestingTooDeep(limit: 64), at: 256)) { try Packify.decode(try nested(64)) }
        #expect(throws: Never.self) { try PackifyDecoder(maxDepth: 200).decode(try nested(150)) }
        // Dict pairs count as a level too.
        var dict = PackifyValue.none
        for _ in 0..<40 { dict = .dict([PackifyDictEntry("k", dict)]) }
        #expect(throws: PackifyError.self) { try Packify.decode(try Packify.encode(dict)) }
    }

    @Test func randomGarbageNeverTraps() {
        var random = RandomValues(seed: 42)
        var decodedCount = 0
        for _ in 0..<20_000 {
            let garbage = random.bytes(maxCount: 64)
            if (try? Packify.decode(garbage)) != nil { decodedCount += 1 }
            _ = try? Message.decode(garbage)
            _ = try? FrameDecoder().decodeFrame(garbage)
            _ = try? ReferenceReaders.udpParse(garbage)
        }
        #expect(decodedCount > 0)  // some garbage is valid packify; the rest threw
    }

    @Test func decimalsFollowPython() throws {
        let cases: [(String, String?)] = [
            ("1_0", "10"), (" 1 ", "1"), ("1E-5", "0.00001"), ("-0", "-0"), ("NaN00012", "NaN12"),
            ("inf", "Infinity"), ("1.50", "1.50"), ("1e999999999999999999", "1E+999999999999999999"),
            ("1e1000000000000000000", nil), ("1e-1999999999999999998", nil), ("1.2.3", nil), (".", nil),
            ("\u{0661}\u{0662}", "12"), ("0e-5", "0.00000"), ("10e999999999999999998", "1.0E+999999999999999999"),
        ]
        for (input, expected) in cases {
            #expect(DecimalSyntax.pythonString(input) == expected, "\(input)")
        }
        #expect(PythonKey.isHashable(.decimal("sNaN")) == false)
        // 1, 1.0 and True are one key in Python: the first key stays, the last value wins.
        let merged = try Packify.decode(try Packify.encode(.dict([
            PackifyDictEntry(1, "a"), PackifyDictEntry(.float(1.0), "b"), PackifyDictEntry(true, "c"),
        ])))
        #expect(merged == .dict([PackifyDictEntry(1, "c")]))
    }
}

@Suite struct MessageTypeSetTests {
    @Test func customTypesFollowNetaioRules() throws {
        let set = try MessageTypeSet.make(custom: [("PING", 31), ("PONG", 255)])
        #expect(set.contains(MessageType(31)) && set.contains(MessageType(255)) && set.contains(.ok))
        #expect(!set.contains(MessageType(14)))
        #expect(set.name(of: MessageType(31)) == "PING")
        #expect(throws: MessageTypeSet.ValidationError.reservedValue(name: "X", value: 30)) {
            try MessageTypeSet.make(custom: [("X", 30)])
        }
        #expect(throws: MessageTypeSet.ValidationError.valueAboveLimit(name: "X", value: 256)) {
            try MessageTypeSet.make(custom: [("X", 256)])
        }
        #expect(throws: MessageTypeSet.ValidationError.overwritesStandardName("OK")) {
            try MessageTypeSet.make(custom: [("OK", 40)])
        }
        #expect(throws: MessageTypeSet.ValidationError.duplicateValue(value: 40, names: ["A", "B"])) {
            try MessageTypeSet.make(custom: [("A", 40), ("B", 40)])
        }
        #expect(throws: MessageTypeSet.ValidationError.missingStandardType("DISCONNECT")) {
            try MessageTypeSet.validate(name: "T", entries: MessageType.standard.dropLast().map { ($0.name, Int($0.type.rawValue)) })
        }
        #expect(throws: MessageTypeSet.ValidationError.standardTypeChanged(name: "OK", expected: 10, actual: 11)) {
            try MessageTypeSet.validate(name: "T", entries: MessageType.standard.map { ($0.name, $0.name == "OK" ? 11 : Int($0.type.rawValue)) })
        }
        #expect(set.isErrorType(.authError) && set.isErrorType(.error) && !set.isErrorType(.notFound))
    }

    @Test func errorHelperClassifiesLikeNetaio() {
        #expect(Message.error("not found").type == .notFound)
        #expect(Message.error("HMAC auth failed").type == .authError)
        #expect(Message.error("not permitted").type == .notPermitted)
        #expect(Message.error("invalid message").type == .error)
        #expect(Message.error("x", type: .requestURI).type == .error)  // 0 counts as "not given", as in Python
        #expect(Message.error("x").uri == Array("ERROR".utf8))
    }
}
