import Testing
import NetaioCore
import NetaioTestSupport

/// Handler dispatch, CRUD, subscriptions and TCP reassembly over the in-memory harness.
@Suite struct DispatchTests {
    /// A TCP server with a tiny key-value store behind REQUEST/CREATE/UPDATE/DELETE.
    static func crudServer(_ h: Harness) -> Int {
        let server = h.add(.tcpServer, at: serverAddress)
        let engine = h.nodes[server]
        final class Store { var items: [String: [UInt8]] = [:] }
        let store = Store()
        engine.on(HandlerKey(.requestURI)) { m, _ in
            guard let v = store.items[m.uriText] else { return .notFound() }
            return .respondURI(content: v, uri: m.uri)
        }
        engine.on(HandlerKey(.createURI)) { m, _ in
            store.items[m.uriText] = m.content
            return .ok(uri: m.uri)
        }
        engine.on(HandlerKey(.updateURI)) { m, _ in
            guard store.items[m.uriText] != nil else { return .notFound(uri: m.uri) }
            store.items[m.uriText] = m.content
            return .ok(uri: m.uri)
        }
        engine.on(HandlerKey(.deleteURI)) { m, _ in
            guard store.items.removeValue(forKey: m.uriText) != nil else { return .notFound(uri: m.uri) }
            return .ok(uri: m.uri)
        }
        return server
    }

    static func crudRoundTrip(_ h: Harness) throws {
        let server = crudServer(h)
        let client = h.add(.tcpClient, at: clientAddress)
        let conn = h.connect(client, to: server)
        let c = h.with(client) { $0.create(b("item"), b("v1"), to: .connection(conn)) }
        #expect(try h.outcome(of: client, c)?.get().type == .ok)
        let r = h.with(client) { $0.request(b("item"), to: .connection(conn)) }
        let reply = try #require(try h.outcome(of: client, r)?.get())
        #expect(reply.type == .respondURI && reply.contentText == "v1" && reply.uriText == "item")
        let u = h.with(client) { $0.update(b("item"), b("v2"), to: .connection(conn)) }
        #expect(try h.outcome(of: client, u)?.get().type == .ok)
        let r2 = h.with(client) { $0.request(b("item"), to: .connection(conn)) }
        #expect(try h.outcome(of: client, r2)?.get().contentText == "v2")
        let d = h.with(client) { $0.delete(b("item"), to: .connection(conn)) }
        #expect(try h.outcome(of: client, d)?.get().type == .ok)
        // The server answers NOT_FOUND with the request's uri: a netaio-key match, reported as an error.
        let u2 = h.with(client) { $0.update(b("item"), b("v3"), to: .connection(conn)) }
        guard case .failure(.errorReply(let m))? = h.outcome(of: client, u2) else {
            Issue.record("update of a deleted item should fail with NOT_FOUND")
            return
        }
        #expect(m.type == .notFound)
        #expect(h.nodes[client].pendingRequests.isEmpty)
    }

    @Test func crudRoundTripOverTCP() throws {
        try Self.crudRoundTrip(Harness())
    }

    @Test func crudRoundTripWithOneByteChunks() throws {
        let h = Harness()
        h.chunkSize = 1
        try Self.crudRoundTrip(h)
    }

    @Test func severalFramesInOneChunkAndSplitHeaders() throws {
        let h = Harness()
        let server = Self.crudServer(h)
        let conn = h.nodes[server].accepted(from: clientAddress)
        var stream: [UInt8] = []
        for i in 0..<5 { stream += try Message(type: .createURI, uri: b("k\(i)"), content: b("v\(i)")).encode() }
        // Deliver as 7-byte pieces so every header straddles chunks, then in one piece.
        var i = 0
        while i < stream.count {
            h.nodes[server].received(stream[i..<min(i + 7, stream.count)], on: conn)
            i += 7
        }
        h.nodes[server].received(stream, on: conn)
        let sends = h.nodes[server].takeActions().compactMap { a -> Message? in
            if case .send(let bytes, .connection(conn)) = a { return try? Message.decode(bytes) }
            return nil
        }
        #expect(sends.count == 10)
        #expect(sends.allSatisfy { $0.type == .ok })
        #expect(sends.map(\.uriText) == (0..<5).map { "k\($0)" } + (0..<5).map { "k\($0)" })
    }

    @Test func crudRoundTripOverUDPAndIPv6() throws {
        for (a, bAddr) in [(Address(host: "10.0.0.1", port: 8888), Address(host: "10.0.0.2", port: 8888)),
                           (Address(host: "fd00::1", port: 8888), Address(host: "fd00::2", port: 8888))] {
            let h = Harness()
            let server = h.add(.udpNode, at: a)
            let client = h.add(.udpNode, at: bAddr)
            h.nodes[server].on(HandlerKey(.requestURI, uri: "time")) { m, _ in .respondURI(content: b("noon"), uri: m.uri) }
            let r = h.with(client) { $0.request(b("time"), to: .address(a)) }
            #expect(try h.outcome(of: client, r)?.get().contentText == "noon")
            // Unknown uri: UDP NOT_FOUND carries uri ERROR; we still complete (Q5).
            let r2 = h.with(client) { $0.request(b("nothing"), to: .address(a)) }
            guard case .failure(.errorReply(let m))? = h.outcome(of: client, r2) else {
                Issue.record("expected an error reply")
                continue
            }
            #expect(m.type == .notFound && m.uriText == "ERROR")
        }
    }

    @Test func handlerKeyPrecedence() throws {
        let h = Harness()
        let server = h.add(.tcpServer, at: serverAddress)
        let c1 = h.add(.tcpClient, at: clientAddress)
        let c2 = h.add(.tcpClient, at: client2Address)
        let s = h.nodes[server]
        s.on(HandlerKey(.requestURI)) { m, _ in .respondURI(content: b("type"), uri: m.uri) }
        s.on(HandlerKey(.requestURI, uri: "x")) { m, _ in .respondURI(content: b("type+uri"), uri: m.uri) }
        s.on(HandlerKey(.requestURI, uri: b("x"), host: clientAddress)) { m, ctx in
            #expect(ctx.remote == clientAddress)
            return .respondURI(content: b("type+uri+host"), uri: m.uri)
        }
        let k1 = h.connect(c1, to: server)
        let k2 = h.connect(c2, to: server)
        func ask(_ node: Int, _ conn: ConnectionID, _ uri: String) throws -> String {
            let id = h.with(node) { $0.request(b(uri), to: .connection(conn)) }
            return try #require(try h.outcome(of: node, id)?.get()).contentText
        }
        #expect(try ask(c1, k1, "x") == "type+uri+host")
        #expect(try ask(c2, k2, "x") == "type+uri")
        #expect(try ask(c1, k1, "y") == "type")
        s.removeHandler(HandlerKey(.requestURI, uri: b("x"), host: clientAddress))
        #expect(try ask(c1, k1, "x") == "type+uri")
        s.removeHandler(HandlerKey(.requestURI, uri: "x"))
        #expect(try ask(c1, k1, "x") == "type")
        s.removeHandler(HandlerKey(.requestURI, uri: "not registered"))  // ignored
    }

    @Test func ephemeralHandlersAreConsumedOnce() throws {
        let h = Harness()
        let server = h.add(.tcpServer, at: serverAddress)
        let client = h.add(.tcpClient, at: clientAddress)
        let s = h.nodes[server]
        s.on(HandlerKey(.requestURI, uri: "x")) { m, _ in .respondURI(content: b("permanent"), uri: m.uri) }
        s.once(HandlerKey(.requestURI, uri: "x")) { m, _ in .respondURI(content: b("once"), uri: m.uri) }
        // An ephemeral handler at a less specific key loses to a more specific permanent one
        // and stays registered.
        s.once(HandlerKey(.requestURI)) { m, _ in .respondURI(content: b("once-type"), uri: m.uri) }
        let conn = h.connect(client, to: server)
        func ask(_ uri: String) throws -> String? {
            let id = h.with(client) { $0.request(b(uri), to: .connection(conn)) }
            return try h.outcome(of: client, id)?.get().contentText
        }
        #expect(try ask("x") == "once")
        #expect(try ask("x") == "permanent")
        #expect(try ask("x") == "permanent")
        #expect(try ask("y") == "once-type")
        // Consumed: "y" now has no handler → NOT_FOUND uri '' → error completion.
        let id = h.with(client) { $0.request(b("y"), to: .connection(conn)) }
        guard case .failure(.errorReply(let m))? = h.outcome(of: client, id) else {
            Issue.record("expected NOT_FOUND")
            return
        }
        #expect(m.type == .notFound && m.uri.isEmpty)
    }

    @Test func subscriptionsAndNotify() throws {
        let h = Harness()
        let server = h.add(.tcpServer, at: serverAddress)
        let c1 = h.add(.tcpClient, at: clientAddress)
        let c2 = h.add(.tcpClient, at: client2Address)
        let s = h.nodes[server]
        s.on(HandlerKey(.subscribeURI)) { m, ctx in
            ctx.subscribe(m.uri)
            return Message(type: .confirmSubscribe, uri: m.uri)
        }
        s.on(HandlerKey(.unsubscribeURI)) { m, ctx in
            ctx.unsubscribe(m.uri)
            return Message(type: .confirmUnsubscribe, uri: m.uri)
        }
        final class Inbox { var got: [(Int, String)] = [] }
        let inbox = Inbox()
        for c in [c1, c2] {
            h.nodes[c].on(HandlerKey(.notifyURI, uri: "news")) { m, _ in
                inbox.got.append((c, m.contentText))
                return nil
            }
        }
        let k1 = h.connect(c1, to: server)
        let k2 = h.connect(c2, to: server)
        h.with(c1) { $0.send(Message(type: .subscribeURI, uri: b("news")), to: .connection(k1)) }
        h.with(c2) { $0.send(Message(type: .subscribeURI, uri: b("news")), to: .connection(k2)) }
        #expect(s.subscribers(of: b("news")).count == 2)
        h.with(server) { $0.notify(b("news"), Message(type: .notifyURI, uri: b("news"), content: b("one"))) }
        #expect(inbox.got.map(\.0) == [c1, c2] && inbox.got.allSatisfy { $0.1 == "one" })
        h.with(c1) { $0.send(Message(type: .unsubscribeURI, uri: b("news")), to: .connection(k1)) }
        h.with(server) { $0.notify(b("news"), Message(type: .notifyURI, uri: b("news"), content: b("two"))) }
        #expect(inbox.got.suffix(1).map(\.0) == [c2])
        // Broadcast reaches every connection; a closed connection leaves its subscriptions.
        h.with(server) { $0.broadcast(Message(type: .notifyURI, uri: b("news"), content: b("all"))) }
        #expect(inbox.got.suffix(2).map(\.0) == [c1, c2])
        h.with(c2) { $0.close(k2) }
        #expect(s.subscribers(of: b("news")).isEmpty)
        #expect(s.openConnections.count == 1)
    }

    @Test func udpSubscriptionsBroadcastAndMulticast() throws {
        let h = Harness()
        let a = h.add(.udpNode, at: Address(host: "10.0.0.1", port: 8888), localPeerID: "A")
        let bNode = h.add(.udpNode, at: Address(host: "10.0.0.2", port: 8888), localPeerID: "B")
        let c = h.add(.udpNode, at: Address(host: "10.0.0.3", port: 8888), localPeerID: "C")
        final class Inbox { var got: [Int] = [] }
        let inbox = Inbox()
        for n in [a, bNode, c] {
            h.nodes[n].on(HandlerKey(.publishURI)) { _, _ in inbox.got.append(n); return nil }
        }
        h.with(a) { $0.multicast(Message(type: .publishURI, uri: b("m"))) }
        #expect(inbox.got == [bNode, c], "own multicast dropped by ignore_own_ip")
        for n in [a, bNode, c] { try h.with(n) { try $0.managePeers() } }
        inbox.got = []
        h.with(a) { $0.broadcast(Message(type: .publishURI, uri: b("m"))) }
        #expect(inbox.got == [bNode, c])
        inbox.got = []
        h.with(a) { $0.subscribe(b("t"), .address(h.addresses[c])) }
        h.with(a) { $0.notify(b("t"), Message(type: .publishURI, uri: b("t"))) }
        #expect(inbox.got == [c])
    }
}
