/// Entry points of the VM and the lock/witness makers of tapescript's `tools.py` that
/// netaio's documentation uses. Locks and witnesses are raw byte code.
public enum Tapescript {
    /// `run_script` over one or more scripts sharing a stack and cache (the way
    /// `run_auth_scripts` chains them), with the sigfields and any other cache values.
    /// Throws the first error (Python's exception) or a `.limit` error.
    public static func run(
        _ scripts: [[UInt8]], sigfields: [String: [UInt8]] = [:], cache: [String: CacheValue] = [:],
        limits: TapescriptLimits = .default, now: Int? = nil, contracts: [[UInt8]: any Sendable] = [:]
    ) throws(TapescriptError) -> TapescriptRun {
        var initial = cache
        for (k, v) in sigfields { initial[k] = .bytes(v) }
        let vm = TapescriptVM(limits: limits, now: now, contracts: contracts)
        return try vm.run(scripts: scripts, cache: initial)
    }

    /// `run_auth_scripts`: nil when the scripts leave exactly one item, `0xff`, on the
    /// stack; otherwise the reason (an `AssertionError` for a wrong final stack).
    public static func authFailure(
        _ scripts: [[UInt8]], sigfields: [String: [UInt8]], cache: [String: CacheValue] = [:],
        limits: TapescriptLimits = .default, now: Int? = nil, contracts: [[UInt8]: any Sendable] = [:]
    ) -> TapescriptError? {
        guard !scripts.isEmpty else { return TapescriptError(.value, "scripts must contain at least 1 script") }
        do {
            let result = try run(scripts, sigfields: sigfields, cache: cache, limits: limits, now: now, contracts: contracts)
            guard result.stack == [[0xff]] else {
                return TapescriptError(.assertion, "")
            }
            return nil
        } catch {
            return error
        }
    }

    /// `run_auth_scripts(...) == True`.
    public static func runAuthScripts(
        _ scripts: [[UInt8]], sigfields: [String: [UInt8]], cache: [String: CacheValue] = [:],
        limits: TapescriptLimits = .default, now: Int? = nil, contracts: [[UInt8]: any Sendable] = [:]
    ) -> Bool {
        authFailure(scripts, sigfields: sigfields, cache: cache, limits: limits, now: now, contracts: contracts) == nil
    }

    // MARK: byte code building

    /// The byte code of `push x<hex>`: OP_PUSH0 for one byte, OP_PUSH1 up to 255,
    /// OP_PUSH2 up to 65535 bytes. Nil for empty or longer data.
    public static func push(_ data: [UInt8]) -> [UInt8]? {
        switch data.count {
        case 1: return [Opcode.PUSH0.rawValue] + data
        case 2...255: return [Opcode.PUSH1.rawValue, UInt8(data.count)] + data
        case 256...65_535: return [Opcode.PUSH2.rawValue, UInt8(data.count >> 8), UInt8(data.count & 0xff)] + data
        default: return nil
        }
    }

    /// The message OP_GET_MESSAGE builds from `sigfields` for `sigflags`.
    public static func message(sigfields: [String: [UInt8]], sigflags: UInt8 = 0) throws(TapescriptError) -> [UInt8] {
        let run = try run([[Opcode.GET_MESSAGE.rawValue, sigflags]], sigfields: sigfields)
        return run.stack.last ?? []
    }

    /// Ed25519 verify key of a 32-byte seed.
    public static func verifyKey(seed: [UInt8]) throws(TapescriptError) -> [UInt8] {
        guard seed.count == 32 else { throw TapescriptError(.value, "prvkey must be the 32 byte prvkey") }
        return Ed.verifyKey(seed: seed)
    }

    /// `make_single_sig_lock(pubkey, sigflags)`: `push <pubkey> check_sig <sigflags>`.
    public static func makeSingleSigLock(pubkey: [UInt8], sigflags: UInt8 = 0) throws(TapescriptError) -> [UInt8] {
        guard pubkey.count == 32 else { throw TapescriptError(.value, "pubkey must be the 32 byte pubkey") }
        return [Opcode.PUSH1.rawValue, 32] + pubkey + [Opcode.CHECK_SIG.rawValue, sigflags]
    }

    /// `make_single_sig_witness(seed, sigfields, sigflags)`: `push <signature>`, the
    /// signature made by running `push <seed> sign <sigflags>` (so the VM's limits apply:
    /// a message over 1024 bytes cannot be signed, as in Python).
    public static func makeSingleSigWitness(
        seed: [UInt8], sigfields: [String: [UInt8]], sigflags: UInt8 = 0
    ) throws(TapescriptError) -> [UInt8] {
        guard seed.count == 32 else { throw TapescriptError(.value, "prvkey must be the 32 byte prvkey") }
        let script = [Opcode.PUSH1.rawValue, 32] + seed + [Opcode.SIGN.rawValue, sigflags]
        let run = try run([script], sigfields: sigfields)
        guard let sig = run.stack.last, let witness = push(sig) else { throw TapescriptError(.index, "pop from an empty deque") }
        return witness
    }

    /// `make_multisig_lock(pubkeys, quorum_size, sigflags)`.
    public static func makeMultisigLock(pubkeys: [[UInt8]], quorum: Int, sigflags: UInt8 = 0) throws(TapescriptError) -> [UInt8] {
        guard pubkeys.allSatisfy({ $0.count == 32 }) else { throw TapescriptError(.value, "pubkey must be the 32 byte pubkey") }
        guard quorum <= Set(pubkeys).count else { throw TapescriptError(.value, "quorum_size must be <= number of unique pubkeys") }
        guard (0...255).contains(quorum), pubkeys.count <= 255 else { throw TapescriptError(.value, "at most 255 keys") }
        var out: [UInt8] = []
        for pk in pubkeys { out += [Opcode.PUSH1.rawValue, 32] + pk }
        return out + [Opcode.CHECK_MULTISIG.rawValue, sigflags, UInt8(quorum), UInt8(pubkeys.count)]
    }

    /// The taproot root of an internal key and a script commitment (`sha256(script)`):
    /// `pubkey + G * clamp(sha256(pubkey || commitment))`.
    public static func taprootRoot(pubkey: [UInt8], scriptCommitment: [UInt8]) throws(TapescriptError) -> [UInt8] {
        guard pubkey.count == 32 else { throw TapescriptError(.value, "pubkey must be the 32 byte pubkey") }
        guard scriptCommitment.count == 32 else { throw TapescriptError(.value, "script_commitment must be 32 bytes") }
        let X = try Ed.scalarmultBaseNoclamp(Ed.clampScalar(Ed.sha256(pubkey + scriptCommitment), fromPrivateKey: false))
        return try Ed.aggregatePoints([pubkey, X])
    }

    /// `make_taproot_lock(pubkey, script=committed)`: `push <root> tr <sigflags>`.
    public static func makeTaprootLock(pubkey: [UInt8], committedScript: [UInt8], sigflags: UInt8 = 0) throws(TapescriptError) -> [UInt8] {
        let root = try taprootRoot(pubkey: pubkey, scriptCommitment: Ed.sha256(committedScript))
        return [Opcode.PUSH1.rawValue, 32] + root + [Opcode.TAPROOT.rawValue, sigflags]
    }

    /// `make_taproot_witness_keyspend(seed, sigfields, committed_script=...)`: a Schnorr
    /// signature by the tweaked key `x + clamp(sha256(X || commitment))`.
    public static func makeTaprootWitnessKeyspend(
        seed: [UInt8], sigfields: [String: [UInt8]], committedScript: [UInt8], sigflags: UInt8 = 0
    ) throws(TapescriptError) -> [UInt8] {
        guard seed.count == 32 else { throw TapescriptError(.value, "prvkey must be the 32 byte prvkey") }
        guard sigflags != 0xff else { throw TapescriptError(.value, "cannot use sigflag xFF; must sign at least 1 sigfield") }
        let x = Ed.deriveKey(seed: seed)
        let X = try Ed.scalarmultBaseNoclamp(x)
        let t = try Ed.clampScalar(Ed.sha256(X + Ed.sha256(committedScript)), fromPrivateKey: false)
        let m = try message(sigfields: sigfields, sigflags: sigflags)
        var sig = try Ed.signWithScalar(Ed.scalarAdd(x, t), m)
        if sigflags != 0 { sig.append(sigflags) }
        guard let witness = push(sig) else { throw TapescriptError(.value, "signature") }
        return witness
    }

    /// `make_taproot_witness_scriptspend(pubkey, committed_script)`.
    public static func makeTaprootWitnessScriptspend(pubkey: [UInt8], committedScript: [UInt8]) throws(TapescriptError) -> [UInt8] {
        guard pubkey.count == 32 else { throw TapescriptError(.value, "pubkey must be the 32 byte pubkey") }
        guard let s = push(committedScript), let p = push(pubkey) else { throw TapescriptError(.value, "committed script too large") }
        return s + p
    }
}
