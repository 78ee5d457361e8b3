/// netaio's peer plugin contract (docs/PROTOCOL.md §5.7): how a node's identity travels in
/// ADVERTISE_PEER / PEER_DISCOVERED / DISCONNECT and how peer data is read.
public protocol PeerPlugin: Sendable {
    /// Whether a peer record is acceptable (netaio itself never calls it).
    func validate(_ peer: Peer) -> Bool

    /// The peer's data as a value; by convention a dict such as `{"pubkey": ...}`.
    func parseData(_ peer: Peer) throws(PluginError) -> PackifyValue

    /// The bytes to store as a peer's data.
    func encodeData(_ data: PackifyValue, peerID: [UInt8]?) throws(PluginError) -> [UInt8]

    /// The content of peer-management messages: the peer's identity without addresses.
    func pack(_ peer: Peer) throws(PluginError) -> [UInt8]

    /// Reads `pack`'s output; the result has no addresses and `lastRx` 0 (the node sets
    /// both when it records the peer).
    func unpack(_ bytes: [UInt8]) throws(PluginError) -> Peer
}

extension PeerPlugin {
    public func encodeData(_ data: PackifyValue) throws(PluginError) -> [UInt8] {
        try encodeData(data, peerID: nil)
    }
}
