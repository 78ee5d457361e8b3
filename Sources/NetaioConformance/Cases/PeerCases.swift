import NetaioPlugins

extension ConformanceCases {
    static let peerRule = "docs/PROTOCOL.md §10.2-§10.3 (ADVERTISE_PEER / PEER_DISCOVERED / DISCONNECT)"

    /// The suite's identity: an X25519 key (so X25519 cases can use it) in netaio's peer data.
    static let suiteSeed = NetaioCrypto.sha256(Array("netaio-conformance-suite".utf8))

    static func suitePeer(_ tag: String) -> Peer {
        let keys = try! CurveKeys(seed: suiteSeed)
        let data = try! DefaultPeerPlugin().encodeData(.dict([PackifyDictEntry("pubkey", .bytes(keys.publicKey))]))
        return Peer(id: Array(NetaioCrypto.sha256(Array("suite-\(tag)".utf8)).prefix(16)), data: data)
    }

    static func peerMessage(_ type: MessageType, _ run: CaseRun, _ peer: Peer, appID: String? = nil) -> Message {
        Message(type: type, uri: Array((appID ?? run.config.appID).utf8), content: (try? DefaultPeerPlugin().pack(peer)) ?? [])
    }

    /// Advertises `peer` and returns the implementation's PEER_DISCOVERED peer record.
    static func discover(_ run: CaseRun, _ s: Session, _ peer: Peer) throws -> (Reply, Peer) {
        try discover(s, peer)
    }

    static func discover(_ s: Session, _ peer: Peer) throws -> (Reply, Peer) {
        let appID = Array(s.config.appID.utf8)
        let r: Reply
        do {
            r = try s.exchange(Message(type: .advertisePeer, uri: appID, content: try DefaultPeerPlugin().pack(peer)))
        } catch {
            throw CaseFailure("ADVERTISE_PEER: \(error)")
        }
        guard r.type == .peerDiscovered, r.uri == appID else { throw CaseFailure("ADVERTISE_PEER got \(r.summary), expected PEER_DISCOVERED with the app id") }
        do {
            return (r, try DefaultPeerPlugin().unpack(r.content))
        } catch {
            throw CaseFailure("PEER_DISCOVERED content is not a packify (id, data) tuple: \(error)")
        }
    }

    static let peers: [ConformanceCase] = [
        ConformanceCase("D-01", .peers, "ADVERTISE_PEER answers PEER_DISCOVERED(app id, (id, data))", rule: peerRule, requires: [.peers]) { run in
            let (_, them) = try discover(run, try run.session(), suitePeer(run.caseID))
            guard let id = them.id, !id.isEmpty else { return .fail("PEER_DISCOVERED has no peer id") }
            return .pass("peer id \(Hex.encode(id)), \(them.data?.count ?? 0) bytes of data")
        },
        ConformanceCase("D-02", .peers, "an ADVERTISE_PEER carrying the implementation's own id gets no reply", rule: peerRule + "; §10.1 (add_or_update_peer ignores the local id)", requires: [.peers]) { run in
            let s = try run.session()
            let (_, them) = try discover(run, s, suitePeer(run.caseID))
            try s.send(peerMessage(.advertisePeer, run, Peer(id: them.id, data: them.data)))
            if let r = try s.replyIfAny() { return .fail("answered \(r.summary)") }
            return .pass("no reply")
        },
        ConformanceCase("D-03", .peers, "ADVERTISE_PEER for another app id is not answered with PEER_DISCOVERED", rule: peerRule + " (handlers are keyed by (type, app id))", requires: [.peers]) { run in
            let s = try run.session()
            try s.send(peerMessage(.advertisePeer, run, suitePeer(run.caseID), appID: "not-\(run.config.appID)"))
            if let r = try s.replyIfAny(), r.type == .peerDiscovered { return .fail("answered \(r.summary)") }
            return .pass("no PEER_DISCOVERED")
        },
        ConformanceCase("D-04", .peers, "PEER_DISCOVERED from a client gets no reply", rule: peerRule, requires: [.peers]) { run in
            let s = try run.session()
            try s.send(peerMessage(.peerDiscovered, run, suitePeer(run.caseID)))
            if let r = try s.replyIfAny() { return .fail("answered \(r.summary)") }
            return .pass("no reply")
        },
        ConformanceCase("D-05", .peers, "DISCONNECT gets no reply; advertising again is answered again", rule: peerRule, requires: [.peers]) { run in
            let s = try run.session()
            let me = suitePeer(run.caseID)
            _ = try discover(run, s, me)
            try s.send(peerMessage(.disconnect, run, me))
            if let r = try s.replyIfAny() { return .fail("DISCONNECT was answered \(r.summary)") }
            _ = try discover(run, s, me)
            return .pass("silence, then PEER_DISCOVERED again")
        },
        ConformanceCase("D-06", .peers, "an ADVERTISE_PEER with a non-bytes id does not end the channel", rule: peerRule + "; Q11 (unvalidated peer payloads)", level: .nonStrict, requires: [.peers]) { run in
            let s = try run.session()
            let bad = Message(type: .advertisePeer, uri: Array(run.config.appID.utf8), content: try Packify.encode(.tuple([.int(42), .list([])])))
            try s.send(bad)
            _ = try s.replyIfAny()
            if let fail = run.stillServing() { return fail }
            let u = run.uri()
            do { try run.expect(s, run.message(.createURI, u, "x"), .ok, uri: u) } catch { return .fail("the channel died: \(error)") }
            return .pass("ignored; the same channel still serves")
        },
        ConformanceCase("D-07", .peers, "an ADVERTISE_PEER whose content is not packify is ignored", rule: peerRule + " (unpack errors are logged and ignored)", requires: [.peers]) { run in
            let s = try run.session()
            try s.send(Message(type: .advertisePeer, uri: Array(run.config.appID.utf8), content: [0xFF, 0x00, 0x13]))
            if let r = try s.replyIfAny(), r.type == .peerDiscovered { return .fail("answered \(r.summary)") }
            let u = run.uri()
            try run.expect(s, run.message(.createURI, u, "x"), .ok, uri: u)
            return .pass("no PEER_DISCOVERED; the channel still serves")
        },
    ]

    static let x25519Rule = "docs/PROTOCOL.md §5.5 (X25519CipherPlugin), §6.1 (inner layer), §10 (pubkey in peer data)"

    static func x25519Layers(_ run: CaseRun, _ s: Session) throws -> InnerLayers {
        try x25519Layers(s, tag: run.caseID)
    }

    static func x25519Layers(_ s: Session, tag: String) throws -> InnerLayers {
        let (_, them) = try discover(s, suitePeer(tag))
        guard case .some(let data) = try? DefaultPeerPlugin().parseData(them), data["pubkey"]?.byteArrayValue?.count == 32 else {
            throw CaseFailure("the implementation's peer data has no 32-byte pubkey")
        }
        return InnerLayers(cipher: try X25519CipherPlugin(seed: suiteSeed), peer: them, peerPlugin: DefaultPeerPlugin())
    }

    static let x25519: [ConformanceCase] = [
        ConformanceCase("X-01", .x25519, "PEER_DISCOVERED carries a 32-byte X25519 pubkey", rule: x25519Rule, requires: [.x25519]) { run in
            _ = try x25519Layers(run, try run.session())
            return .pass("pubkey found")
        },
        ConformanceCase("X-02", .x25519, "CREATE and REQUEST through an inner X25519 layer", rule: x25519Rule, requires: [.x25519]) { run in
            let s = try run.session(), u = run.uri()
            // The session advertises itself first and boxes resource requests to the
            // implementation's pubkey (Session.defaultLayers); replies are opened with ours.
            let ok = try run.expect(s, run.message(.createURI, u, "boxed"), .ok, uri: u)
            let r = try run.expect(s, run.message(.requestURI, u), .respondURI, uri: u, content: Array("boxed".utf8))
            if r.wire.content == r.content || ok.wire.content == ok.content { return .fail("the replies were not boxed") }
            return .pass("replies boxed to our key; content \"boxed\" after opening")
        },
        ConformanceCase("X-03", .x25519, "a box for another key is dropped; the channel survives", rule: x25519Rule + "; §6.2 (inner decrypt fails → drop)", requires: [.x25519]) { run in
            let s = try run.session()
            var inner = try x25519Layers(run, s)
            inner.cipher = try X25519CipherPlugin(seed: NetaioCrypto.sha256(Array("someone else".utf8)))
            try s.send(run.message(.createURI, run.uri(), "misaddressed"), inner: inner)
            if let r = try s.replyIfAny(), r.type == .ok { return .fail("a box from an unknown key was accepted: \(r.summary)") }
            let u = run.uri("after")
            try run.expect(s, run.message(.createURI, u, "x"), .ok, uri: u)
            return .pass("dropped; a correct box afterwards is answered")
        },
    ]
}
