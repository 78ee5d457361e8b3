import Testing
import NetaioCore
import NetaioTestSupport

/// Plugins, auth errors, checksum failures, NOT_FOUND without storms, timeouts,
/// malformed input.
@Suite struct SafetyTests {
    let outerAuth = HMACAuthPlugin(secret: "outer secret")
    let outerCipher = Sha256StreamCipherPlugin(key: "outer key")
    let innerAuth = HMACAuthPlugin(secret: "inner secret", hmacField: "ihmac", nonceField: "inonce", tsField: "its")
    let innerCipher = Sha256StreamCipherPlugin(key: "inner key", ivField: "iiv", encryptURI: false)

    func withOuter(_ c: inout NodeConfiguration) {
        c.authPlugin = outerAuth
        c.cipherPlugin = outerCipher
    }

    @Test func fourLayerEncapsulationRoundTripAndWireBytes() throws {
        let h = Harness()
        let server = h.add(.tcpServer, at: serverAddress, withOuter)
        let client = h.add(.tcpClient, at: clientAddress, withOuter)
        h.nodes[server].on(HandlerKey(.requestURI, uri: "secret"), authPlugin: innerAuth, cipherPlugin: innerCipher) { m, _ in
            #expect(m.contentText == "question")
            return .respondURI(content: b("answer"), uri: m.uri)
        }
        let conn = h.connect(client, to: server)
        let options = SendOptions(authPlugin: innerAuth, cipherPlugin: innerCipher)
        let id = h.with(client) { $0.request(b("secret"), content: b("question"), to: .connection(conn), options: options) }
        let reply = try #require(try h.outcome(of: client, id)?.get())
        #expect(reply.contentText == "answer" && reply.uriText == "secret")

        // The request on the wire unwraps with the plugins in receive order.
        let ctx = PluginContext.system()
        let frame = try Message.decode(#require(h.frames(from: client).first))
        #expect(frame.uriText != "secret", "outer stream cipher encrypts the uri")
        #expect(outerAuth.check(frame, context: ctx))
        let outer = try outerCipher.decrypt(frame, context: ctx)
        #expect(outer.uriText == "secret")
        #expect(innerAuth.check(outer, context: ctx))
        #expect(outer.contentText != "question")
        let inner = try innerCipher.decrypt(outer, context: ctx)
        #expect(inner.contentText == "question")
        #expect(Set(frame.authFields.names) == ["iiv", "inonce", "its", "ihmac", "iv", "nonce", "ts", "hmac"])

        // A message without the inner layers reaches the handler's key but fails its auth:
        // AUTH_ERROR goes back plain, and the request completes with it (uri ERROR, Q5).
        h.clearWire()
        let bad = h.with(client) { $0.request(b("secret"), content: b("question"), to: .connection(conn)) }
        guard case .failure(.errorReply(let m))? = h.outcome(of: client, bad) else {
            Issue.record("expected AUTH_ERROR")
            return
        }
        #expect(m.type == .authError)
        #expect(h.frames(from: server).first?.hex == "1700030017c7eb481f4d400000054552524f52484d41432061757468206661696c6564")
        #expect(h.drops(of: server).contains(.innerAuthFailed))
    }

    @Test func outerAuthFailureRepliesPlainAndErrorTypesGetSilence() throws {
        let h = Harness()
        let server = h.add(.tcpServer, at: serverAddress) { $0.authPlugin = HMACAuthPlugin(secret: "s") }
        let client = h.add(.tcpClient, at: clientAddress)
        var handled = 0
        h.nodes[server].on(HandlerKey(.publishURI)) { _, _ in handled += 1; return nil }
        h.nodes[server].on(HandlerKey(.error)) { _, _ in handled += 1; return nil }
        let conn = h.connect(client, to: server)
        h.with(client) { $0.send(Message(type: .publishURI, uri: b("p")), to: .connection(conn)) }
        #expect(handled == 0)
        #expect(h.frames(from: server).map(\.hex) == ["1700030017c7eb481f4d400000054552524f52484d41432061757468206661696c6564"])
        h.clearWire()
        for t in [MessageType.error, .authError] {
            h.with(client) { $0.send(Message(type: t, uri: b("ERROR"), content: b("x")), to: .connection(conn)) }
        }
        #expect(h.frames(from: server).isEmpty, "no reply to error types")
        #expect(handled == 0, "Q6: a failed check never reaches the handler")
        // netaio would answer an unauthenticated NOT_FOUND with AUTH_ERROR; our storm guard
        // never answers NOT_FOUND / NOT_PERMITTED / error types with an error type.
        h.with(client) { $0.send(Message.notFound(), to: .connection(conn)) }
        #expect(h.frames(from: server).isEmpty)
        #expect(h.drops(of: server).last == .errorReplySuppressed(.authError))
    }

    @Test func checksumFailureGetsInvalidMessageAndStreamStaysInSync() throws {
        let h = Harness()
        let server = DispatchTests.crudServer(h)
        let conn = h.nodes[server].accepted(from: clientAddress)
        var bad = try Message(type: .createURI, uri: b("k"), content: b("v")).encode()
        bad[bad.count - 1] ^= 0xFF
        let good = try Message(type: .createURI, uri: b("k2"), content: b("v")).encode()
        h.nodes[server].received(bad + good, on: conn)
        let replies = h.nodes[server].takeActions().compactMap { a -> Message? in
            if case .send(let bytes, _) = a { return try? Message.decode(bytes) }
            return nil
        }
        #expect(replies == [.error("invalid message"), .ok(uri: b("k2"))])
        #expect(replies[0].type == .error && replies[0].uriText == "ERROR")
    }

    @Test func notFoundWithoutStormsOverUDP() throws {
        let h = Harness()
        let a = h.add(.udpNode, at: Address(host: "10.0.0.1", port: 8888))
        let bNode = h.add(.udpNode, at: Address(host: "10.0.0.2", port: 8888))
        h.nodes[a].send(Message(type: .publishURI, uri: b("nobody")), to: .address(h.addresses[bNode]))
        h.collect(a)
        let steps = h.run(maxSteps: 100)
        #expect(h.queueIsEmpty, "bounded exchange (netaio: endless NOT_FOUND ping-pong, Q1)")
        #expect(steps < 10)
        let frames = h.wire.map { try? Message.decode($0.bytes) }
        #expect(frames.map { $0?.type } == [.publishURI, .notFound])
        #expect(frames[1]?.uriText == "ERROR", "UDP default NOT_FOUND keeps netaio's uri")
        #expect(h.drops(of: a) == [.errorReplySuppressed(.notFound)])
    }

    @Test func tcpServerNotFoundHasEmptyURI() throws {
        let h = Harness()
        let server = h.add(.tcpServer, at: serverAddress)
        let conn = h.nodes[server].accepted(from: clientAddress)
        h.nodes[server].received(try Message(type: .publishURI, uri: b("p")).encode(), on: conn)
        h.nodes[server].received(try Message.notFound().encode(), on: conn)
        let sent = h.nodes[server].takeActions().compactMap { a -> [UInt8]? in
            if case .send(let bytes, _) = a { return bytes }
            return nil
        }
        #expect(sent == [try Message.notFound().encode()])
    }

    @Test func requestTimeoutAndTimeoutHook() throws {
        let h = Harness()
        let server = h.add(.tcpServer, at: serverAddress)
        let client = h.add(.tcpClient, at: clientAddress)
        h.nodes[server].on(HandlerKey(.requestURI)) { _, _ in nil }  // never answers
        var hooked: [RequestTimeout] = []
        h.nodes[client].requestTimeoutHandler = { info, _ in hooked.append(info) }
        let conn = h.connect(client, to: server)
        let id = h.with(client) { $0.request(b("slow"), to: .connection(conn), timeout: 2.5) }
        h.advance(by: 2)
        #expect(h.outcome(of: client, id) == nil)
        h.advance(by: 1)
        #expect(h.outcome(of: client, id) == .failure(.timedOut(uri: b("slow"), endpoint: .connection(conn), timeout: 2.5)))
        #expect(hooked.map(\.id) == [id] && hooked.first?.remote == serverAddress)
        #expect(h.nodes[client].pendingRequests.isEmpty)
        // A late reply is then just an unhandled message on the client (which never replies).
        h.nodes[server].on(HandlerKey(.requestURI)) { m, _ in .respondURI(content: [], uri: m.uri) }
        let id2 = h.with(client) { $0.request(b("fast"), to: .connection(conn), timeout: 2.5) }
        #expect(h.outcome(of: client, id2).map { (try? $0.get())?.type } == .respondURI)
        h.advance(by: 5)
        #expect(h.events(of: client).filter { if case .requestFailed = $0 { true } else { false } }.count == 1, "timer cancelled")
        // Closing the connection fails what is still pending.
        h.nodes[server].on(HandlerKey(.requestURI)) { _, _ in nil }
        let id3 = h.with(client) { $0.request(b("x"), to: .connection(conn)) }
        h.with(client) { $0.close(conn) }
        #expect(h.outcome(of: client, id3) == .failure(.connectionClosed))
    }

    @Test func errorRepliesCompleteRequestsInOrder() throws {
        let h = Harness()
        let server = h.add(.tcpServer, at: serverAddress)
        let client = h.add(.tcpClient, at: clientAddress)
        h.nodes[server].on(HandlerKey(.requestURI, uri: "boom")) { _, _ in struct Boom: Error {}; throw Boom() }
        let conn = h.connect(client, to: server)
        let first = h.nodes[client].request(b("missing"), to: .connection(conn))
        let second = h.nodes[client].request(b("boom"), to: .connection(conn))
        h.collect(client)
        h.run()
        guard case .failure(.errorReply(let m1))? = h.outcome(of: client, first),
              case .failure(.errorReply(let m2))? = h.outcome(of: client, second) else {
            Issue.record("both should fail with error replies")
            return
        }
        #expect(m1.type == .notFound && m1.uri.isEmpty)
        #expect(m2.type == .error && m2.contentText == "handler error")
        #expect(h.nodes[server].openConnections.count == 1, "Q21: a throwing handler keeps the connection")
    }

    @Test func unknownTypeAndBadFramesKeepTheConnection() throws {
        let h = Harness()
        let server = DispatchTests.crudServer(h)
        let conn = h.nodes[server].accepted(from: clientAddress)
        var unknown = try Message(type: .createURI, uri: b("k")).encode()
        unknown[0] = 14  // reserved, not in the standard set
        var badAuth = try Message(type: .createURI, uri: b("k")).encode()
        badAuth[9] = 0xFF  // corrupt packify code byte in the auth block
        let zeroAuth: [UInt8] = [2, 0, 0, 0, 2] + withUnsafeBytes(of: UInt32(0).bigEndian) { Array($0) } + [0, 0]
        for frame in [unknown, badAuth, zeroAuth] { h.nodes[server].received(frame, on: conn) }
        h.nodes[server].received(try Message(type: .createURI, uri: b("ok")).encode(), on: conn)
        let replies = h.nodes[server].takeActions().compactMap { a -> Message? in
            if case .send(let bytes, _) = a { return try? Message.decode(bytes) }
            return nil
        }
        #expect(replies == [.error("invalid message"), .error("invalid message"), .error("invalid message"), .ok(uri: b("ok"))])
        #expect(h.nodes[server].openConnections == [conn])
        // Custom type sets are honoured: with type 40 known, it is dispatched.
        let custom = try MessageTypeSet.make(custom: [("PING", 40)])
        let h2 = Harness()
        let s2 = h2.add(.tcpServer, at: serverAddress) { $0.messageTypes = custom }
        h2.nodes[s2].on(HandlerKey(MessageType(40))) { _, _ in Message(type: MessageType(40), uri: b("pong")) }
        let c2 = h2.nodes[s2].accepted(from: clientAddress)
        h2.nodes[s2].received(try Message(type: MessageType(40), uri: b("ping")).encode(), on: c2)
        #expect(h2.nodes[s2].takeActions().contains(.send(try Message(type: MessageType(40), uri: b("pong")).encode(), to: .connection(c2))))
    }

    @Test func oversizedFrameClosesTheConnection() throws {
        let h = Harness()
        let server = h.add(.tcpServer, at: serverAddress) { $0.maxFrameLength = 1024 }
        let conn = h.nodes[server].accepted(from: clientAddress)
        h.nodes[server].received([7, 0, 3, 0x10, 0, 0, 0, 0, 0], on: conn)
        let actions = h.nodes[server].takeActions()
        #expect(actions.contains(.close(conn)))
        #expect(actions.contains(.event(.dropped(Drop(.frameTooLarge(9 + 3 + 4096), endpoint: .connection(conn))))))
        #expect(h.nodes[server].openConnections.isEmpty)
        h.nodes[server].received([1, 2, 3], on: conn)  // late bytes: dropped, no trap
        #expect(h.nodes[server].takeActions().count == 1)
    }

    @Test func randomInputNeverTrapsAndServiceContinues() throws {
        var rng = SplitMix64(seed: 7)
        let h = Harness()
        let server = DispatchTests.crudServer(h)
        let udp = h.add(.udpNode, at: Address(host: "10.0.0.9", port: 8888), localPeerID: "U") {
            $0.authPlugin = HMACAuthPlugin(secret: "s")
            $0.cipherPlugin = Sha256StreamCipherPlugin(key: "k")
        }
        try h.nodes[udp].managePeers()
        _ = h.nodes[udp].takeActions()
        let valid = try Message(type: .advertisePeer, uri: b("netaio"), content: DefaultPeerPlugin().pack(Peer(id: [1], data: [2]))).encode()
        for round in 0..<400 {
            // Random bytes, and mutations of a valid frame.
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int(rng.next() % 80)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            } else {
                bytes = valid
                for _ in 0..<(1 + Int(rng.next() % 4)) { bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            }
            h.nodes[udp].received(datagram: bytes, from: Address(host: "10.0.1.\(round % 250)", port: 9))
            _ = h.nodes[udp].takeActions()
            // TCP: keep the stream framed by fixing the lengths to the bytes we send.
            let conn = h.nodes[server].accepted(from: clientAddress)
            h.nodes[server].received(bytes, on: conn)
            h.nodes[server].closed(conn)
            _ = h.nodes[server].takeActions()
        }
        // Both still serve.
        let conn = h.nodes[server].accepted(from: clientAddress)
        h.nodes[server].received(try Message(type: .createURI, uri: b("after")).encode(), on: conn)
        #expect(h.nodes[server].takeActions().contains(.send(try Message.ok(uri: b("after")).encode(), to: .connection(conn))))
        #expect(h.nodes[server].openConnections == [conn])
    }
}
