import Foundation
import NetaioNIO
import NetaioTestSupport
import Testing

/// A resource server on real loopback sockets (port 0) and clients against it.
func startResourceServer(host: String = "127.0.0.1", limits: ConnectionLimits = .default, options: NodeOptions = NodeOptions()) async throws -> NetaioTCPServer {
    let server = try await NetaioTCPServer.start(host: host, port: 0, options: options, limits: limits)
    try await server.withEngine { ResourceService().install(on: $0) }
    return server
}

func text(_ m: Message) -> String { String(decoding: m.content, as: UTF8.self) }

// The time limit only guards against hangs: the whole suite shares two cores and the
// cooperative thread pool with CPU-heavy tests, so it is generous.
@Suite(.serialized, .timeLimit(.minutes(3))) struct TCPRoundTripTests {
    @Test func crudRoundTrip() async throws {
        let server = try await startResourceServer()
        let client = try await NetaioTCPClient.connect(host: "127.0.0.1", port: Int(server.localAddress.port))
        #expect(server.localAddress.port != 0)
        #expect(try await client.create("doc", content: Array("v1".utf8)).type == .ok)
        let got = try await client.request("doc")
        #expect(got.type == .respondURI && text(got) == "v1" && got.uri == Array("doc".utf8))
        #expect(try await client.update("doc", content: Array("v2".utf8)).type == .ok)
        #expect(text(try await client.request("doc")) == "v2")
        #expect(try await client.delete("doc").type == .ok)
        await #expect(throws: NetaioError.self) { try await client.request("doc") }
        do {
            _ = try await client.delete("doc")
            Issue.record("delete of a missing uri succeeded")
        } catch NetaioError.errorReply(let m) {
            #expect(m.type == .notFound && m.uri == Array("doc".utf8))
        }
        try await client.shutdown()
        try await server.shutdown()
    }

    @Test func subscribersGetUpdatesAndPublishes() async throws {
        let server = try await startResourceServer()
        let port = Int(server.localAddress.port)
        let subscriber = try await NetaioTCPClient.connect(host: "127.0.0.1", port: port)
        let writer = try await NetaioTCPClient.connect(host: "127.0.0.1", port: port)
        let subscription = try await subscriber.subscribe("news")
        #expect(subscription.confirmation.type == .confirmSubscribe)
        _ = try await writer.create("news", content: Array("a".utf8))
        _ = try await writer.update("news", content: Array("b".utf8))
        _ = try await writer.publish("news", content: Array("c".utf8))
        var seen: [String] = []
        for await note in subscription.notifications {
            #expect(note.type == .notifyURI && note.uri == Array("news".utf8))
            seen.append(text(note))
            if seen.count == 2 { break }
        }
        #expect(seen == ["b", "c"])
        try await writer.shutdown()
        try await subscriber.shutdown()
        try await server.shutdown()
    }

    @Test func timeoutIsTyped() async throws {
        let server = try await NetaioTCPServer.start(host: "127.0.0.1", port: 0)
        try await server.on(HandlerKey(.requestURI)) { _, _ in nil }  // never answers
        let client = try await NetaioTCPClient.connect(host: "127.0.0.1", port: Int(server.localAddress.port))
        let start = Date()
        do {
            _ = try await client.request("silent", timeout: 0.3)
            Issue.record("no timeout")
        } catch NetaioError.timedOut(let uri, let timeout) {
            #expect(uri == Array("silent".utf8) && timeout == 0.3)
        }
        #expect(Date().timeIntervalSince(start) < 3)
        try await client.shutdown()
        try await server.shutdown()
    }

    @Test func connectionFailureIsTyped() async throws {
        // A port that was free a moment ago: bind, note it, close.
        let probe = try await NetaioTCPServer.start(host: "127.0.0.1", port: 0)
        let port = Int(probe.localAddress.port)
        try await probe.shutdown()
        await #expect(throws: NetaioError.self) {
            _ = try await NetaioTCPClient.connect(host: "127.0.0.1", port: port, connectTimeout: 2)
        }
    }

    @Test func oneClientSeveralServers() async throws {
        let a = try await startResourceServer()
        let b = try await startResourceServer()
        let client = try await NetaioTCPClient.connect(host: "127.0.0.1", port: Int(a.localAddress.port))
        let second = try await client.connect(host: "127.0.0.1", port: Int(b.localAddress.port))
        _ = try await client.create("x", content: Array("on-a".utf8))
        _ = try await client.create("x", content: Array("on-b".utf8), server: second)
        #expect(text(try await client.request("x")) == "on-a")
        #expect(text(try await client.request("x", server: second)) == "on-b")
        #expect(try await client.servers().count == 2)
        try await client.shutdown()
        try await a.shutdown()
        try await b.shutdown()
    }

    @Test func hmacAndCipherOuterLayers() async throws {
        let options = NodeOptions(authPlugin: HMACAuthPlugin(secret: "s3cret"), cipherPlugin: Sha256StreamCipherPlugin(key: "k3y"))
        let server = try await startResourceServer(options: options)
        let port = Int(server.localAddress.port)
        let good = try await NetaioTCPClient.connect(host: "127.0.0.1", port: port, options: options)
        _ = try await good.create("s", content: Array("hidden".utf8))
        #expect(text(try await good.request("s")) == "hidden")
        // Wrong secret: the server answers AUTH_ERROR-style ERROR in plain text.
        let bad = try await NetaioTCPClient.connect(
            host: "127.0.0.1", port: port,
            options: NodeOptions(authPlugin: HMACAuthPlugin(secret: "wrong"), cipherPlugin: Sha256StreamCipherPlugin(key: "k3y")))
        await #expect(throws: NetaioError.self) { try await bad.request("s", timeout: 2) }
        try await bad.shutdown()
        try await good.shutdown()
        try await server.shutdown()
    }

    @Test(.enabled(if: HostNetwork.ipv6Loopback, HostNetwork.noIPv6Loopback))
    func ipv6Loopback() async throws {
        let server = try await startResourceServer(host: "::1")
        #expect(server.localAddress.host == "::1")
        let client = try await NetaioTCPClient.connect(host: "::1", port: Int(server.localAddress.port))
        _ = try await client.create("v6", content: Array("yes".utf8))
        #expect(text(try await client.request("v6")) == "yes")
        try await client.shutdown()
        try await server.shutdown()
    }
}
