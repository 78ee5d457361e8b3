import Foundation
import NetaioFuzzChecks
import NetaioTapescript
import NetaioTestSupport
import NetaioWire

/// `netaio-fuzz-diff FuzzTapescript DIR...`: every FuzzTapescript input's (witness, lock,
/// sigfields), read as FuzzCheck.tapescript reads them, run by our VM and by the real
/// tapescript 0.7.3 (oracle op `tapescript_run`, clock fixed); the final stack, the
/// error's class and message and the run_auth_scripts verdict must agree.
///
/// Not compared: inputs whose scripts contain the byte of OP_RANDOM (random output), and
/// runs that hit one of our limits (Python has none; it would run on for minutes or hit
/// its recursion limit), which are counted apart.
enum TapescriptDiff {
    static func run(_ inputs: [(name: String, bytes: [UInt8])]) throws -> Int32 {
        let oracle = try PythonOracle.start()
        defer { oracle.close() }
        let now = 1_700_000_000
        var compared = 0, skippedRandom = 0, skippedLimit = 0, unexplained = 0, errors: [String: Int] = [:]
        let started = Date()
        for input in inputs {
            var reader = FuzzInput(input.bytes)
            let witness = reader.longBytes(max: 2048), lock = reader.longBytes(max: 2048)
            let sigfields = [
                "sigfield1": reader.longBytes(max: 1100), "sigfield2": reader.shortBytes(), "sigfield3": reader.shortBytes(max: 8),
            ]
            if witness.contains(Opcode.RANDOM.rawValue) || lock.contains(Opcode.RANDOM.rawValue) { skippedRandom += 1; continue }
            let vm = TapescriptVM(now: now)
            let (run, error) = vm.runCapturing(scripts: [witness, lock], cache: sigfields.mapValues { .bytes($0) })
            if error?.kind == .limit { skippedLimit += 1; continue }
            let swiftAuth = Tapescript.runAuthScripts([witness, lock], sigfields: sigfields, now: now)
            let py = try oracle.call("tapescript_run", [
                "scripts_hex": [Hex.encode(witness), Hex.encode(lock)], "now": now,
                "sigfields": sigfields.mapValues { Hex.encode($0) },
            ]) as? [String: Any] ?? [:]
            compared += 1
            let pyError = py["error"] as? [String: Any]
            let pyClass = pyError?["class"] as? String, pyMessage = pyError?["message"] as? String
            errors[pyClass ?? "ok", default: 0] += 1
            let same = error?.pythonClass == pyClass && error?.message == pyMessage
                && run.stack.map { Hex.encode($0) } == (py["stack_hex"] as? [String] ?? [])
                && swiftAuth == (py["auth"] as? Bool)
            if !same {
                unexplained += 1
                print("""
                    DISAGREE tapescript_run \(input.name)
                      witness \(Hex.encode(witness))
                      lock    \(Hex.encode(lock))
                      swift   \(error.map(\.serialized) ?? "ok") stack \(run.stack.map { Hex.encode($0) }) auth \(swiftAuth)
                      python  \(pyClass.map { "\($0)|\(pyMessage ?? "")" } ?? "ok") stack \(py["stack_hex"] ?? []) auth \(py["auth"] ?? "?")
                    """)
            }
        }
        let seconds = Date().timeIntervalSince(started)
        print("netaio-fuzz-diff FuzzTapescript: \(inputs.count) inputs, \(compared) compared in \(String(format: "%.1f", seconds)) s")
        print("  outcomes: " + errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        print("  not compared: \(skippedRandom) with the OP_RANDOM byte, \(skippedLimit) past our limits")
        print("  \(unexplained) unexplained disagreement(s)")
        return unexplained == 0 ? 0 : 1
    }
}
