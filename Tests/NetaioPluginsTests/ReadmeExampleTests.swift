import NetaioTestSupport
import Testing
import NetaioPlugins

/// The README's examples, kept compiling and correct.
@Suite struct ReadmeExampleTests {
    @Test func encodeDecodeAndOuterLayers() throws {
        let message = Message(type: .publishURI, uri: Array("chat".utf8), content: Array("hello".utf8))
        let frame = try message.encode()
        #expect(try Message.decode(frame) == message)

        let context = PluginContext.system()
        let cipher = Sha256StreamCipherPlugin(key: "k")
        let auth = HMACAuthPlugin(secret: "s")
        var sealed = try cipher.encrypt(message, context: context)
        try auth.make(&sealed.authFields, body: sealed.body, context: context)
        let wire = try sealed.encode()

        // The receiving side: outer auth check, then outer decrypt.
        let received = try Message.decode(wire)
        #expect(auth.check(received.authFields, body: received.body, context: context))
        let opened = try cipher.decrypt(received, context: context)
        #expect(opened.uri == message.uri && opened.content == message.content)
    }
}
