import ArgumentParser
import NetaioNIO
import NetaioWire

/// Automatic peer management options shared by `serve` and `node`.
struct PeerOptions: ParsableArguments {
    @Flag(name: .customLong("manage-peers"), help: "Answer/send ADVERTISE_PEER, PEER_DISCOVERED and DISCONNECT (netaio's manage_peers_automatically).")
    var managePeers = false

    @Option(name: .customLong("app-id"), help: "Peer-management app id (the uri of peer messages).")
    var appID = "netaio"

    @Option(name: .customLong("peer-id"), help: "This node's peer id (default: 16 random bytes as hex).")
    var peerID: String?

    /// The local peer record: id, and data = packify of an empty dict (netaio's convention).
    func localPeer() -> Peer {
        let id = peerID.map { Array($0.utf8) } ?? Array(Hex.encode(SystemRandomSource().bytes(16)).utf8)
        let data = (try? Packify.encode(.dict([]))) ?? []
        return Peer(id: id, data: data)
    }
}

/// Logs hardening limits and drops on stderr with --verbose.
func installLogging(_ node: NetaioNode, verbose: Bool) async throws {
    guard verbose else { return }
    try await node.onLimit { event, id in printLog("limit: \(event.rawValue) \(id.map { "\($0)" } ?? "")") }
    try await node.onEvent { event in printLog("event: \(event)") }
}
