import ArgumentParser
import NetaioNIO

/// `netaio node`: the reference resource behaviour on a UDP node.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run a UDP node with the reference resource behaviour of `netaio serve`.",
        discussion: """
            Same resources and replies as `netaio serve` (see its --help), over datagrams: \
            replies go to the sender's address; subscribers are addresses. Prints exactly one \
            line `listening on HOST:PORT` when ready and stops cleanly on SIGINT/SIGTERM.

            It joins --multicast-group (default 224.0.0.1, netaio's) unless --no-multicast; if \
            the join fails it says so on stderr and carries on with unicast. With \
            --manage-peers it multicasts ADVERTISE_PEER at start and every --advertise-every \
            seconds, answers PEER_DISCOVERED, removes peers silent for --peer-timeout seconds, \
            and multicasts DISCONNECT when stopped. Each --peer HOST:PORT (repeatable; implies \
            --manage-peers) also gets ADVERTISE_PEER by unicast on the same schedule, for \
            networks without multicast (loopback, containers); when stopped, DISCONNECT is \
            also unicast to every --peer and known peer address.

            Inner layers (netaio's per-handler plugins, as scripts/python-peers/node.py and \
            `netaio serve`): --inner-hmac-secret and --inner-cipher-key put an HMAC (field \
            hmac2) and a stream cipher (field iv2, uri in clear) on the resource handlers only, \
            inside the outer --hmac-secret/--cipher-key layer; replies and notifications carry \
            them too. --x25519-seed HEX (instead of --inner-cipher-key) puts an X25519 cipher \
            there and needs peer management (--manage-peers or --peer; exit 64 without): the \
            peer data advertises its pubkey, and the node can open a request only from an \
            address whose peer it knows, because the box is opened with the sender's pubkey \
            from its advertisement; each reply and notification is sealed for its own \
            recipient. A request failing the inner HMAC gets netaio's AUTH_ERROR, in clear; one \
            that cannot be decrypted (unknown sender, wrong key) is dropped.

            Examples:
              netaio node --port 9999
              netaio node --host 127.0.0.1 --port 0 --peer 127.0.0.1:9999 --advertise-every 1
              netaio node --port 8888 --manage-peers --multicast-group 239.1.2.3 --app-id myapp
              netaio node --port 0 --inner-hmac-secret s2 --inner-cipher-key k2
              netaio node --port 0 --peer 127.0.0.1:9999 --x25519-seed 5151...51 (64 hex digits)
            """)

    @Option(help: "Address to bind (0.0.0.0 or :: receive multicast; a unicast address does not).")
    var host = "0.0.0.0"

    @Option(help: "Port to bind (0 = a free port; multicasts go to the group at this port, as netaio).")
    var port = 8888

    @Option(name: .customLong("peer"), help: "A peer's HOST:PORT to advertise to by unicast (repeatable; IPv6 as [::1]:PORT).")
    var peerAddresses: [String] = []

    @Option(name: .customLong("advertise-every"), help: "Seconds between peer advertisements.")
    var advertiseEvery = 20.0

    @Option(name: .customLong("peer-timeout"), help: "Seconds of silence after which a peer is removed.")
    var peerTimeout = 60

    @Option(name: .customLong("multicast-group"), help: "Multicast group for multicasts and peer advertisements.")
    var multicastGroup = "224.0.0.1"

    @Option(name: .customLong("multicast-interface"), help: "Address of the interface to join the group on and send multicasts from (e.g. 127.0.0.1).")
    var multicastInterface: String?

    @Flag(name: .customLong("no-multicast"), help: "Do not join the multicast group.")
    var noMulticast = false

    @OptionGroup var plugins: PluginOptions
    @OptionGroup var peers: PeerOptions
    @OptionGroup(title: "Inner layers (on the resource handlers)") var inner: InnerLayerOptions

    @Flag(name: [.customShort("v"), .long], help: "Log drops, peer events and limits hit on stderr.")
    var verbose = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard advertiseEvery > 0, peerTimeout > 0 else { throw ValidationError("--advertise-every and --peer-timeout must be positive") }
        for p in peerAddresses where Address(parsing: p)?.family == nil {
            throw ValidationError("--peer \(p) is not a numeric HOST:PORT")
        }
        if inner.x25519Seed != nil && !managing {
            throw ValidationError("--x25519-seed needs --manage-peers or --peer (requests are opened with the sender's pubkey from its advertisement)")
        }
    }

    /// `--peer` implies peer management, as in node.py.
    var managing: Bool { peers.managePeers || !peerAddresses.isEmpty }

    func run() async throws {
        let x25519 = try inner.x25519Plugin()
        let options = NodeOptions(
            authPlugin: plugins.authPlugin, cipherPlugin: plugins.cipherPlugin,
            localPeer: managing ? peers.localPeer(pubkey: x25519?.keys.publicKey) : nil)
        let node: NetaioUDPNode
        do {
            node = try await NetaioUDPNode.bind(
                host: host, port: port, options: options, multicastGroup: multicastGroup,
                joinMulticast: !noMulticast, multicastInterface: multicastInterface, requireMulticast: false)
        } catch {
            printError("connection_failed: \(error)")
            throw NetaioExit.connectionFailed
        }
        if !noMulticast && !node.joinedMulticast {
            printLog("warning: could not join multicast group \(multicastGroup); unicast only")
        }
        let (innerAuth, innerCipher) = (inner.authPlugin, inner.cipherPlugin(x25519: x25519))
        try await node.withEngine { ResourceService().install(on: $0, authPlugin: innerAuth, cipherPlugin: innerCipher) }
        let appID = Array(peers.appID.utf8)
        if managing {
            try await node.managePeers(appID: appID, advertiseEvery: advertiseEvery, peerTimeout: peerTimeout)
        }
        try await installReporting(node, printPeers: peers.printPeers, verbose: verbose)
        let unicastPeers = peerAddresses.compactMap { Address(parsing: $0) }
        let advertiser = Task {
            while !unicastPeers.isEmpty && !Task.isCancelled {
                for peer in unicastPeers { try? await node.advertise(to: peer, appID: appID) }
                try? await Task.sleep(nanoseconds: UInt64(advertiseEvery * 1e9))
            }
        }
        let stop = StopSignal.waiter()
        printLine("listening on \(node.localAddress)")
        await stop.wait()
        advertiser.cancel()
        if managing {
            // DISCONNECT by unicast too, to --peer and every known peer address (multicast may not reach them).
            var targets = unicastPeers
            for peer in (try? await node.peers()) ?? [] { for a in peer.addrs where !targets.contains(a) { targets.append(a) } }
            for a in targets { try? await node.sayGoodbye(to: a, appID: appID) }
        }
        try await node.shutdown()
    }
}
