import NetaioTestSupport
import Testing
import NetaioPlugins

@Suite struct RandomSourceTests {
    /// Known answer from an independent pure-Python ChaCha20 (djb variant, 64-bit nonce
    /// and counter) under key SHA-256(u64_be(42)), zero nonce.
    @Test func seededSourceIsChaCha20UnderSHA256OfTheSeed() {
        let source = SeededRandomSource(seed: 42)
        #expect(source.bytes(40).hex == "1818747c2dc22a6743cbc1bf9da0b8df0f3644e472f1ce58a85661268e917c5aee017ab273bf7ab4")
        _ = source.bytes(4090 - 40)
        #expect(source.bytes(20).hex == "d07a951c08e6c5465eaac8c7e94342c990f8c1a6", "across the 4 KiB refill")
    }

    @Test func seededSourceIsAStreamWhateverTheChunking() {
        let whole = SeededRandomSource(seed: [1, 2, 3]).bytes(10_000)
        let chunked = SeededRandomSource(seed: [1, 2, 3])
        var parts: [UInt8] = []
        var n = 0
        while parts.count < 10_000 {
            parts += chunked.bytes(min(n % 97, 10_000 - parts.count))
            n += 1
        }
        #expect(parts == whole)
        #expect(SeededRandomSource(seed: [1, 2, 4]).bytes(32) != Array(whole.prefix(32)))
        #expect(SeededRandomSource(seed: 7).bytes(0) == [])
    }

    @Test func integersAreInRangeAndCoverIt() {
        let source = SeededRandomSource(seed: 5)
        var seen = Set<Int>()
        for _ in 0..<2000 {
            let v = source.integer(in: 1...36)
            #expect((1...36).contains(v))
            seen.insert(v)
        }
        #expect(seen.count == 36)
        #expect(source.integer(in: 9...9) == 9)
        _ = source.integer(in: Int.min...Int.max)
        #expect((-5...(-3)).contains(source.integer(in: -5...(-3))))
    }

    @Test func integersAreReproducible() {
        let a = SeededRandomSource(seed: 11), b = SeededRandomSource(seed: 11)
        #expect((0..<100).map { _ in a.integer(in: 1...1000) } == (0..<100).map { _ in b.integer(in: 1...1000) })
    }

    @Test func fixedSourceHandsOutWhatItWasGiven() {
        let source = FixedRandomSource(chunks: [[1, 2], [3, 4, 5]], integers: [7, 8])
        #expect(source.bytes(3) == [1, 2, 3])
        #expect(source.integer(in: 1...10) == 7)
        #expect(source.remaining == (2, 1))
        #expect(source.bytes(2) == [4, 5])
        #expect(source.integer(in: 8...8) == 8)
        #expect(source.remaining == (0, 0))
    }

    @Test func systemSourceGivesFreshBytes() {
        let source = SystemRandomSource()
        let a = source.bytes(32), b = source.bytes(32)
        #expect(a.count == 32 && a != b)
        #expect(source.bytes(0) == [])
        #expect((1...3).contains(source.integer(in: 1...3)))
    }

    @Test func clocks() {
        #expect(FixedUnixClock(12.5).now() == 12.5)
        let manual = ManualUnixClock(100)
        manual.advance(by: 2.5)
        #expect(manual.now() == 102.5)
        manual.set(7)
        #expect(manual.now() == 7)
        #expect(SystemUnixClock().now() > 1_700_000_000)
    }

    /// Same seed, same clock: a plugin pipeline produces identical bytes (what a
    /// simulator relies on).
    @Test func seededPipelineIsReproducible() throws {
        func run() throws -> [UInt8] {
            let context = PluginContext(random: SeededRandomSource(seed: 99), clock: FixedUnixClock(1_700_000_000))
            var m = try Sha256StreamCipherPlugin(key: "k").encrypt(TestMessages.publish(), context: context)
            m = try HMACAuthPlugin(secret: "s").made(m, context: context)
            return try m.encode()
        }
        #expect(try run() == run())
    }
}
