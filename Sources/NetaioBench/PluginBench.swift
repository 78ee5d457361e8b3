import NetaioPlugins

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
    }
}
