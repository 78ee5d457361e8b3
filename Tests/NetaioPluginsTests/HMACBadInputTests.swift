import NetaioTestSupport
import Testing
import NetaioPlugins

/// Everything wrong with an HMAC-authenticated message gives `false` (or, for `make`, a
/// typed error) — never a trap — and the Python quirks of §5.3 are kept.
@Suite struct HMACBadInputTests {
    let plugin = HMACAuthPlugin(secret: "s3cret")
    let context = TestMessages.context

    func signed(_ message: Message = TestMessages.publish()) throws -> Message {
        try plugin.made(message, context: context)
    }

    @Test func validMessageChecks() throws {
        let m = try signed()
        #expect(plugin.check(m, context: context))
        #expect(m.authFields.bytes("ts") == [0x65, 0x53, 0xf1, 0x00], "ts = int(now), 4 bytes BE")
        #expect(m.authFields.bytes("nonce")?.count == 16)
        #expect(m.authFields.bytes("hmac")?.count == 32)
    }

    @Test func wrongSecret() throws {
        #expect(!HMACAuthPlugin(secret: "other").check(try signed(), context: context))
        #expect(!HMACAuthPlugin(secret: Array("s3cret".utf8) + [0]).check(try signed(), context: context))
        #expect(HMACAuthPlugin(secret: Array("s3cret".utf8)).check(try signed(), context: context), "str secret = its UTF-8 bytes")
    }

    @Test func tamperedBodyOrFields() throws {
        let m = try signed()
        var uri = m; uri.uri[0] ^= 1
        var content = m; content.content[content.content.count - 1] ^= 0x80
        var longer = m; longer.content.append(0)
        #expect(!plugin.check(uri, context: context))
        #expect(!plugin.check(content, context: context))
        #expect(!plugin.check(longer, context: context))
        for field in ["nonce", "ts", "hmac"] {
            var value = m.authFields.bytes(field)!
            value[0] ^= 1
            #expect(!plugin.check(m.with(field, .bytes(value)), context: context), "\(field) flipped")
        }
        // Quirk Q2: the type byte and foreign fields are not covered.
        var retyped = m; retyped.type = .deleteURI
        #expect(plugin.check(retyped, context: context))
        #expect(plugin.check(m.with("iv", .bytes([1, 2, 3])), context: context))
    }

    @Test func missingFields() throws {
        let m = try signed()
        for field in ["nonce", "ts", "hmac"] {
            #expect(!plugin.check(m.with(field, nil), context: context), "\(field) missing")
            #expect(!plugin.check(m.with(field, PackifyValue.none), context: context), "\(field) is None")
        }
        #expect(!plugin.check(TestMessages.publish(), context: context))
    }

    @Test func wrongLengths() throws {
        let m = try signed()
        let mac = m.authFields.bytes("hmac")!, nonce = m.authFields.bytes("nonce")!
        for cut in [mac.prefix(31), mac.prefix(0), mac + [0]] as [ArraySlice<UInt8>] {
            #expect(!plugin.check(m.with("hmac", .bytes(Array(cut))), context: context))
        }
        #expect(!plugin.check(m.with("nonce", .bytes(Array(nonce.prefix(15)))), context: context))
        #expect(!plugin.check(m.with("nonce", .bytes(nonce + [0])), context: context))
        #expect(!plugin.check(m.with("ts", .bytes([0x65, 0x53, 0xf1])), context: context))
    }

    /// Python raises TypeError for these; we return false.
    @Test func nonBytesFieldsAreFalse() throws {
        let m = try signed()
        let oddValues: [PackifyValue] = [.string("abc"), .int(5), .list([.int(1)]), .float(1.5), .dict([]), .bool(true)]
        for value in oddValues {
            #expect(!plugin.check(m.with("nonce", value), context: context), "nonce \(value.typeName)")
            #expect(!plugin.check(m.with("hmac", value), context: context), "hmac \(value.typeName)")
        }
        for value in [PackifyValue.string("x"), .float(1.5), .list([]), .int(-1), .int(PackifyInteger(1 << 40))] {
            #expect(!plugin.check(m.with("ts", value), context: context), "ts \(value)")
        }
        // bytearray values work as bytes do in Python.
        let asBytearray = m.with("hmac", .bytearray(m.authFields.bytes("hmac")!)).with("nonce", .bytearray(m.authFields.bytes("nonce")!))
        #expect(plugin.check(asBytearray, context: context))
    }

    /// Quirk Q9: int ts 0 is "missing", but ts bytes are used verbatim at any length.
    @Test func timestampQuirks() throws {
        let body = TestMessages.publish().body
        let nonce = [UInt8](repeating: 9, count: 16)
        func message(ts: PackifyValue, macTs: [UInt8]) -> Message {
            let mac = NetaioCrypto.hmac(key: plugin.secretKey, iv: nonce, message: macTs + body.encode())
            return Message(type: .ok, authFields: AuthFields([("nonce", .bytes(nonce)), ("ts", ts), ("hmac", .bytes(mac))]), body: body)
        }
        #expect(!plugin.check(message(ts: .int(0), macTs: [0, 0, 0, 0]), context: context))
        #expect(!plugin.check(message(ts: .bool(false), macTs: [0, 0, 0, 0]), context: context))
        #expect(plugin.check(message(ts: .bytes([0, 0, 0, 0]), macTs: [0, 0, 0, 0]), context: context))
        #expect(plugin.check(message(ts: .bytes([7]), macTs: [7]), context: context))
        #expect(plugin.check(message(ts: .bytes([]), macTs: []), context: context))
        #expect(plugin.check(message(ts: .bytes(Array(repeating: 1, count: 9)), macTs: Array(repeating: 1, count: 9)), context: context))
        #expect(plugin.check(message(ts: .int(42), macTs: [0, 0, 0, 42]), context: context))
        #expect(plugin.check(message(ts: .bool(true), macTs: [0, 0, 0, 1]), context: context))
    }

    @Test func makeReusesAndReplacesLikePython() throws {
        let nonce = [UInt8](repeating: 5, count: 16)
        let reused = try plugin.made(TestMessages.publish(fields: AuthFields([("nonce", .bytes(nonce)), ("ts", .int(42))])), context: context)
        #expect(reused.authFields.bytes("nonce") == nonce)
        #expect(reused.authFields.bytes("ts") == [0, 0, 0, 42])
        let replaced = try plugin.made(TestMessages.publish(fields: AuthFields([("nonce", .bytes(Array(nonce.prefix(15)))), ("ts", .bytes([0, 0, 0, 0, 1]))])), context: context)
        #expect(replaced.authFields.bytes("nonce")?.count == 16)
        #expect(replaced.authFields.bytes("nonce") != Array(nonce.prefix(15)) + [0])
        #expect(replaced.authFields.bytes("ts") == [0, 0, 0, 1], "bytes ts read as a BE integer")
        #expect(plugin.check(replaced, context: context))
        // Like Python, a non-bytes nonce whose len() is not 16 is simply replaced.
        for odd in [PackifyValue.string("abc"), .list([.int(1)]), .dict([])] {
            let m = try plugin.made(TestMessages.publish(fields: AuthFields([("nonce", odd)])), context: context)
            #expect(m.authFields.bytes("nonce")?.count == 16)
        }
        // Re-making an already made message gives identical bytes (Q4).
        #expect(try plugin.made(reused, context: context) == reused)
    }

    @Test func makeErrorsAreTyped() throws {
        let cases: [(AuthFields, String)] = [
            (AuthFields([("ts", .int(PackifyInteger(UInt64(1) << 32)))]), "timestamp_out_of_range"),
            (AuthFields([("ts", .int(-1))]), "timestamp_out_of_range"),
            (AuthFields([("ts", .bytes([1, 0, 0, 0, 0]))]), "timestamp_out_of_range"),
            (AuthFields([("ts", .string("now"))]), "field_not_bytes"),
            (AuthFields([("ts", .none)]), "field_not_bytes"),
            (AuthFields([("nonce", .string("0123456789abcdef"))]), "field_not_bytes"),
            (AuthFields([("nonce", .int(3))]), "field_not_bytes"),
            (AuthFields([("nonce", .none)]), "field_not_bytes"),
        ]
        for (fields, code) in cases {
            #expect { try plugin.made(TestMessages.publish(fields: fields), context: context) } throws: { ($0 as? PluginError)?.code == code }
        }
        for now in [-1.0, .nan, .infinity, 4_294_967_296] {
            let clockContext = PluginContext(random: SeededRandomSource(seed: 2), clock: FixedUnixClock(now))
            #expect { try plugin.made(TestMessages.publish(), context: clockContext) } throws: { ($0 as? PluginError)?.code == "timestamp_out_of_range" }
        }
        let end = PluginContext(random: SeededRandomSource(seed: 2), clock: FixedUnixClock(4_294_967_295.9))
        #expect(try plugin.made(TestMessages.publish(), context: end).authFields.bytes("ts") == [0xff, 0xff, 0xff, 0xff])
    }

    @Test func customFieldNames() throws {
        let custom = HMACAuthPlugin(secret: "s3cret", hmacField: "mac2", nonceField: "n2", tsField: "t2")
        let m = try custom.made(TestMessages.publish(), context: context)
        #expect(Set(m.authFields.names) == ["mac2", "n2", "t2"])
        #expect(custom.check(m, context: context))
        #expect(!plugin.check(m, context: context))
    }
}
