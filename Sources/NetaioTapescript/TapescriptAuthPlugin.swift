import NetaioPlugins

/// netaio.asymmetric's `TapescriptAuthPlugin`: `make` writes a nonce, a 4-byte
/// timestamp and a witness script made by `witnessFunction(seed, sigfields)`; `check`
/// runs `[witness, lock]` through the tapescript VM with the sigfields
/// `sigfield1 = body.encode()`, `sigfield2 = nonce`, `sigfield3 = ts (4 bytes)`, and
/// accepts when the run leaves exactly `0xff` on the stack.
///
/// As in Python: an existing nonce field is reused whatever its length, an existing ts
/// (int, or bytes read big-endian) is reused; `check` fails for a missing or zero ts, a
/// missing nonce or witness; with `usePeerLock` the lock comes from the peer's data
/// (`parse_data(peer)["lock"]`) when there is one. Deliberate differences: where Python
/// raises in `check` (a ts past 2^32 - 1) or reads a non-bytes witness with `bytes()`
/// (an int n becomes n zero bytes), this `check` returns false; scripts run under
/// `TapescriptLimits`.
public struct TapescriptAuthPlugin: AuthPlugin {
    /// `witness_func`: the seed and the sigfields in, witness byte code out.
    public typealias WitnessFunction = @Sendable ([UInt8], [String: [UInt8]]) throws(TapescriptError) -> [UInt8]

    public let lock: [UInt8]
    public let seed: [UInt8]
    public let nonceField: String
    public let tsField: String
    public let witnessField: String
    public let usePeerLock: Bool
    public let witnessFunction: WitnessFunction
    public let contracts: [[UInt8]: any Sendable]
    public let limits: TapescriptLimits

    public static let nonceSize = 16

    /// netaio's default witness: `make_single_sig_witness(seed, sigfields)`.
    public static let singleSigWitness: WitnessFunction = { seed, sigfields throws(TapescriptError) in
        try Tapescript.makeSingleSigWitness(seed: seed, sigfields: sigfields)
    }

    public init(
        lock: [UInt8], seed: [UInt8], nonceField: String = "nonce", tsField: String = "ts",
        witnessField: String = "witness", usePeerLock: Bool = false,
        witnessFunction: @escaping WitnessFunction = TapescriptAuthPlugin.singleSigWitness,
        contracts: [[UInt8]: any Sendable] = [:], limits: TapescriptLimits = .default
    ) {
        self.lock = lock
        self.seed = seed
        self.nonceField = nonceField
        self.tsField = tsField
        self.witnessField = witnessField
        self.usePeerLock = usePeerLock
        self.witnessFunction = witnessFunction
        self.contracts = contracts
        self.limits = limits
    }

    /// netaio's README set-up: a single-signature lock on the seed's verify key and
    /// witnesses signed with the seed.
    public static func singleSig(seed: [UInt8], usePeerLock: Bool = false) throws(TapescriptError) -> TapescriptAuthPlugin {
        let lock = try Tapescript.makeSingleSigLock(pubkey: Tapescript.verifyKey(seed: seed))
        return TapescriptAuthPlugin(lock: lock, seed: seed, usePeerLock: usePeerLock)
    }

    /// The README's taproot set-up: a taproot lock on the seed's key committing to
    /// `committedScript`, witnessed by key-spend signatures.
    public static func taprootKeyspend(seed: [UInt8], committedScript: [UInt8]) throws(TapescriptError) -> TapescriptAuthPlugin {
        let lock = try Tapescript.makeTaprootLock(pubkey: Tapescript.verifyKey(seed: seed), committedScript: committedScript)
        return TapescriptAuthPlugin(lock: lock, seed: seed, witnessFunction: { seed, fields throws(TapescriptError) in
            try Tapescript.makeTaprootWitnessKeyspend(seed: seed, sigfields: fields, committedScript: committedScript)
        })
    }

    public var isPeerSpecific: Bool { true }

    public func make(
        _ fields: inout AuthFields, body: Body, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?
    ) throws(PluginError) {
        // Python evaluates urandom(16) even when the field exists (dict.get's default).
        let fresh = context.random.bytes(Self.nonceSize)
        let nonceValue = fields[nonceField] ?? .bytes(fresh)
        guard let nonce = nonceValue.byteArrayValue else {
            throw .fieldNotBytes(name: nonceField, type: nonceValue.typeName)
        }
        let ts = try makeTimestamp(fields[tsField], clock: context.clock)
        let sigfields = ["sigfield1": body.encode(), "sigfield2": nonce, "sigfield3": ts]
        let witness: [UInt8]
        do {
            witness = try witnessFunction(seed, sigfields)
        } catch {
            throw .rejected(plugin: "TapescriptAuthPlugin", reason: error.serialized)
        }
        if fields[nonceField] == nil { fields[nonceField] = nonceValue }
        fields[tsField] = .bytes(ts)
        fields[witnessField] = .bytes(witness)
    }

    public func check(
        _ fields: AuthFields, body: Body, context: PluginContext, peer: Peer?, peerPlugin: (any PeerPlugin)?
    ) -> Bool {
        checkFailure(fields, body: body, peer: peer, peerPlugin: peerPlugin) == nil
    }

    /// Why `check` fails (nil when it passes): the VM's error, or a description of the
    /// missing field.
    public func checkFailure(
        _ fields: AuthFields, body: Body, peer: Peer? = nil, peerPlugin: (any PeerPlugin)? = nil
    ) -> TapescriptError? {
        guard let ts = checkTimestamp(fields[tsField]) else { return TapescriptError(.value, "ts missing, zero or out of range") }
        guard let nonce = fields[nonceField]?.byteArrayValue else { return TapescriptError(.value, "nonce missing or not bytes") }
        guard let witness = fields[witnessField]?.byteArrayValue else { return TapescriptError(.value, "witness missing or not bytes") }
        var lock = self.lock
        if usePeerLock, let peer, let peerPlugin,
           let data = try? peerPlugin.parseData(peer), case .dict = data, let peerLock = data["lock"] {
            guard let bytes = peerLock.byteArrayValue else { return TapescriptError(.type, "peer lock is not bytes") }
            lock = bytes
        }
        return Tapescript.authFailure(
            [witness, lock],
            sigfields: ["sigfield1": body.encode(), "sigfield2": nonce, "sigfield3": ts],
            limits: limits, contracts: contracts)
    }

    /// `make_error_msg("tapescript auth failed")`.
    public func error() -> Message { .error("tapescript auth failed") }

    /// `make`'s ts: the existing int or bytes (big-endian) value, else `int(time())`, as
    /// 4 big-endian bytes (Python raises past 2^32 - 1).
    private func makeTimestamp(_ existing: PackifyValue?, clock: any UnixClock) throws(PluginError) -> [UInt8] {
        let value: UInt64
        switch existing {
        case nil:
            let now = clock.now()
            guard now.isFinite, now >= 0, now < 4_294_967_296 else { throw .timestampOutOfRange("clock reads \(now)") }
            value = UInt64(now.rounded(.towardZero))
        case .int(let i)?:
            guard !i.isNegative, i.magnitude.count <= 4 else { throw .timestampOutOfRange("ts field is \(i)") }
            value = i.magnitude.reduce(0) { $0 << 8 | UInt64($1) }
        case .bool(let b)?:
            value = b ? 1 : 0
        case .bytes(let b)?, .bytearray(let b)?:
            let significant = b.drop(while: { $0 == 0 })
            guard significant.count <= 4 else { throw .timestampOutOfRange("ts field is \(b.count) bytes") }
            value = significant.reduce(0) { $0 << 8 | UInt64($1) }
        case let other?:
            throw .fieldNotBytes(name: tsField, type: other.typeName)
        }
        return Self.fourBytes(value)
    }

    /// `check`'s ts as 4 bytes; nil for missing, zero, or values Python cannot encode.
    private func checkTimestamp(_ value: PackifyValue?) -> [UInt8]? {
        let v: UInt64
        switch value {
        case .int(let i)?:
            guard !i.isNegative, i.magnitude.count <= 4 else { return nil }
            v = i.magnitude.reduce(0) { $0 << 8 | UInt64($1) }
        case .bool(let b)?:
            v = b ? 1 : 0
        case .bytes(let b)?, .bytearray(let b)?:
            let significant = b.drop(while: { $0 == 0 })
            guard significant.count <= 4 else { return nil }
            v = significant.reduce(0) { $0 << 8 | UInt64($1) }
        default:
            return nil
        }
        guard v != 0 else { return nil }
        return Self.fourBytes(v)
    }

    private static func fourBytes(_ v: UInt64) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * (3 - UInt64($0)))) }
    }
}
