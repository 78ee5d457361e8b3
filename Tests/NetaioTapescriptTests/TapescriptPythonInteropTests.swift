import Foundation
import NetaioPlugins
import NetaioTestSupport
import Testing
@testable import NetaioTapescript

/// Live cross-checks with the real Python netaio 0.0.9 / tapescript 0.7.3 through the
/// oracle process (scripts/python/oracle.py): random messages authenticated by one side
/// and checked by the other, tampering rejected by both, and random scripts run by both
/// VMs (differential).
@Suite(.enabled(if: PythonOracle.enabled, PythonOracle.skipReason), .serialized)
struct TapescriptPythonInteropTests {
    static let seed = [UInt8](repeating: 0x5a, count: 32)
    static let committed: [UInt8] = {
        // make_single_sig_lock of another key: the README's admin key.
        try! Tapescript.makeSingleSigLock(pubkey: Tapescript.verifyKey(seed: [UInt8](repeating: 0x33, count: 32)))
    }()

    static func randomMessage<G: RandomNumberGenerator>(_ g: inout G) -> Message {
        let types: [MessageType] = [.publishURI, .requestURI, .createURI, .respondURI, .notifyURI]
        let uri = (0..<Int.random(in: 0...40, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }
        let content = (0..<Int.random(in: 0...900, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }
        return Message(type: types.randomElement(using: &g)!, uri: uri, content: content)
    }

    /// Flip one bit of the body, of the nonce, the ts or the witness.
    static func tampered<G: RandomNumberGenerator>(_ m: Message, _ g: inout G) -> Message {
        var out = m
        switch Int.random(in: 0..<4, using: &g) {
        case 0:
            if out.content.isEmpty { out.content = [1] } else {
                let i = Int.random(in: 0..<out.content.count, using: &g); out.content[i] ^= 1
            }
        default:
            let name = ["nonce", "ts", "witness"][Int.random(in: 0..<3, using: &g)]
            var b = out.authFields.bytes(name) ?? []
            if b.isEmpty { b = [1] } else { b[Int.random(in: 0..<b.count, using: &g)] ^= 0x40 }
            out.authFields[name] = .bytes(b)
        }
        return out
    }

    func config(_ kind: String) -> [String: Any] {
        var c: [String: Any] = ["seed_hex": Self.seed.hex, "kind": kind]
        if kind == "taproot_keyspend" { c["committed_script_hex"] = Self.committed.hex }
        return c
    }

    func plugin(_ kind: String) throws -> TapescriptAuthPlugin {
        kind == "taproot_keyspend"
            ? try .taprootKeyspend(seed: Self.seed, committedScript: Self.committed)
            : try .singleSig(seed: Self.seed)
    }

    @Test(arguments: ["single_sig", "taproot_keyspend"])
    func randomMessagesBothWays(kind: String) throws {
        let oracle = try PythonOracle.start()
        defer { oracle.close() }
        let swift = try plugin(kind)
        var g = SystemRandomNumberGenerator()
        for i in 0..<30 {
            let m = Self.randomMessage(&g)
            // Swift makes, Python checks.
            let made = try swift.made(m, context: .system())
            #expect(try oracle.call("tapescript_check", config(kind).merging(["hex": made.encode().hex]) { $1 }) as? Bool == true, "\(i)")
            let bad = Self.tampered(made, &g)
            #expect(try oracle.call("tapescript_check", config(kind).merging(["hex": bad.encode().hex]) { $1 }) as? Bool == false, "\(i)")
            #expect(!swift.check(bad, context: .system()), "\(i)")
            // Python makes (its own urandom nonce and clock), Swift checks.
            let fromPython = try Message.decode(try oracle.hex("tapescript_make", config(kind).merging(["hex": m.encode().hex]) { $1 }))
            #expect(swift.check(fromPython, context: .system()), "\(i)")
            let badPython = Self.tampered(fromPython, &g)
            #expect(!swift.check(badPython, context: .system()), "\(i)")
            #expect(try oracle.call("tapescript_check", config(kind).merging(["hex": badPython.encode().hex]) { $1 }) as? Bool == false)
            // Pinned nonce and clock: the same bytes.
            let nonce = (0..<16).map { _ in UInt8.random(in: 0...255, using: &g) }
            let time = Int.random(in: 1...4_000_000_000, using: &g)
            let pinned = try swift.made(m, context: PluginContext(random: FixedRandomSource(bytes: nonce), clock: FixedUnixClock(Double(time))))
            let python = try oracle.hex("tapescript_make", config(kind).merging(["hex": m.encode().hex, "nonce_hex": nonce.hex, "time": time]) { $1 })
            #expect(try pinned.encode().hex == python.hex, "\(i)")
        }
    }

    @Test func peerLockBothWays() throws {
        let oracle = try PythonOracle.start()
        defer { oracle.close() }
        let other = [UInt8](repeating: 0x77, count: 32)
        let lock = try Tapescript.makeSingleSigLock(pubkey: Tapescript.verifyKey(seed: other))
        let data = try DefaultPeerPlugin().encodeData(.dict([PackifyDictEntry(.string("lock"), .bytes(lock))]))
        let peer = Peer(id: Array("P".utf8), data: data)
        // Signed by `other`, checked against the peer's lock by a plugin whose own lock is Self.seed's.
        let signer = try TapescriptAuthPlugin.singleSig(seed: other)
        let checker = try TapescriptAuthPlugin.singleSig(seed: Self.seed, usePeerLock: true)
        let noPeerLock = try TapescriptAuthPlugin.singleSig(seed: Self.seed)
        let m = try signer.made(Message(type: .createURI, uri: Array("k".utf8), content: Array("v".utf8)), context: .system())
        #expect(checker.check(m, context: .system(), peer: peer, peerPlugin: DefaultPeerPlugin()))
        #expect(!noPeerLock.check(m, context: .system(), peer: peer, peerPlugin: DefaultPeerPlugin()))
        #expect(!checker.check(m, context: .system()))
        let base = ["seed_hex": Self.seed.hex, "hex": try m.encode().hex, "peer_data_hex": data.hex] as [String: Any]
        #expect(try oracle.call("tapescript_check", base.merging(["use_peer_lock": true]) { $1 }) as? Bool == true)
        #expect(try oracle.call("tapescript_check", base) as? Bool == false)
    }

    /// Big-integer arithmetic (multi-limb division above all) against Python's ints:
    /// random operands of 1 to 200 bytes through ADD, SUB, MULT, DIV, MOD, LESS, I2F.
    @Test func bigIntegerArithmeticAgreesWithPython() throws {
        let oracle = try PythonOracle.start()
        defer { oracle.close() }
        var g = SystemRandomNumberGenerator()
        func operand() -> [UInt8] {
            var b = (0..<Int.random(in: 1...200, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }
            if Bool.random(using: &g), b.count > 1 { for i in 1..<min(b.count, 9) { b[i] = Bool.random(using: &g) ? 0xff : 0 } }
            return b
        }
        let ops: [[UInt8]] = [[14, 2], [15, 2], [16, 2], [18], [20], [62], [63], [67]]
        for i in 0..<300 {
            let a = operand(), b = operand()
            let op = ops[i % ops.count]
            let script = Tapescript.push(b)! + Tapescript.push(a)! + op + [Opcode.DEPTH.rawValue]
            let py = try oracle.call("tapescript_run", ["scripts_hex": [script.hex], "now": 1]) as! [String: Any]
            let (run, error) = TapescriptVM(now: 1).runCapturing(scripts: [script], cache: [:])
            let pyError = py["error"] as? [String: Any]
            #expect(run.stack.map(\.hex) == py["stack_hex"] as? [String], "\(i): \(script.hex)")
            #expect(error?.serialized == pyError.map { "\($0["class"] as! String)|\($0["message"] as! String)" }, "\(i): \(script.hex)")
        }
    }

    /// Float opcodes on random 4-byte patterns (NaN, infinities, subnormals included)
    /// against Python's float arithmetic and struct packing.
    @Test func floatArithmeticAgreesWithPython() throws {
        let oracle = try PythonOracle.start()
        defer { oracle.close() }
        var g = SystemRandomNumberGenerator()
        func float() -> [UInt8] {
            switch Int.random(in: 0..<4, using: &g) {
            case 0: return (0..<4).map { _ in UInt8.random(in: 0...255, using: &g) }
            case 1: return [[0x7f, 0x80, 0, 0], [0xff, 0x80, 0, 0], [0, 0, 0, 1], [0x80, 0, 0, 0], [0, 0, 0, 0], [0x7f, 0x7f, 0xff, 0xff]]
                .randomElement(using: &g)!
            default:
                let f = Float(Double.random(in: -1e6...1e6, using: &g))
                let b = f.bitPattern
                return [UInt8(b >> 24), UInt8(truncatingIfNeeded: b >> 16), UInt8(truncatingIfNeeded: b >> 8), UInt8(truncatingIfNeeded: b)]
            }
        }
        let ops: [() -> [UInt8]] = [
            { [21, 2] }, { [22, 2] }, { [24] }, { [26] }, { [65] }, { [66] }, { [68] },
            { [23] + float() }, { [25] + float() },
        ]
        for i in 0..<400 {
            let script = Tapescript.push(float())! + Tapescript.push(float())! + ops[i % ops.count]() + [Opcode.DEPTH.rawValue]
            let py = try oracle.call("tapescript_run", ["scripts_hex": [script.hex], "now": 1]) as! [String: Any]
            let (run, error) = TapescriptVM(now: 1).runCapturing(scripts: [script], cache: [:])
            let pyError = py["error"] as? [String: Any]
            #expect(run.stack.map(\.hex) == py["stack_hex"] as? [String], "\(i): \(script.hex)")
            #expect(error?.serialized == pyError.map { "\($0["class"] as! String)|\($0["message"] as! String)" }, "\(i): \(script.hex)")
        }
    }

    // MARK: differential VM runs

    static let verifyKey: [UInt8] = (try? Tapescript.verifyKey(seed: seed)) ?? []

    /// A random script: a prefix pushing typical values, then random opcodes with operands
    /// of the right shape (sub-scripts nested at most twice). OP_RANDOM is left out.
    static func randomScript<G: RandomNumberGenerator>(_ g: inout G, depth: Int = 0) -> [UInt8] {
        var out: [UInt8] = []
        func byte() -> UInt8 { UInt8.random(in: 0...255, using: &g) }
        func small() -> UInt8 { UInt8.random(in: 0...4, using: &g) }
        func body() -> [UInt8] {
            let b = depth < 2 ? randomScript(&g, depth: depth + 1) : [Opcode.TRUE.rawValue]
            return [UInt8(b.count >> 8), UInt8(b.count & 0xff)] + b
        }
        let keys: [[UInt8]] = [[0x50], [0x45], [0x6b], [0x73], [0x78], Array("sigfield1".utf8), Array("timestamp".utf8)]
        func key() -> [UInt8] { let k = keys.randomElement(using: &g)!; return [UInt8(k.count)] + k }
        let values: [[UInt8]] = [
            [0x00], [0x01], [0xff], [0x02], [0x7f], [0x80, 0x00], [0x3f, 0xc0, 0x00, 0x00], [0x40, 0x49, 0x0f, 0xdb],
            verifyKey, [UInt8](repeating: 0x5a, count: 32), Array("héllo".utf8),
            [Opcode.TRUE.rawValue, Opcode.DUP.rawValue], Array("sigfield1".utf8), [0x50],
        ]
        func pushValue() { out += Tapescript.push(values.randomElement(using: &g) ?? [1]) ?? [] }
        if depth == 0 { for _ in 0..<Int.random(in: 0...8, using: &g) { pushValue() } }
        for _ in 0..<Int.random(in: 1...(depth == 0 ? 10 : 4), using: &g) {
            // Keep the stack fed so that most opcodes get past their operands.
            if Bool.random(using: &g) { pushValue() }
            var op = UInt8.random(in: 0...92, using: &g)
            if op == Opcode.RANDOM.rawValue { op = Opcode.DUP.rawValue }
            if op == 92 { op = UInt8.random(in: 92...255, using: &g) }
            out.append(op)
            switch Opcode(rawValue: op) {
            case .PUSH0?: out.append(byte())
            case .PUSH1?: let n = Int.random(in: 0...40, using: &g); out.append(UInt8(n)); out += (0..<n).map { _ in byte() }
            case .PUSH2?: out += [0, 2, byte(), byte()]
            case .GET_MESSAGE?, .CHECK_SIG?, .CHECK_SIG_VERIFY?, .SIGN?, .CHECK_TEMPLATE?, .CHECK_TEMPLATE_VERIFY?, .TAPROOT?:
                out.append(Bool.random(using: &g) ? 0 : byte())
            case .POP1?, .ADD_INTS?, .SUBTRACT_INTS?, .MULT_INTS?, .ADD_FLOATS?, .SUBTRACT_FLOATS?, .ADD_POINTS?, .COPY?,
                 .ADD_SCALARS?, .SUBTRACT_SCALARS?, .SUBTRACT_POINTS?, .REVERSE?, .CALL?, .CLAMP_SCALAR?:
                out.append(small())
            case .SHAKE256?: out.append(UInt8.random(in: 0...64, using: &g))
            case .DIV_INT?, .MOD_INT?: out += [1, byte()]
            case .DIV_FLOAT?, .MOD_FLOAT?: out += [0x40, byte(), 0, 0]
            case .WRITE_CACHE?: out += key() + [small()]
            case .READ_CACHE?, .READ_CACHE_SIZE?, .SET_FLAG?, .UNSET_FLAG?, .GET_VALUE?: out += key()
            case .SWAP?: out += [small(), small()]
            case .CHECK_MULTISIG?, .CHECK_MULTISIG_VERIFY?: out += [0, small(), small()]
            case .DEF?: out.append(small()); out += body()
            case .IF?, .LOOP?: out += body()
            case .IF_ELSE?, .TRY_EXCEPT?: out += body() + body()
            case .MERKLEVAL?: out += (0..<32).map { _ in byte() }
            case nil: out.append(UInt8.random(in: 0...3, using: &g))
            default: break
            }
        }
        return out
    }

    @Test func randomScriptsAgreeWithPython() throws {
        let oracle = try PythonOracle.start()
        defer { oracle.close() }
        var g = SystemRandomNumberGenerator()
        let sigfields = ["sigfield1": Array("hello world".utf8), "sigfield2": [UInt8](repeating: 7, count: 16), "sigfield3": [0x65, 0x53, 0xf1, 0x00]]
        let now = 1_700_000_000
        var errorsSeen = Set<String>()
        var completed = 0
        // TAPESCRIPT_DIFF_COUNT=N runs a longer differential campaign.
        let count = ProcessInfo.processInfo.environment["TAPESCRIPT_DIFF_COUNT"].flatMap(Int.init) ?? 400
        for i in 0..<count {
            let scripts = (0..<Int.random(in: 1...2, using: &g)).map { _ in Self.randomScript(&g) }
            let py = try oracle.call("tapescript_run", [
                "scripts_hex": scripts.map(\.hex), "now": now,
                "sigfields": sigfields.mapValues(\.hex),
            ]) as! [String: Any]
            let vm = TapescriptVM(now: now)
            let (run, error) = vm.runCapturing(scripts: scripts, cache: sigfields.mapValues { .bytes($0) })
            let pyError = py["error"] as? [String: Any]
            let context = "script \(i): \(scripts.map(\.hex))"
            #expect(error?.pythonClass == pyError?["class"] as? String, "\(context) \(String(describing: error))")
            #expect(error?.message == pyError?["message"] as? String, "\(context)")
            #expect(run.stack.map(\.hex) == py["stack_hex"] as? [String], "\(context)")
            #expect(Tapescript.runAuthScripts(scripts, sigfields: sigfields, now: now) == py["auth"] as? Bool, "\(context)")
            if let e = error { errorsSeen.insert(e.pythonClass) } else { completed += 1 }
        }
        print("tapescript differential: \(count) random script pairs, \(completed) ran to the end, errors seen: \(errorsSeen.sorted())")
        // Not only early errors: a fair share of the scripts runs to completion.
        #expect(completed * 20 >= count, "\(completed) of \(count) completed")
        // The generator reaches the main failure kinds.
        #expect(errorsSeen.isSuperset(of: ["ScriptExecutionError", "IndexError", "ValueError"]))
    }
}
