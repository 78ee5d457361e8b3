import NetaioCore
import NetaioFuzzChecks
import NetaioTapescript

extension FuzzCheck {
    /// The tapescript VM and TapescriptAuthPlugin on hostile input: any (witness, lock,
    /// sigfields) ends in a verdict or a typed error within the step budget, and never
    /// traps; a run is deterministic (without OP_RANDOM); the plugin accepts what it made
    /// and rejects it for a changed body or under another key.
    ///
    /// Input: witness, lock (short/long byte strings), sigfield1..3, a seed byte, then
    /// the plugin's uri and content.
    public static let tapescript = FuzzCheck("FuzzTapescript") { input throws(FuzzFailure) in
        var reader = FuzzInput(input)
        let witness = reader.longBytes(max: 2048), lock = reader.longBytes(max: 2048)
        let sigfields = [
            "sigfield1": reader.longBytes(max: 1100), "sigfield2": reader.shortBytes(), "sigfield3": reader.shortBytes(max: 8),
        ]
        var limits = TapescriptLimits()
        limits.maxSteps = 20_000  // keeps each fuzz input fast; the bound is what is tested
        let now = 1_700_000_000
        let vm = TapescriptVM(limits: limits, now: now)
        let (run, error) = vm.runCapturing(scripts: [witness, lock], cache: sigfields.mapValues { .bytes($0) })
        try require(error?.kind == .limit || run.steps <= limits.maxSteps, "step budget overrun: \(run.steps)")
        try require(run.stack.count <= limits.stackMaxItems && run.stack.allSatisfy { $0.count <= limits.stackMaxItemSize },
                    "stack limits broken")
        if !witness.contains(Opcode.RANDOM.rawValue) && !lock.contains(Opcode.RANDOM.rawValue) {
            let again = TapescriptVM(limits: limits, now: now).runCapturing(scripts: [witness, lock], cache: sigfields.mapValues { .bytes($0) })
            try require(again.0.stack == run.stack && again.1 == error, "two runs of the same scripts differ")
        }

        // The plugin in netaio's README set-up, on the rest of the input.
        let seedByte = reader.byte()
        let body = Body(uri: reader.shortBytes(), content: reader.longBytes(max: 1200))
        let seed = [UInt8](repeating: seedByte, count: 32), other = [UInt8](repeating: seedByte &+ 1, count: 32)
        guard let plugin = try? TapescriptAuthPlugin.singleSig(seed: seed),
              let wrong = try? TapescriptAuthPlugin.singleSig(seed: other)
        else { throw FuzzFailure("singleSig(seed:) refused a 32-byte seed") }
        let context = fuzzContext(seed: Int(seedByte))
        var fields = AuthFields()
        do {
            try plugin.make(&fields, body: body, context: context)
        } catch {
            // netaio cannot sign more than 1,024 bytes of sigfields either.
            try require(body.encode().count + 20 > 1024, "make failed for a signable body: \(error)")
            return
        }
        try require(plugin.check(fields, body: body, context: context), "check rejects what make produced")
        try require(!wrong.check(fields, body: body, context: context), "another key's lock accepts the witness")
        var tampered = body
        if tampered.content.isEmpty { tampered.content = [0] } else { tampered.content[tampered.content.count - 1] ^= 0x80 }
        try require(!plugin.check(fields, body: tampered, context: context), "check accepts a changed body")
        var hostile = fields
        hostile["witness"] = .bytes(witness)
        _ = plugin.check(hostile, body: body, context: context)  // must simply return
    }
}
