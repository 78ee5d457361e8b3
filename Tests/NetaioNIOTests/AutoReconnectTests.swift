#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NetaioNIO
import NetaioTestSupport
import Testing

/// netaio's AutoReconnectTimeoutHandler on real sockets.
// The time limit only guards against hangs: the whole suite shares two cores and the
// cooperative thread pool with CPU-heavy tests, so it is generous.
@Suite(.serialized, .timeLimit(.minutes(3))) struct AutoReconnectTests {
    @Test func aTimeoutReplacesTheConnectionAndReAdvertises() async throws {
        let server = try await startResourceServer(options: NodeOptions(localPeer: Peer(id: Array("S".utf8), data: try Packify.encode(.dict([])))))
        try await server.on(HandlerKey(.requestURI, uri: "hole")) { _, _ in nil }
        try await server.managePeers()
        let client = try await NetaioTCPClient.connect(
            host: "127.0.0.1", port: Int(server.localAddress.port),
            options: NodeOptions(localPeer: Peer(id: Array("C".utf8), data: try Packify.encode(.dict([])))))
        try await client.managePeers()
        let log = Heard()
        try await client.autoReconnect(AutoReconnect(maxRetries: 3, delay: 0.05, onReconnect: { server, attempt in
            log.add("\(server.port) \(attempt)")
        }))
        await #expect(throws: NetaioError.self) { try await client.request("hole", timeout: 0.3) }
        #expect(try await eventually { !log.values.isEmpty })
        #expect(log.values == ["\(server.localAddress.port) 1"])
        _ = try await client.create("doc", content: Array("again".utf8))
        #expect(text(try await client.request("doc")) == "again")
        #expect(try await server.connectionCount() == 1, "the old connection was closed")
        // The new connection advertised the client again.
        #expect(try await eventually { try await server.peers().contains { $0.id == Array("C".utf8) } })
        try await client.shutdown()
        try await server.shutdown()
    }

    @Test func givesUpAfterMaxRetries() async throws {
        // A listener that accepts one connection and never answers, then stops listening.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, len) } }
        listen(listener, 4)
        _ = withUnsafeMutablePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) } }
        let port = Int(UInt16(bigEndian: sa.sin_port))
        let client = try await NetaioTCPClient.connect(host: "127.0.0.1", port: port)
        let accepted = accept(listener, nil, nil)
        close(listener)
        defer { close(accepted) }
        let log = Heard()
        try await client.autoReconnect(AutoReconnect(
            maxRetries: 2, delay: 0.05,
            onReconnect: { _, attempt in log.add("reconnected \(attempt)") },
            onGiveUp: { server in log.add("gave up \(server.port)") }))
        await #expect(throws: NetaioError.self) { try await client.request("x", timeout: 0.3) }
        #expect(try await eventually { !log.values.isEmpty })
        #expect(log.values == ["gave up \(port)"])
        #expect(try await client.servers().isEmpty)
        try await client.shutdown()
    }
}
