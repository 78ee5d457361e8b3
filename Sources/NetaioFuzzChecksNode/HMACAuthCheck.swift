import NetaioCore
import NetaioFuzzChecks

extension FuzzCheck {
    /// HMAC auth: `check` never traps on fuzz-shaped fields, and never accepts a MAC made
    /// with another secret; `make` followed by `check` accepts with the same secret only;
    /// a flipped body bit or timestamp bit is rejected.
    ///
    /// Input: secret A, secret B, uri, content, auth block (made into fields), seed byte.
    public static let hmacAuth = FuzzCheck("FuzzHMACAuth") { input throws(FuzzFailure) in
        var reader = FuzzInput(input)
        let secretA = reader.shortBytes(max: 40), secretB = reader.shortBytes(max: 40)
        let body = Body(uri: reader.shortBytes(), content: reader.longBytes(max: 2048))
        var fields = fuzzFields(reader.longBytes(max: 1024))
        let context = fuzzContext(seed: Int(reader.byte()))
        let pluginA = HMACAuthPlugin(secret: secretA), pluginB = HMACAuthPlugin(secret: secretB)
        let distinct = pluginA.secretKey != pluginB.secretKey

        // Fuzz-shaped fields: whatever they hold, at most one of two keys accepts them.
        let acceptedA = pluginA.check(fields, body: body, context: context)
        let acceptedB = pluginB.check(fields, body: body, context: context)
        try require(!(distinct && acceptedA && acceptedB), "fields accepted under two different secrets")

        do {
            try pluginA.make(&fields, body: body, context: context)
        } catch {
            return  // make refuses some fuzz fields (a ts past 2^32, a non-bytes nonce), as Python
        }
        try require(fields.bytes("hmac")?.count == 32 && fields.bytes("nonce")?.count == 16 && fields.bytes("ts")?.count == 4,
                    "make wrote malformed fields")
        try require(pluginA.check(fields, body: body, context: context), "check rejects what make produced")
        try require(!distinct || !pluginB.check(fields, body: body, context: context), "check accepts a MAC made with another secret")

        var tampered = body
        if tampered.content.isEmpty { tampered.content = [0] } else { tampered.content[0] ^= 0x01 }
        try require(!pluginA.check(fields, body: tampered, context: context), "check accepts a changed body")
        var retimed = fields
        retimed["ts"] = .bytes(fields.bytes("ts")!.enumerated().map { $0.offset == 3 ? $0.element ^ 1 : $0.element })
        try require(!pluginA.check(retimed, body: body, context: context), "check accepts a changed timestamp")
    }
}
