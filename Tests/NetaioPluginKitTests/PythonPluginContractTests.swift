import Foundation
import NetaioPluginKit
import NetaioPlugins
import NetaioTestSupport
import Testing

/// The real Python netaio 0.0.9 plugins pass the contracts through the adapter and
/// interoperate byte for byte with ours; the broken Python samples fail, one clear
/// message per broken property (and a plugin that kills the interpreter is a trap the
/// kit survives).
@Suite(.enabled(if: PythonOracle.enabled, PythonOracle.skipReason), .serialized)
struct PythonPluginContractTests {
    let options = ValidationOptions(iterations: 16)

    func adapter() throws -> PluginAdapterProcess {
        try PluginAdapterProcess(
            python: PythonOracle.pythonPath.path, script: Fixtures.url("scripts/python/plugin_adapter.py").path,
            extraPaths: [Fixtures.url("Fixtures/plugins").path, Fixtures.url("scripts/mutants").path])
    }

    func validate(_ spec: String, _ config: [String: Any]) throws -> [ValidationReport] {
        let a = try adapter()
        defer { a.stop() }
        return try PluginValidation.validatePython(.init(spec: spec, config: config), adapter: a, options: options)
    }

    @Test func realHMACPluginPassesAndInteroperates() throws {
        let reports = try validate("netaio:HMACAuthPlugin", ["secret": "s3cret"])
        #expect(reports.count == 2)
        #expect(allPassed(reports), "\(tables(reports))")
        // Python's check raises TypeError on non-bytes fields (Q22): non-strict.
        #expect(reports[0].result("auth.garbage")?.verdict == .warn)
        #expect(reports[0].result("auth.garbage")?.message.contains("TypeError") == true)
        #expect(reports[1].results.map(\.name) == ["cross.python-to-swift", "cross.swift-to-python", "cross.same-bytes"])
        #expect(reports[1].results.allSatisfy { $0.verdict == .pass })
    }

    @Test func realTapescriptPluginPassesAndInteroperates() throws {
        let seed = String(repeating: "cd", count: 32)
        // The Python class needs its lock given: netaio's README single-sig lock
        // (push <verify key> check_sig x00), the verify key from PyNaCl.
        let reports = try validate("netaio.asymmetric:TapescriptAuthPlugin", ["seed_hex": seed, "lock_hex": try Self.singleSigLockHex(seed)])
        #expect(reports.count == 2)
        #expect(allPassed(reports), "\(tables(reports))")
        #expect(reports[1].results.map(\.name) == ["cross.python-to-swift", "cross.swift-to-python", "cross.same-bytes"])
        #expect(reports[1].results.allSatisfy { $0.verdict == .pass }, "\(tables(reports))")
    }

    static func singleSigLockHex(_ seedHex: String) throws -> String {
        let oracle = try PythonOracle.start()
        defer { oracle.close() }
        let keys = try oracle.call("x25519_keys", ["seed_hex": seedHex]) as! [String: Any]
        return "0320" + (keys["vkey_hex"] as! String) + "2300"
    }

    @Test(arguments: [true, false]) func realStreamCipherPassesAndInteroperates(encryptURI: Bool) throws {
        let reports = try validate("netaio:Sha256StreamCipherPlugin", ["key": "k3y", "encrypt_uri": encryptURI])
        #expect(reports.count == 2)
        #expect(allPassed(reports), "\(tables(reports))")
        #expect(reports[1].result("cross.same-bytes")?.verdict == .pass)
    }

    @Test(arguments: [true, false]) func realX25519PassesAndInteroperates(encryptURI: Bool) throws {
        let reports = try validate("netaio.asymmetric:X25519CipherPlugin", ["seed_hex": String(repeating: "5a", count: 32), "encrypt_uri": encryptURI])
        #expect(reports.count == 2)
        #expect(allPassed(reports), "\(tables(reports))")
        #expect(reports[0].result("cipher.peer-specific")?.verdict == .pass)
        #expect(reports[1].result("cross.same-bytes")?.verdict == .pass)
    }

    @Test func realPeerPluginPassesAndInteroperates() throws {
        let reports = try validate("netaio:DefaultPeerPlugin", [:])
        #expect(reports.count == 2)
        #expect(allPassed(reports), "\(tables(reports))")
    }

    @Test func brokenPythonAuthFailsPerProperty() throws {
        let reports = try validate("broken_plugins:LeakyHMAC", ["secret": "s"])
        #expect(reports.count == 1)  // no Swift counterpart for this class
        let r = reports[0]
        #expect(Set(r.failures.map(\.name)) == ["auth.tamper-uri", "auth.foreign-fields", "auth.garbage", "auth.error-message", "auth.deterministic"], "\(r.table())")
        #expect(r.result("auth.garbage")?.message.contains("crashed") == true)
        #expect(r.result("auth.garbage")?.message.contains("status 3") == true)
        #expect(r.result("auth.error-message")?.message.contains("type OK") == true)
        #expect(r.result("auth.peer-specific")?.verdict == .skip)
        // The adapter was restarted after the crash: later properties still ran.
        #expect(r.result("auth.deterministic")?.message.contains("outside PluginContext") == true)
    }

    @Test func brokenPythonCipherShrinksToTheBoundary() throws {
        let a = try adapter()
        defer { a.stop() }
        let reports = try PluginValidation.validatePython(
            .init(spec: "broken_plugins:LossyStreamCipher", config: ["key": "k", "encrypt_uri": false]), adapter: a,
            options: ValidationOptions(iterations: 60))
        let r = reports[0]
        #expect(Set(r.failures.map(\.name)) == ["cipher.roundtrip", "cipher.foreign-fields", "cipher.inner-layer"], "\(r.table())")
        #expect(r.result("cipher.roundtrip")?.message.contains("(101 → 100 bytes)") == true)
        #expect(r.result("cipher.roundtrip")?.message.contains("content=101 bytes") == true)
    }

    /// Issue 16, hole 2: netaio's stream cipher with a constant IV passed every older
    /// property; the mutant in scripts/mutants/plugin_mutants.py must now fail.
    @Test(arguments: [true, false]) func fixedIVStreamCipherMutantIsCaught(encryptURI: Bool) throws {
        let reports = try validate("plugin_mutants:FixedIVStreamCipher", ["key": "k", "encrypt_uri": encryptURI])
        #expect(reports.count == 1)  // not netaio's own class: no cross-check
        #expect(Set(reports[0].failures.map(\.name)) == ["cipher.fresh-iv", "cipher.keystream-reuse"], "\(reports[0].table())")
    }

    /// Issue 16, hole 3: a peer plugin accepting peers without an id.
    @Test func idlessPeerPluginMutantIsCaught() throws {
        let reports = try validate("plugin_mutants:IdlessPeerPlugin", [:])
        #expect(reports[0].failures.map(\.name) == ["peer.validate-no-id"], "\(reports[0].table())")
    }

    /// netaio's own peer plugin: strict malformed-peer properties hold; the lenient ones
    /// WARN exactly as for our Swift DefaultPeerPlugin.
    @Test func realPeerPluginMalformedPeers() throws {
        let r = try validate("netaio:DefaultPeerPlugin", [:])[0]
        #expect(r.result("peer.validate-no-id")?.verdict == .pass)
        #expect(r.result("peer.unpack-undecodable")?.verdict == .pass, "\(r.table())")
        #expect(Set(r.results.filter { $0.verdict == .warn }.map(\.name)) == ["peer.validate-empty-id", "peer.validate-oversized-data", "peer.validate-undecodable-data"], "\(r.table())")
    }

    @Test func deterministicCipherFlagOnTheCommandLine() throws {
        let args = ["validate-plugin", "--python-path", Fixtures.url("scripts/mutants").path, "--python", "plugin_mutants:FixedIVStreamCipher",
                    "--config", #"{"key": "k"}"#, "--iterations", "8"]
        let plain = try BuiltProducts.run("netaio", args)
        #expect(plain.status == 1)
        #expect(plain.stdout.contains("FAIL  cipher.fresh-iv"), "\(plain.stdout)")
        let declared = try BuiltProducts.run("netaio", args + ["--deterministic-cipher"])
        #expect(declared.status == 1)  // keystream reuse stays a failure
        #expect(declared.stdout.contains("INFO  cipher.fresh-iv"), "\(declared.stdout)")
        #expect(declared.stdout.contains("FAIL  cipher.keystream-reuse"))
        let swiftDeterministic = try BuiltProducts.run("netaio", ["validate-plugin", "--swift", "stream", "--deterministic-cipher"])
        #expect(swiftDeterministic.status == 64)
    }

    @Test func commandLineExitCodesAndJSON() throws {
        let good = try BuiltProducts.run("netaio", ["validate-plugin", "--python", "netaio:HMACAuthPlugin", "--config", #"{"secret": "s"}"#, "--iterations", "8", "--json"])
        #expect(good.status == 0, "\(good.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(good.stdout.utf8)) as? [String: Any])
        #expect(json["passed"] as? Bool == true)
        #expect((json["reports"] as? [Any])?.count == 2)

        let bad = try BuiltProducts.run("netaio", [
            "validate-plugin", "--python-path", Fixtures.url("Fixtures/plugins").path, "--python", "broken_plugins:LeakyHMAC",
            "--config", #"{"secret": "s"}"#, "--iterations", "8",
        ])
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("FAIL  auth.tamper-uri"))
        #expect(bad.stdout.contains("replay: --seed 0x"))

        let swift = try BuiltProducts.run("netaio", ["validate-plugin", "--swift", "x25519", "--iterations", "8"])
        #expect(swift.status == 0, "\(swift.stdout)")
        let usage = try BuiltProducts.run("netaio", ["validate-plugin", "--swift", "nope"])
        #expect(usage.status == 64)
        let missing = try BuiltProducts.run("netaio", ["validate-plugin", "--python", "no_such_module:X", "--python-exe", PythonOracle.pythonPath.path])
        #expect(missing.status == 69)
        #expect(missing.stderr.contains("ModuleNotFoundError"))
    }
}

func tables(_ reports: [ValidationReport]) -> String { reports.map { $0.table() }.joined(separator: "\n") }
func allPassed(_ reports: [ValidationReport]) -> Bool { reports.allSatisfy(\.passed) }
