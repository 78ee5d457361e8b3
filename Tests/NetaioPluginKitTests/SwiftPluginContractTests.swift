import NetaioPluginKit
import NetaioPlugins
import Testing

/// The bundled Swift plugins keep every contract; deliberately broken ones fail exactly
/// the properties they break, each with a message naming the problem.
struct SwiftPluginContractTests {
    let options = ValidationOptions(iterations: 40)

    func expectClean(_ report: ValidationReport) {
        #expect(report.passed, "\(report.table())")
        #expect(report.results.filter { $0.verdict == .warn }.isEmpty, "\(report.table())")
    }

    @Test func bundledAuthPluginPasses() throws {
        let reports = try PluginValidation.validateSwift(.hmac, config: ["secret": "s3cret"], options: options)
        reports.forEach(expectClean)
        #expect(reports[0].results.count == 10)
        #expect(reports[0].results.allSatisfy { $0.verdict == .pass })
    }

    @Test(arguments: [true, false]) func bundledStreamCipherPasses(encryptURI: Bool) throws {
        let reports = try PluginValidation.validateSwift(.stream, config: ["key": "k", "encrypt_uri": encryptURI], options: options)
        reports.forEach(expectClean)
        #expect(reports[0].result("cipher.uri-routable")?.verdict == (encryptURI ? .info : .pass))
        #expect(reports[0].result("cipher.tamper")?.message.hasPrefix("not detected") == true)
    }

    @Test(arguments: [true, false]) func bundledX25519Passes(encryptURI: Bool) throws {
        let seed = String(repeating: "ab", count: 32)
        let reports = try PluginValidation.validateSwift(.x25519, config: ["seed_hex": seed, "encrypt_uri": encryptURI], options: options)
        reports.forEach(expectClean)
        #expect(reports[0].result("cipher.peer-specific")?.verdict == .pass)
        #expect(reports[0].result("cipher.tamper")?.message.hasPrefix("detected") == true)
    }

    @Test func bundledTapescriptPluginPasses() throws {
        let reports = try PluginValidation.validateSwift(.tapescript, config: ["seed_hex": String(repeating: "cd", count: 32)], options: options)
        #expect(reports.count == 1)
        #expect(reports[0].passed, "\(reports[0].table())")
        #expect(reports[0].results.filter { $0.verdict == .warn }.isEmpty, "\(reports[0].table())")
        // netaio declares it peer-specific although make ignores the peer.
        #expect(reports[0].result("auth.peer-specific")?.verdict == .info)
        #expect(reports[0].result("auth.error-message")?.message.contains("tapescript auth failed") == true)
    }

    @Test func bundledPeerPluginPasses() throws {
        try PluginValidation.validateSwift(.peer, options: options).forEach(expectClean)
    }

    @Test func leakyMACFailsEachBrokenProperty() {
        let report = AuthContract.validate(
            AuthSubject(name: "leaky", plugin: LeakyMACPlugin(key: [1]), wrongKey: LeakyMACPlugin(key: [2])), options: options)
        let failed = Set(report.failures.map(\.name))
        #expect(failed == ["auth.tamper-uri", "auth.foreign-fields", "auth.deterministic", "auth.error-message"], "\(report.table())")
        #expect(report.result("auth.tamper-uri")?.message.contains("check accepted the message after one uri byte changed") == true)
        #expect(report.result("auth.foreign-fields")?.message.contains("make changed field \"x-other") == true)
        #expect(report.result("auth.deterministic")?.message.contains("outside PluginContext") == true)
        #expect(report.result("auth.error-message")?.message.contains("NOT_FOUND") == true)
        #expect(report.result("auth.peer-specific")?.verdict == .skip)
        #expect(report.result("auth.tamper-uri")?.replay?.contains("seed 0x") == true)
        #expect(report.result("auth.make-check")?.verdict == .pass)
        #expect(report.result("auth.tamper-body")?.verdict == .pass)
    }

    @Test func peerDependenceIsCaughtOnceOutputIsDeterministic() {
        let report = AuthContract.validate(AuthSubject(name: "leaky", plugin: LeakyMACPlugin(key: [1], systemNonce: false)), options: options)
        #expect(Set(report.failures.map(\.name)) == ["auth.tamper-uri", "auth.foreign-fields", "auth.error-message", "auth.peer-specific"], "\(report.table())")
        #expect(report.result("auth.peer-specific")?.message.contains("depends on the peer") == true)
    }

    @Test func keylessMACFailsWrongKeyAndFieldTampering() {
        let report = AuthContract.validate(AuthSubject(name: "keyless", plugin: KeylessMACPlugin(), wrongKey: KeylessMACPlugin()), options: options)
        #expect(Set(report.failures.map(\.name)) == ["auth.wrong-key", "auth.tamper-fields"], "\(report.table())")
        #expect(report.result("auth.tamper-fields")?.message.contains("field \"ts\" changed") == true)
        // Shrinking reaches the simplest message: empty uri and content, type REQUEST_URI.
        #expect(report.result("auth.wrong-key")?.message.contains("minimal case: REQUEST_URI uri=\"\" content=\"\"") == true)
    }

    @Test func truncatingCipherShrinksToTheBoundary() {
        let report = CipherContract.validate(.symmetric(name: "truncating", plugin: TruncatingCipherPlugin()), options: ValidationOptions(iterations: 200))
        #expect(Set(report.failures.map(\.name)).isSuperset(of: ["cipher.roundtrip", "cipher.foreign-fields"]), "\(report.table())")
        let roundTrip = report.result("cipher.roundtrip")?.message ?? ""
        #expect(roundTrip.contains("content came back different (101 → 100 bytes)"), "\(roundTrip)")
        #expect(roundTrip.contains("minimal case: REQUEST_URI uri=\"\" content=101 bytes \"000000000000000000000000…\""), "\(roundTrip)")
    }

    @Test func plaintextCipherIsCaught() {
        let report = CipherContract.validate(
            .symmetric(name: "plaintext", plugin: PlaintextCipherPlugin(), wrongKey: PlaintextCipherPlugin()), options: options)
        #expect(Set(report.failures.map(\.name)) == ["cipher.hides-content", "cipher.wrong-key"], "\(report.table())")
        #expect(report.result("cipher.peer-specific")?.verdict == .info)
    }

    @Test func forgetfulPeerPluginIsCaught() {
        let report = PeerContract.validate(PeerSubject(name: "forgetful", plugin: ForgetfulPeerPlugin()), options: options)
        #expect(report.failures.map(\.name) == ["peer.pack-unpack"], "\(report.table())")
    }

    @Test func sameSeedSameReport() {
        let subject = AuthSubject(name: "leaky", plugin: KeylessMACPlugin(), wrongKey: KeylessMACPlugin())
        let a = AuthContract.validate(subject, options: ValidationOptions(seed: 42, iterations: 20))
        let b = AuthContract.validate(subject, options: ValidationOptions(seed: 42, iterations: 20))
        #expect(a.results == b.results)
    }
}
