import NetaioTestSupport
import Testing
import NetaioPlugins

/// The opt-in HMAC freshness window and replay cache (off by default).
@Suite struct FreshnessTests {
    let clock = ManualUnixClock(1_700_000_000.5)
    var context: PluginContext { PluginContext(random: SeededRandomSource(seed: 4), clock: clock) }

    func plugin(_ freshness: HMACFreshness? = HMACFreshness(maxAge: 30, maxFutureSkew: 5, replayCacheSize: 8)) -> HMACAuthPlugin {
        HMACAuthPlugin(secret: "s", freshness: freshness)
    }

    func message(ts: Int, content: String = "x", plugin: HMACAuthPlugin) throws -> Message {
        try plugin.made(TestMessages.publish("u", content, fields: AuthFields([("ts", .int(ts))])), context: context)
    }

    @Test func offByDefaultLikePython() throws {
        let p = plugin(nil)
        let old = try message(ts: 1, plugin: p)
        #expect(p.check(old, context: context))
        #expect(p.check(old, context: context), "replays verify forever (Q8)")
    }

    @Test func window() throws {
        let p = plugin()
        let now = 1_700_000_000
        #expect(p.check(try message(ts: now, content: "a", plugin: p), context: context))
        #expect(p.check(try message(ts: now - 30, content: "b", plugin: p), context: context))
        #expect(!p.check(try message(ts: now - 31, content: "c", plugin: p), context: context))
        #expect(p.check(try message(ts: now + 5, content: "d", plugin: p), context: context))
        #expect(!p.check(try message(ts: now + 6, content: "e", plugin: p), context: context))
        let later = try message(ts: now, content: "f", plugin: p)
        clock.advance(by: 60)
        #expect(!p.check(later, context: context), "expired by the time it arrives")
    }

    @Test func replaysAreRejected() throws {
        let p = plugin()
        let m = try message(ts: 1_700_000_000, plugin: p)
        #expect(p.check(m, context: context))
        #expect(!p.check(m, context: context))
        var retyped = m; retyped.type = .deleteURI
        #expect(!p.check(retyped, context: context), "same MAC, different header: still a replay")
        #expect(p.check(try message(ts: 1_700_000_000, content: "other", plugin: p), context: context))
        #expect(HMACAuthPlugin(secret: "s", freshness: HMACFreshness(replayCacheSize: 0)).check(m, context: context))
    }

    @Test func failedMACsDoNotEnterTheCache() throws {
        let p = plugin()
        let m = try message(ts: 1_700_000_000, plugin: p)
        var tampered = m; tampered.content = [9]
        #expect(!p.check(tampered, context: context))
        #expect(p.check(m, context: context))
    }

    @Test func boundedCacheNeverReopensAReplay() throws {
        let p = plugin()
        let base = 1_700_000_000
        let first = try message(ts: base - 20, content: "first", plugin: p)
        #expect(p.check(first, context: context))
        for i in 0..<20 { #expect(p.check(try message(ts: base - 10 + i / 2, content: "m\(i)", plugin: p), context: context)) }
        // `first` was forgotten to bound the cache; the floor still refuses it.
        #expect(!p.check(first, context: context))
        // The price of a cache too small for the traffic: a late honest message at or
        // below the floor is refused too.
        #expect(!p.check(try message(ts: base - 9, content: "late", plugin: p), context: context))
        #expect(p.check(try message(ts: base, content: "on time", plugin: p), context: context))
    }

    @Test func oddTimestampsAreRefusedWhenFreshnessIsOn() throws {
        let p = plugin()
        let body = TestMessages.publish().body
        let nonce = [UInt8](repeating: 1, count: 16)
        for ts in [[], [UInt8](repeating: 1, count: 9)] as [[UInt8]] {
            let mac = NetaioCrypto.hmac(key: p.secretKey, iv: nonce, message: ts + body.encode())
            let m = Message(type: .ok, authFields: AuthFields([("nonce", .bytes(nonce)), ("ts", .bytes(ts)), ("hmac", .bytes(mac))]), body: body)
            #expect(plugin(nil).check(m, context: context), "Python accepts it")
            #expect(!p.check(m, context: context))
        }
        // A 4-byte-plus-leading-zeros ts is still a number.
        let ts: [UInt8] = [0, 0, 0, 0x65, 0x53, 0xf1, 0x00]
        let mac = NetaioCrypto.hmac(key: p.secretKey, iv: nonce, message: ts + body.encode())
        let m = Message(type: .ok, authFields: AuthFields([("nonce", .bytes(nonce)), ("ts", .bytes(ts)), ("hmac", .bytes(mac))]), body: body)
        #expect(p.check(m, context: context))
    }

    @Test func brokenClocksDoNotTrap() throws {
        let p = HMACAuthPlugin(secret: "s", freshness: HMACFreshness(maxAge: .infinity, maxFutureSkew: .nan))
        let m = try message(ts: 1_700_000_000, plugin: p)
        for now in [Double.nan, .infinity, -.infinity, 1e300, -1e300] {
            _ = p.check(m, context: PluginContext(random: SystemRandomSource(), clock: FixedUnixClock(now)))
        }
    }
}
