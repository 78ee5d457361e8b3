import ArgumentParser
import NetaioNIO
import NetaioWire

/// Automatic peer management options shared by `serve` and `node`.
struct PeerOptions: ParsableArguments {
    @Flag(name: .customLong("manage-peers"), help: "Answer/send ADVERTISE_PEER, PEER_DISCOVERED and DISCONNECT (netaio's manage_peers_automatically).")
    var managePeers = false

    @Option(name: .customLong("app-id"), help: "Peer-management app id (the uri of peer messages).")
    var appID = "netaio"

    @Option(name: .customLong("peer-id"), help: "This node's peer id: the UTF-8 bytes of ID (default: 32 random hex characters).")
    var peerID: String?

    @Flag(name: .customLong("print-peers"), help: "Print `peer up ID_HEX HOST:PORT...` / `peer down ID_HEX` lines on stdout as peers come and go.")
    var printPeers = false

    func validate() throws {
        if peerID?.isEmpty == true { throw ValidationError("--peer-id must not be empty") }
    }

    /// The local peer record: id, and data = packify of a dict, empty by netaio's
    /// convention, `{'pubkey': ...}` with an X25519 key (netaio's X25519CipherPlugin docs).
    func localPeer(pubkey: [UInt8]? = nil) -> Peer {
        let id = Array((peerID ?? Hex.encode(SystemRandomSource().bytes(16))).utf8)
        let entries = pubkey.map { [PackifyDictEntry(.string("pubkey"), .bytes($0))] } ?? []
        let data = (try? Packify.encode(.dict(entries))) ?? []
        return Peer(id: id, data: data)
    }
}

/// Prints peer changes (--print-peers) and, with --verbose, drops and limits on stderr.
func installReporting(_ node: NetaioNode, printPeers: Bool, verbose: Bool) async throws {
    if verbose {
        try await node.onLimit { event, id in printLog("limit: \(event.rawValue) \(id.map { "\($0)" } ?? "")") }
    }
    guard printPeers || verbose else { return }
    try await node.onEvent { event in
        switch event {
        case .peerAdded(let peer) where printPeers:
            printLine("peer up \(Hex.encode(peer.id ?? [])) \(peer.addrs.map(\.description).joined(separator: " "))")
        case .peerRemoved(let peer, _) where printPeers:
            printLine("peer down \(Hex.encode(peer.id ?? []))")
        default:
            if verbose { printLog("event: \(event)") }
        }
    }
}

