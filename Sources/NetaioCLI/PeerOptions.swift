import ArgumentParser
import NetaioNIO
import NetaioWire

/// Automatic peer management options shared by `serve` and `node`.
struct PeerOptions: ParsableArguments {
    @Flag(name: .customLong("manage-peers"), help: "Answer/send ADVERTISE_PEER, PEER_DISCOVERED and DISCONNECT (netaio's manage_peers_automatically).")
    var managePeers = false

    @Option(name: .customLong("app-id"), help: "Peer-management app id (the uri of peer messages).")
    var appID = "netaio"

    @Option(name: .customLong("peer-id"), help: "This node's peer id in hex (default: 16 random bytes).")
    var peerID: String?

    @Flag(name: .customLong("print-peers"), help: "Print `peer up ID_HEX HOST:PORT...` / `peer down ID_HEX` lines on stdout as peers come and go.")
    var printPeers = false

    func validate() throws {
        if let peerID, Hex.decode(peerID)?.isEmpty != false { throw ValidationError("--peer-id must be non-empty hex") }
    }

    /// The local peer record: id, and data = packify of an empty dict (netaio's convention).
    func localPeer() -> Peer {
        let id = peerID.flatMap { Hex.decode($0) } ?? SystemRandomSource().bytes(16)
        let data = (try? Packify.encode(.dict([]))) ?? []
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

