import Testing
import NetaioCore
import NetaioTestSupport

/// The reference resource behaviour (`netaio serve`/`node`) on the in-memory harness,
/// including SUBSCRIBE requests completing on CONFIRM_SUBSCRIBE.
@Suite struct ResourceServiceTests {
    func setUp(_ limits: ResourceService.Limits = .init()) -> (Harness, server: Int, client: Int, conn: ConnectionID) {
        let h = Harness()
        let server = h.add(.tcpServer, at: Address(host: "10.0.0.1", port: 8888))
        ResourceService(limits: limits).install(on: h.nodes[server])
        let client = h.add(.tcpClient, at: clientAddress)
        let conn = h.connect(client, to: server)
        return (h, server, client, conn)
    }

    func ask(_ h: Harness, _ client: Int, _ conn: ConnectionID, _ type: MessageType, _ uri: String, _ content: String = "") -> Result<Message, RequestError>? {
        let id = h.with(client) { $0.request(b(uri), content: b(content), type: type, to: .connection(conn)) }
        h.run()
        return h.outcome(of: client, id)
    }

    @Test func crudRepliesCarryTheRequestURI() throws {
        let (h, _, c, k) = setUp()
        #expect(try ask(h, c, k, .createURI, "a", "1")?.get().type == .ok)
        let got = try ask(h, c, k, .requestURI, "a")?.get()
        #expect(got?.type == .respondURI && got?.contentText == "1" && got?.uriText == "a")
        #expect(try ask(h, c, k, .updateURI, "a", "2")?.get().uriText == "a")
        #expect(try ask(h, c, k, .requestURI, "a")?.get().contentText == "2")
        #expect(try ask(h, c, k, .deleteURI, "a")?.get().type == .ok)
        for type in [MessageType.requestURI, .updateURI, .deleteURI] {
            guard case .failure(.errorReply(let m)) = ask(h, c, k, type, "a", "x") else {
                Issue.record("\(type) of a missing uri did not fail")
                continue
            }
            #expect(m.type == .notFound && m.uriText == "a")
        }
    }

    @Test func subscribeConfirmsAndUpdatesAndPublishesNotify() throws {
        let (h, _, c, k) = setUp()
        let watcher = h.add(.tcpClient, at: Address(host: "10.0.0.3", port: 40000))
        let wk = h.connect(watcher, to: 0)
        #expect(try ask(h, watcher, wk, .subscribeURI, "t")?.get().type == .confirmSubscribe)
        _ = ask(h, c, k, .createURI, "t", "v1")  // CREATE notifies nobody
        _ = ask(h, c, k, .updateURI, "t", "v2")
        _ = ask(h, c, k, .publishURI, "t", "p")
        let notes = h.frames(from: 0).compactMap { try? Message.decode($0) }.filter { $0.type == .notifyURI }
        #expect(notes.map(\.contentText) == ["v2", "p"])
        #expect(try ask(h, watcher, wk, .unsubscribeURI, "t")?.get().type == .confirmUnsubscribe)
        h.clearWire()
        _ = ask(h, c, k, .publishURI, "t", "after")
        #expect(h.frames(from: 0).compactMap { try? Message.decode($0) }.allSatisfy { $0.type != .notifyURI })
    }

    @Test func unknownRequestsGetNotFoundAndAnswersGetNothing() throws {
        let (h, s, c, k) = setUp()
        h.clearWire()
        h.with(c) { _ = $0.send(Message(type: .ok, uri: b("x")), to: .connection(k)) }
        h.with(c) { _ = $0.send(Message(type: .notifyURI, uri: b("x")), to: .connection(k)) }
        h.run()
        #expect(h.frames(from: s).isEmpty)
        h.with(c) { _ = $0.send(Message(type: .advertisePeer, uri: b("netaio"), content: [1]), to: .connection(k)) }
        h.run()
        #expect(h.frames(from: s).isEmpty, "peer messages without peer management get no answer")
    }

    @Test func storeLimitsAnswerErrorWithTheURI() throws {
        let (h, _, c, k) = setUp(.init(maxResources: 2, maxStoredBytes: 20))
        #expect(try ask(h, c, k, .createURI, "a", "1")?.get().type == .ok)
        #expect(try ask(h, c, k, .createURI, "b", "2")?.get().type == .ok)
        guard case .failure(.errorReply(let m)) = ask(h, c, k, .createURI, "c", "3") else {
            Issue.record("third resource accepted")
            return
        }
        #expect(m.type == .error && m.uriText == "c" && m.contentText.hasPrefix("store full"))
        guard case .failure(.errorReply(let big)) = ask(h, c, k, .updateURI, "a", String(repeating: "x", count: 30)) else {
            Issue.record("oversized update accepted")
            return
        }
        #expect(big.type == .error && big.uriText == "a")
        #expect(try ask(h, c, k, .requestURI, "a")?.get().contentText == "1", "a refused update changes nothing")
    }
}

@Suite struct RequestReplyTypeTests {
    @Test func notPermittedWithTheURIFailsTheRequest() throws {
        let h = Harness()
        let server = h.add(.tcpServer, at: Address(host: "10.0.0.1", port: 8888))
        h.nodes[server].on(HandlerKey(.createURI)) { m, _ in .notPermitted(uri: m.uri) }
        let client = h.add(.tcpClient, at: clientAddress)
        let conn = h.connect(client, to: server)
        let id = h.with(client) { $0.create(b("x"), b("1"), to: .connection(conn)) }
        h.run()
        guard case .failure(.errorReply(let m))? = h.outcome(of: client, id) else {
            Issue.record("NOT_PERMITTED did not fail the request")
            return
        }
        #expect(m.type == .notPermitted && m.uriText == "x")
    }
}
