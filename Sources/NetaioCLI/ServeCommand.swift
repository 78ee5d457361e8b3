import ArgumentParser
import NetaioNIO

/// `netaio serve`: the reference resource server on TCP.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a TCP reference resource server (create/request/update/delete/subscribe/publish).",
        discussion: """
            Resource semantics (every reply carries the request's uri, so netaio's request() \
            matches it):
              CREATE_URI      stores the content at the uri                    -> OK
              REQUEST_URI     the content                                       -> RESPOND_URI, or NOT_FOUND
              UPDATE_URI      replaces existing content, notifies subscribers   -> OK, or NOT_FOUND
              DELETE_URI      removes                                           -> OK, or NOT_FOUND
              SUBSCRIBE_URI / UNSUBSCRIBE_URI                                    -> CONFIRM_SUBSCRIBE / CONFIRM_UNSUBSCRIBE
              PUBLISH_URI     sends NOTIFY_URI (its content) to subscribers     -> OK
            Other request types get NOT_FOUND; replies and notifications get no answer.

            When ready it prints exactly one line on stdout, `listening on HOST:PORT` (IPv6 \
            hosts in brackets; --port 0 picks a free port and prints it), and it stops cleanly \
            on SIGINT or SIGTERM (exit 0). Exit 3 if it cannot listen.

            Hardening (netaio's server has none): at most --max-connections clients \
            (default 1024); when full, a newcomer is accepted and a held connection is closed \
            instead: the oldest one that never completed a frame, else the one silent longest \
            (so idle sockets cannot lock honest clients out); a connection that has not sent one \
            complete frame within --first-frame-timeout seconds of being accepted is closed \
            (default 30); a frame must arrive in full within --frame-timeout seconds of its \
            first byte (default 10, slowloris guard); a header announcing more than \
            --max-frame-bytes (default 131079) gets an ERROR reply and a close; a malformed \
            frame gets ERROR "invalid message" and the connection stays; reading pauses while \
            a client's unsent output is above --max-pending-output/16 and a client with more \
            than --max-pending-output (default 4 MiB) unsent is closed; --idle-timeout \
            (default 0 = off) closes silent clients. The store holds at most \
            --max-resources uris and --max-stored-bytes bytes (CREATE/UPDATE beyond: ERROR "store full").

            Inner layers (netaio's per-handler plugins, as scripts/python-peers/serve.py): \
            --inner-hmac-secret and --inner-cipher-key put an HMAC (field hmac2) and a stream \
            cipher (field iv2, uri in clear) on the resource handlers only, inside the outer \
            --hmac-secret/--cipher-key layer; the replies and notifications carry them too. \
            --x25519-seed HEX (instead of --inner-cipher-key; needs --manage-peers) puts an \
            X25519 cipher there: the peer data advertises its pubkey, requests must be sealed \
            to it, and each reply and notification is sealed for its own recipient. A request \
            failing the inner HMAC gets netaio's AUTH_ERROR, in clear (no layer at all); one that \
            cannot be decrypted is dropped.

            Examples:
              netaio serve --port 8888
              netaio serve --host ::1 --port 0 --hmac-secret s3cret --cipher-key k3y
              netaio serve --port 0 --manage-peers --app-id myapp --frame-timeout 5
              netaio serve --port 0 --inner-hmac-secret s2 --inner-cipher-key k2
              netaio serve --port 0 --manage-peers --x25519-seed 5151...51 (64 hex digits)
            """)

    @Option(help: "Address to listen on (IPv4 or IPv6; 0.0.0.0 or :: for all interfaces).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 = a free port, printed in the `listening on` line).")
    var port = 8888

    @OptionGroup var plugins: PluginOptions
    @OptionGroup var peers: PeerOptions
    @OptionGroup(title: "Inner layers (on the resource handlers)") var inner: InnerLayerOptions
    @OptionGroup var limits: LimitOptions

    @Option(name: .customLong("max-resources"), help: "Most uris stored.")
    var maxResources = ResourceService.Limits().maxResources

    @Option(name: .customLong("max-stored-bytes"), help: "Most bytes stored (uris and contents).")
    var maxStoredBytes = ResourceService.Limits().maxStoredBytes

    @Flag(name: [.customShort("v"), .long], help: "Log drops, peer events and limits hit on stderr.")
    var verbose = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        if inner.x25519Seed != nil && !peers.managePeers {
            throw ValidationError("--x25519-seed needs --manage-peers (clients learn its key from the peer data)")
        }
    }

    func run() async throws {
        let x25519 = try inner.x25519Plugin()
        let options = NodeOptions(
            authPlugin: plugins.authPlugin, cipherPlugin: plugins.cipherPlugin,
            localPeer: peers.managePeers ? peers.localPeer(pubkey: x25519?.keys.publicKey) : nil)
        limits.raiseDescriptorLimit()
        let server: NetaioTCPServer
        do {
            server = try await NetaioTCPServer.start(host: host, port: port, options: options, limits: limits.limits)
        } catch {
            printError("connection_failed: \(error)")
            throw NetaioExit.connectionFailed
        }
        let storeLimits = ResourceService.Limits(maxResources: maxResources, maxStoredBytes: maxStoredBytes)
        let (innerAuth, innerCipher) = (inner.authPlugin, inner.cipherPlugin(x25519: x25519))
        try await server.withEngine {
            ResourceService(limits: storeLimits).install(on: $0, authPlugin: innerAuth, cipherPlugin: innerCipher)
        }
        if peers.managePeers {
            try await server.managePeers(appID: Array(peers.appID.utf8))
        }
        try await installReporting(server, printPeers: peers.printPeers, verbose: verbose)
        let stop = StopSignal.waiter()
        printLine("listening on \(server.localAddress)")
        await stop.wait()
        try await server.shutdown()
    }
}
