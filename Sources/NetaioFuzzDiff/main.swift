import Foundation
import NetaioWire
import NetaioTestSupport

// netaio-fuzz-diff TARGET DIR...: differential fuzzing against the real Python netaio /
// packify (docs/fuzzing.md). Every file in the folders is decoded by our Python-exact
// reference readers and by Python (one oracle subprocess); every disagreement in
// accept/reject or decoded value is printed with the input's hex. Disagreements that
// docs/differences.md already lists are counted apart. Exit status 1 on any other.

let opsByTarget: [String: [String]] = [
    "FuzzPackifyDecode": ["unpack"],
    "FuzzAuthFieldsDecode": ["unpack"],
    "FuzzFrameDecode": ["message_decode", "tcp_read", "udp_parse", "hmac_check", "stream_decrypt", "stream_decrypt_plain_uri"],
    "FuzzHeaderDecode": ["message_decode", "udp_parse"],
]

let arguments = Array(CommandLine.arguments.dropFirst())
let targets = opsByTarget.keys.sorted() + ["FuzzTapescript"]
guard let target = arguments.first, opsByTarget[target] != nil || target == "FuzzTapescript" else {
    FileHandle.standardError.write(Data("usage: netaio-fuzz-diff TARGET DIR...  (TARGET: \(targets.joined(separator: ", ")))\n".utf8))
    exit(2)
}

var inputs: [(name: String, bytes: [UInt8])] = []
for folder in arguments.dropFirst() {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    for name in names.sorted() where !name.hasPrefix(".") {
        if let data = FileManager.default.contents(atPath: "\(folder)/\(name)") { inputs.append(("\(folder)/\(name)", [UInt8](data))) }
    }
}

// The tapescript VM against the real tapescript (TapescriptDiff.swift).
if target == "FuzzTapescript" { exit(try TapescriptDiff.run(inputs)) }
let ops = opsByTarget[target] ?? []

let python = PythonReaders(oracle: try PythonOracle.start())
var compared = 0, known: [String: Int] = [:], unexplained = 0
var acceptedByOp: [String: Int] = [:]
let started = Date()
for input in inputs {
    for op in ops {
        compared += 1
        let swift: Outcome = switch op {
        case "unpack": SwiftReaders.unpack(input.bytes)
        case "message_decode": SwiftReaders.messageDecode(input.bytes)
        case "tcp_read": SwiftReaders.tcpRead(input.bytes)
        case "udp_parse": SwiftReaders.udpParse(input.bytes)
        case "hmac_check": SwiftReaders.hmacCheck(input.bytes)
        case "stream_decrypt": SwiftReaders.streamDecrypt(input.bytes, encryptURI: true)
        default: SwiftReaders.streamDecrypt(input.bytes, encryptURI: false)
        }
        let reference = try python.outcome(op, input.bytes)
        if case .accepted = reference { acceptedByOp[op, default: 0] += 1 }
        if swift.agrees(with: reference) { continue }
        if let why = KnownDifferences.explain(swift: swift, python: reference) {
            known[why, default: 0] += 1
            continue
        }
        unexplained += 1
        print("DISAGREE \(op) \(input.name)\n  input  \(Hex.encode(input.bytes))\n  swift  \(swift)\n  python \(reference)")
    }
}
let seconds = Date().timeIntervalSince(started)
print("netaio-fuzz-diff \(target): \(inputs.count) inputs, \(compared) comparisons (\(ops.joined(separator: ", "))) in \(String(format: "%.1f", seconds)) s")
print("  accepted by Python: " + ops.map { "\($0) \(acceptedByOp[$0] ?? 0)" }.joined(separator: ", "))
for (why, n) in known.sorted(by: { $0.key < $1.key }) { print("  \(n) documented difference(s): \(why)") }
print("  \(unexplained) unexplained disagreement(s)")
exit(unexplained == 0 ? 0 : 1)
