import Foundation
import NetaioPlugins
import Testing
@testable import NetaioTapescript

/// Hostile scripts: every run ends with a result or a typed error, within the limits of
/// `TapescriptLimits` (time and memory), and never traps.
@Suite struct TapescriptHostileTests {
    static let sigfields = ["sigfield1": Array("body".utf8), "sigfield2": [UInt8](repeating: 1, count: 16), "sigfield3": [0, 0, 0, 1]]

    static func ifNest(_ depth: Int, inner: [UInt8] = [Opcode.TRUE.rawValue]) -> [UInt8] {
        var body = inner
        for _ in 0..<depth {
            body = [Opcode.TRUE.rawValue, Opcode.IF.rawValue, UInt8(body.count >> 8), UInt8(body.count & 0xff)] + body
        }
        return body
    }

    /// L(k+1) = push d127 loop { push d-1 add_ints d2 L(k) } pop0: each level leaves the
    /// stack as it found it, so the counter below stays the loop condition.
    static func countingLoops(_ levels: Int) -> [UInt8] {
        var inner: [UInt8] = []
        for _ in 0..<levels {
            let body = [Opcode.PUSH0.rawValue, 0xff, Opcode.ADD_INTS.rawValue, 2] + inner
            inner = [Opcode.PUSH0.rawValue, 127, Opcode.LOOP.rawValue, UInt8(body.count >> 8), UInt8(body.count & 0xff)]
                + body + [Opcode.POP0.rawValue]
        }
        return inner
    }

    @Test func countingLoopsWithinBudgetFinish() throws {
        // One level: 127 iterations, then an empty stack: the structure is right.
        #expect(try Tapescript.run([Self.countingLoops(1)]).stack.isEmpty)
        #expect(try Tapescript.run([Self.countingLoops(2)]).stack.isEmpty)
    }

    @Test func deepNestingIsALimitErrorNotAStackOverflow() throws {
        // 5000 nested IFs: Python hits its recursion limit; we stop at maxDepth.
        let script = Self.ifNest(5000)
        let error = Tapescript.authFailure([script], sigfields: Self.sigfields)
        #expect(error?.kind == .limit)
        // Within the limit it runs.
        #expect(Tapescript.runAuthScripts([Self.ifNest(200)], sigfields: Self.sigfields))
    }

    @Test func limitErrorsCannotBeCaughtByTryExcept() throws {
        let deep = Self.ifNest(400)
        let tryBlock = [Opcode.TRY_EXCEPT.rawValue, UInt8(deep.count >> 8), UInt8(deep.count & 0xff)] + deep + [0, 1, Opcode.TRUE.rawValue]
        #expect(Tapescript.authFailure([tryBlock], sigfields: Self.sigfields)?.kind == .limit)
    }

    @Test func nestedLoopsRunOutOfSteps() throws {
        // Three nested counting loops (127 iterations each, so within Python's per-loop
        // limit of 128): 2 million iterations, minutes in Python.
        let script = Self.countingLoops(3)
        let start = Date()
        let error = Tapescript.authFailure([script], sigfields: Self.sigfields)
        #expect(error?.kind == .limit)
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func signatureFloodsRunOutOfSteps() throws {
        // A loop of 128 iterations each checking 255 multisig keys: bounded by the crypto cost.
        let vk = try Tapescript.verifyKey(seed: [UInt8](repeating: 9, count: 32))
        var body: [UInt8] = []
        body += Tapescript.push(vk)! + [Opcode.COPY.rawValue, 254]
        body += Tapescript.push([UInt8](repeating: 0, count: 64))!
        body += [Opcode.SWAP.rawValue, 0, 255]  // keep a signature below the keys
        body += [Opcode.CHECK_MULTISIG.rawValue, 0, 1, 255, Opcode.POP0.rawValue, Opcode.TRUE.rawValue]
        let script = [Opcode.TRUE.rawValue, Opcode.LOOP.rawValue, UInt8(body.count >> 8), UInt8(body.count & 0xff)] + body
        let start = Date()
        let error = Tapescript.authFailure([script], sigfields: Self.sigfields)
        #expect(error != nil)
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test func cacheGrowthIsBounded() throws {
        // Fill the stack with 1 KiB items, then write them under many distinct keys.
        var script = Tapescript.push([UInt8](repeating: 0x41, count: 1024))!
        script += [Opcode.COPY.rawValue, 254]
        var limits = TapescriptLimits()
        limits.maxCacheBytes = 1 << 20
        for k in 0..<200 {
            script += [Opcode.WRITE_CACHE.rawValue, 2, UInt8(k >> 8), UInt8(k & 0xff), 255]
            script += [Opcode.READ_CACHE.rawValue, 2, UInt8(k >> 8), UInt8(k & 0xff)]
        }
        let error = Tapescript.authFailure([script], sigfields: Self.sigfields, limits: limits)
        #expect(error?.kind == .limit, "\(String(describing: error))")
    }

    @Test func oversizedScriptsAreRefusedBeforeRunning() throws {
        var limits = TapescriptLimits()
        limits.maxScriptSize = 100
        let error = Tapescript.authFailure([[UInt8](repeating: Opcode.TRUE.rawValue, count: 101)], sigfields: [:], limits: limits)
        #expect(error?.kind == .limit)
    }

    @Test func hugeIntegersAndCountsAreTypedErrors() throws {
        let big = [UInt8](repeating: 0x7f, count: 1) + [UInt8](repeating: 0xff, count: 1023)
        // 255 multiplications of 8191-bit numbers: stops growing, then fails the size check.
        let mult = Tapescript.push(big)! + [Opcode.COPY.rawValue, 254, Opcode.MULT_INTS.rawValue, 255]
        #expect(Tapescript.authFailure([mult], sigfields: [:])?.message == "Stack item size too large")
        // OP_RANDOM of a 1024-byte size and of a negative size.
        let random = Tapescript.push(big)! + [Opcode.RANDOM.rawValue]
        #expect(Tapescript.authFailure([random], sigfields: [:])?.kind == .overflow)
        // OP_INVOKE / OP_CHECK_TRANSFER with astronomically large counts.
        let invoke = Tapescript.push(big)! + Tapescript.push([1])! + [Opcode.INVOKE.rawValue]
        #expect(Tapescript.authFailure([invoke], sigfields: [:])?.kind == .index)
        let transfer = Tapescript.push(big)! + Tapescript.push([1])! + Tapescript.push([1])! + Tapescript.push([1])!
            + Tapescript.push([1])! + [Opcode.CHECK_TRANSFER.rawValue]
        #expect(Tapescript.authFailure([transfer], sigfields: [:])?.kind == .index)
        // Division of the largest values.
        let div = Tapescript.push(big)! + Tapescript.push([0xff] + [UInt8](repeating: 0, count: 1023))! + [Opcode.DIV_INTS.rawValue, Opcode.SIZE.rawValue]
        #expect(try Tapescript.run([div]).stack == [[0x01]])
    }

    @Test func randomBytesNeverTrap() throws {
        var g = SystemRandomNumberGenerator()
        var limits = TapescriptLimits()
        limits.maxSteps = 20_000
        let start = Date()
        for _ in 0..<20_000 {
            let n = Int.random(in: 0...96, using: &g)
            let script = (0..<n).map { _ in UInt8.random(in: 0...255, using: &g) }
            _ = Tapescript.authFailure([script], sigfields: Self.sigfields, limits: limits)
        }
        #expect(Date().timeIntervalSince(start) < 60)
    }

    @Test func pluginCheckRejectsHostileWitnessesQuickly() throws {
        let plugin = try TapescriptAuthPlugin.singleSig(seed: [UInt8](repeating: 3, count: 32))
        let context = PluginContext.system()
        let witnesses: [[UInt8]] = [
            Self.countingLoops(4),
            Self.ifNest(3000),
            [Opcode.TRUE.rawValue, Opcode.RETURN.rawValue],
            [],
            [UInt8](repeating: 0xff, count: 4096),
        ]
        for w in witnesses {
            let fields = AuthFields([("nonce", .bytes([UInt8](repeating: 0, count: 16))), ("ts", .bytes([0, 0, 0, 1])), ("witness", .bytes(w))])
            let start = Date()
            #expect(!plugin.check(fields, body: Body(uri: [], content: []), context: context))
            #expect(Date().timeIntervalSince(start) < 5)
        }
    }
}
