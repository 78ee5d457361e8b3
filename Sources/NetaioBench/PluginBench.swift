import NetaioPlugins
import NetaioTapescript

/// The plugin workload of bench/python/plugin_bench.py: a PUBLISH_URI body with uri "bench"
/// and 1,024 content bytes (i % 251); one operation is make+check or encrypt+decrypt.
enum PluginBench {
    static func run(_ harness: Harness) throws {
        let context = PluginContext.system()
        let body = Body(uri: Array("bench".utf8), content: (0..<1024).map { UInt8($0 % 251) })
        let hmac = HMACAuthPlugin(secret: "bench-secret")
        try row("hmac_make_check_1KiB", bytes: body.encodedLength, harness: harness) {
            var fields = AuthFields()
            try hmac.make(&fields, body: body, context: context)
            blackHole(hmac.check(fields, body: body, context: context))
        }

        let cipher = Sha256StreamCipherPlugin(key: "bench-key", encryptURI: true)
        let message = Message(type: .publishURI, body: body)
        try row("stream_encrypt_decrypt_1KiB", bytes: body.encodedLength, harness: harness) {
            blackHole(try cipher.decrypt(try cipher.encrypt(message, context: context), context: context))
        }

        // TapescriptAuthPlugin in netaio's README set-up (single-sig lock); a 512-byte
        // content because the sigfields must fit a 1024-byte stack item.
        let tapescript = try TapescriptAuthPlugin.singleSig(seed: (0..<32).map { UInt8($0) })
        let small = Body(uri: Array("bench".utf8), content: Array(body.content.prefix(512)))
        var made = AuthFields()
        try tapescript.make(&made, body: small, context: context)
        guard tapescript.check(made, body: small, context: context) else { throw BenchError("tapescript self-check failed") }
        row("tapescript_single_sig_check_512B", bytes: small.encodedLength, harness: harness) {
            blackHole(tapescript.check(made, body: small, context: context))
        }
        try row("tapescript_single_sig_make_check_512B", bytes: small.encodedLength, harness: harness) {
            var fields = AuthFields()
            try tapescript.make(&fields, body: small, context: context)
            blackHole(tapescript.check(fields, body: small, context: context))
        }
        // The interpreter alone: push d1, then 50 x (push d1, add_ints d2), push d51,
        // equal: 103 opcodes and no crypto, through run_auth_scripts.
        var script: [UInt8] = [2, 1]
        for _ in 0..<50 { script += [2, 1, 14, 2] }
        script += [2, 51, 33]
        guard Tapescript.runAuthScripts([script], sigfields: [:]) else { throw BenchError("tapescript VM self-check failed") }
        row("tapescript_vm_103_ops", bytes: script.count, harness: harness) {
            blackHole(Tapescript.runAuthScripts([script], sigfields: [:]))
        }
    }
}
