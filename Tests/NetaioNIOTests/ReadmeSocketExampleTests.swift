import NetaioNIO
import Testing

/// README's socket example, kept compiling and correct.
@Suite struct ReadmeSocketExampleTests {
    @Test func serverAndClient() async throws {
        let server = try await NetaioTCPServer.start(host: "127.0.0.1", port: 0)
        try await server.withEngine { ResourceService().install(on: $0) }
        let client = try await NetaioTCPClient.connect(host: "127.0.0.1", port: Int(server.localAddress.port))
        _ = try await client.create("doc", content: Array("hello".utf8))
        let reply = try await client.request("doc")
        #expect(reply.type == .respondURI && reply.content == Array("hello".utf8))
        try await client.shutdown()
        try await server.shutdown()
    }
}
