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
        let report = try #require(try PluginValidation.validateSwift(.peer, options: options).first)
        #expect(report.passed, "\(report.table())")
        #expect(report.result("peer.validate-no-id")?.verdict == .pass)
        #expect(report.result("peer.unpack-undecodable")?.verdict == .pass)
        // Like netaio 0.0.9's DefaultPeerPlugin (validate only checks `id is not None`):
        // WARN, each naming why.
        let warned = report.results.filter { $0.verdict == .warn }
        #expect(Set(warned.map(\.name)) == ["peer.validate-empty-id", "peer.validate-oversized-data", "peer.validate-undecodable-data"], "\(report.table())")
        #expect(warned.allSatisfy { $0.message.contains("netaio 0.0.9's DefaultPeerPlugin") })
    }

    @Test(arguments: [true, false]) func fixedIVCipherFailsFreshIVAndKeystreamReuse(encryptURI: Bool) {
        let cipher = FixedIVCipherPlugin(inner: Sha256StreamCipherPlugin(key: "k", encryptURI: encryptURI))
        let wrong = FixedIVCipherPlugin(inner: Sha256StreamCipherPlugin(key: "other", encryptURI: encryptURI))
        let report = CipherContract.validate(.symmetric(name: "fixed-iv", plugin: cipher, wrongKey: wrong), options: options)
        #expect(Set(report.failures.map(\.name)) == ["cipher.fresh-iv", "cipher.keystream-reuse"], "\(report.table())")
        #expect(report.result("cipher.fresh-iv")?.message.contains("the same iv and the same ciphertext: the IV/nonce is reused") == true, "\(report.table())")
        #expect(report.result("cipher.keystream-reuse")?.message.contains("same keystream") == true)
        // Declared deterministic: fresh-iv is information; keystream reuse stays a failure.
        var declared = CipherSubject.symmetric(name: "fixed-iv", plugin: cipher, wrongKey: wrong)
        declared.declaresDeterministic = true
        let again = CipherContract.validate(declared, options: options)
        #expect(again.result("cipher.fresh-iv")?.verdict == .info)
        #expect(again.failures.map(\.name) == ["cipher.keystream-reuse"])
    }

    @Test func idlessPeerPluginIsCaught() {
        let report = PeerContract.validate(PeerSubject(name: "idless", plugin: IdlessPeerPlugin()), options: options)
        #expect(report.failures.map(\.name) == ["peer.validate-no-id"], "\(report.table())")
        #expect(report.result("peer.validate-no-id")?.message.contains("accepted a peer without an id") == true)
    }

    @Test func lenientUnpackPeerPluginIsCaught() {
        let report = PeerContract.validate(PeerSubject(name: "lenient", plugin: LenientUnpackPeerPlugin()), options: options)
        #expect(report.failures.map(\.name) == ["peer.unpack-undecodable"], "\(report.table())")
        #expect(report.result("peer.unpack-undecodable")?.message.contains("unpacked to a peer with id None") == true)
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
        // Doing nothing is also deterministic and XOR-transparent.
        #expect(Set(report.failures.map(\.name)) == ["cipher.hides-content", "cipher.wrong-key", "cipher.fresh-iv", "cipher.keystream-reuse"], "\(report.table())")
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
