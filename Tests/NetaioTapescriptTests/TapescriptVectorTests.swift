import Foundation
import NetaioPlugins
import NetaioTestSupport
import Testing
@testable import NetaioTapescript

/// The VM, the lock/witness makers and the plugin against Fixtures/vectors/tapescript.json,
/// made by the real tapescript 0.7.3 and netaio 0.0.9 (scripts/python/tapescript_vectors.py).
enum TapescriptFixtures {
    nonisolated(unsafe) static let all: [[String: Any]] = {
        let data = try! Data(contentsOf: Fixtures.url("Fixtures/vectors/tapescript.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [[String: Any]]
    }()

    static func kind(_ k: String) -> [[String: Any]] { all.filter { $0["kind"] as? String == k } }

    static func sigfields(_ json: Any?) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for (k, v) in json as? [String: String] ?? [:] { out[k] = bytes(v) }
        return out
    }
}

/// The test contracts the generator defines in Python (HashInvoke, ToyLedger).
struct HashInvoke: TapescriptInvokable {
    func abi(_ args: [[UInt8]]) -> [[UInt8]]? {
        args.isEmpty ? nil : [Ed.sha256(args.flatMap { $0 }), [UInt8(args.count)]]
    }
}

struct ToyLedger: TapescriptTransferChecker {
    func verifyTxnProof(_ proof: [UInt8]) -> Bool { proof.starts(with: Array("ok".utf8)) && proof.contains(0x3e) }
    func verifyTransfer(_ proof: [UInt8], source: [UInt8], destination: [UInt8]) -> Bool {
        proof == Array("ok".utf8) + source + [0x3e] + destination
    }
    func verifyTxnConstraint(_ proof: [UInt8], constraint: [UInt8]) -> Bool { proof.starts(with: constraint) }
    func aggregate(_ proofs: [[UInt8]], destination: [UInt8]) -> Int {
        10 * proofs.filter { $0.count >= destination.count + 1 && Array($0.suffix(destination.count + 1)) == [0x3e] + destination }.count
    }
}

let testContracts: [[UInt8]: any Sendable] = [Array("inv".utf8): HashInvoke(), Array("led".utf8): ToyLedger()]

@Suite struct TapescriptVectorTests {
    static func cacheJSON(_ cache: [CacheKey: CacheValue]) -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in cache {
            let key: String
            switch k {
            case .str(let s):
                if s == "timestamp" || s.hasPrefix("sigfield") { continue }
                key = "s:" + s
            case .bytes(let b): key = "b:" + b.hex
            }
            switch v {
            case .list(let l): out[key] = "list:" + l.map(\.hex).joined(separator: ",")
            case .bytes(let b): out[key] = "bytes:" + b.hex
            case .bool(let b): out[key] = "bool:\(b)"
            case .int(let i): out[key] = "int:\(i)"
            case .string(let s): out[key] = "str:" + s
            }
        }
        return out
    }

    static func expectedCacheJSON(_ json: [String: Any]) -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in json {
            let o = v as! [String: Any]
            if let l = o["list"] as? [String] { out[k] = "list:" + l.joined(separator: ",") }
            if let b = o["bytes"] as? String { out[k] = "bytes:" + b }
            if let b = o["bool"] as? Bool { out[k] = "bool:\(b)" }
        }
        return out
    }

    @Test func everyRunVector() throws {
        let vectors = TapescriptFixtures.kind("tapescript.run")
        #expect(vectors.count >= 300)
        var ops = Set<String>()
        for v in vectors {
            let input = v[object: "input"]
            let expected = v[object: "expected"]
            let scripts = (input["scripts_hex"] as! [String]).map { bytes($0) }
            var cache: [String: CacheValue] = [:]
            for (k, value) in input[object: "cache"] {
                let o = value as! [String: Any]
                if let b = o["bytes"] as? String { cache[k] = .bytes(bytes(b)) }
                if let i = o["int"] as? Int { cache[k] = .int(i) }
            }
            let contracts = input["test_contracts"] as? Bool == true ? testContracts : [:]
            let vm = TapescriptVM(now: input["now"] as? Int, contracts: contracts)
            let (run, error) = vm.runCapturing(scripts: scripts, cache: cache)
            let expectedError = expected["error"] as? [String: Any]
            #expect(error?.pythonClass == expectedError?["class"] as? String, "\(v.name): \(String(describing: error))")
            #expect(error?.message == expectedError?["message"] as? String, "\(v.name)")
            #expect(run.stack.map(\.hex) == expected["stack_hex"] as? [String], "\(v.name)")
            #expect(Self.cacheJSON(run.cache) == Self.expectedCacheJSON(expected[object: "cache"]), "\(v.name)")
            let auth = Tapescript.runAuthScripts(
                scripts, sigfields: [:], cache: cache, now: input["now"] as? Int, contracts: contracts)
            #expect(auth == expected["auth"] as? Bool, "\(v.name)")
            ops.insert(v["op"] as! String)
        }
        // Every opcode of tapescript 0.7.3 (and the NOP range) has vectors.
        #expect(ops == Set(Opcode.allCases.map(\.name) + ["NOP"]))
    }

    @Test func authVectors() throws {
        let vectors = TapescriptFixtures.kind("tapescript.auth")
        #expect(vectors.count >= 15)
        for v in vectors {
            let input = v[object: "input"]
            let scripts = (input["scripts_hex"] as! [String]).map { bytes($0) }
            let got = Tapescript.runAuthScripts(scripts, sigfields: TapescriptFixtures.sigfields(input["sigfields"]))
            #expect(got == v["expected"] as? Bool, "\(v.name)")
        }
    }

    @Test func intToBytesVectors() throws {
        let vectors = TapescriptFixtures.kind("tapescript.int_to_bytes")
        #expect(vectors.count >= 15)
        for v in vectors {
            let text = v["input_decimal"] as! String
            var value = TSInt.zero
            for ch in text where ch != "-" { value = value * TSInt(10) + TSInt(Int(String(ch))!) }
            if text.hasPrefix("-") { value = value.negated }
            #expect(value.description == text)
            #expect(value.tapescriptBytes.hex == v["expected_hex"] as? String, "\(v.name)")
            #expect(TSInt(signedBigEndian: value.tapescriptBytes) == value, "\(v.name)")
        }
    }

    /// The one-limb fast path of int_to_bytes gives what the general (Python-order)
    /// computation gives.
    @Test func smallIntegerFastPathMatchesTheGeneralRule() {
        var g = SystemRandomNumberGenerator()
        var values: [Int] = [0, 1, -1, 127, 128, -128, -129, 255, 256, -255, -256, 32767, 32768, -32768, -32769,
                             Int(UInt32.max), -Int(UInt32.max), 1 << 31, -(1 << 31), (1 << 31) - 1, -(1 << 31) - 1]
        for _ in 0..<20_000 { values.append(Int.random(in: -Int(UInt32.max)...Int(UInt32.max), using: &g)) }
        for v in values {
            let t = TSInt(v)
            #expect(t.tapescriptBytes == t.generalTapescriptBytes, "\(v)")
            #expect(TSInt(signedBigEndian: t.tapescriptBytes) == t, "\(v)")
        }
        // bytes_to_int of 1-4 bytes (fast path) against a 9-byte sign-extended decode (general path).
        for _ in 0..<20_000 {
            let b = (0..<Int.random(in: 1...4, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }
            let extended = [UInt8](repeating: b[0] & 0x80 == 0 ? 0 : 0xff, count: 9 - b.count) + b
            #expect(TSInt(signedBigEndian: b) == TSInt(signedBigEndian: extended), "\(b)")
        }
    }

    @Test func toolVectors() throws {
        let vectors = TapescriptFixtures.kind("tapescript.tool")
        #expect(vectors.count == 14)
        for v in vectors {
            let input = v[object: "input"]
            let flags = UInt8(input["sigflags"] as? Int ?? 0)
            let got: [UInt8]
            switch v["tool"] as! String {
            case "make_single_sig_lock":
                got = try Tapescript.makeSingleSigLock(pubkey: bytes(input["pubkey_hex"]), sigflags: flags)
            case "make_single_sig_witness":
                got = try Tapescript.makeSingleSigWitness(
                    seed: bytes(input["seed_hex"]), sigfields: TapescriptFixtures.sigfields(input["sigfields"]), sigflags: flags)
            case "make_multisig_lock":
                got = try Tapescript.makeMultisigLock(
                    pubkeys: (input["pubkeys_hex"] as! [String]).map { bytes($0) }, quorum: input["quorum"] as! Int, sigflags: flags)
            case "make_taproot_lock":
                got = try Tapescript.makeTaprootLock(
                    pubkey: bytes(input["pubkey_hex"]), committedScript: bytes(input["committed_script_hex"]), sigflags: flags)
            case "make_taproot_witness_keyspend":
                got = try Tapescript.makeTaprootWitnessKeyspend(
                    seed: bytes(input["seed_hex"]), sigfields: TapescriptFixtures.sigfields(input["sigfields"]),
                    committedScript: bytes(input["committed_script_hex"]), sigflags: flags)
            case "make_taproot_witness_scriptspend":
                got = try Tapescript.makeTaprootWitnessScriptspend(
                    pubkey: bytes(input["pubkey_hex"]), committedScript: bytes(input["committed_script_hex"]))
            case "make_delegate_key_cert":
                got = try Tapescript.makeDelegateKeyCert(
                    rootSeed: bytes(input["root_seed_hex"]), delegatePubkey: bytes(input["delegate_pubkey_hex"]),
                    beginTS: input["begin_ts"] as! Int, endTS: input["end_ts"] as! Int,
                    canFurtherDelegate: input["can_further_delegate"] as! Bool).packed
            case "make_delegate_key_chain_lock":
                got = try Tapescript.makeDelegateKeyChainLock(rootPubkey: bytes(input["pubkey_hex"]), sigflags: flags)
            case "make_delegate_key_chain_witness":
                let certs = (input["certs_hex"] as! [String]).map { hex -> DelegateCertificate in
                    let b = bytes(hex)
                    func be4(_ r: Range<Int>) -> Int { b[r].reduce(0) { $0 << 8 | Int($1) } }
                    return DelegateCertificate(
                        delegatePubkey: Array(b[0..<32]), beginTS: be4(32..<36), endTS: be4(36..<40),
                        canFurtherDelegate: b[40] == 0xff, signature: Array(b[41...]))
                }
                got = try Tapescript.makeDelegateKeyChainWitness(
                    seed: bytes(input["seed_hex"]), certs: certs, sigfields: TapescriptFixtures.sigfields(input["sigfields"]), sigflags: flags)
            default:
                Issue.record("unknown tool \(v["tool"] ?? "")")
                continue
            }
            #expect(got.hex == v["expected_hex"] as? String, "\(v.name)")
        }
    }
}
