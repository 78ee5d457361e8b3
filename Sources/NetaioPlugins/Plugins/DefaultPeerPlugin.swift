/// netaio's `DefaultPeerPlugin` (docs/PROTOCOL.md §5.7): peer records travel as the packify
/// tuple `(id, data)` and peer data is a packify value (by convention a dict).
///
/// Stricter than Python in one place: `unpack` requires a 2-element list or tuple of
/// bytes-or-None, where Python accepts any 2-item iterable and any member types (Q11).
public struct DefaultPeerPlugin: PeerPlugin {
    public init() {}

    /// netaio: a peer is valid when it has an id.
    public func validate(_ peer: Peer) -> Bool { peer.id != nil }

    /// `packify.unpack(peer.data)` (bytes after the value are ignored, as in packify).
    public func parseData(_ peer: Peer) throws(PluginError) -> PackifyValue {
        guard let data = peer.data else { throw .peerDataMissing }
        do {
            return try Packify.decode(data)
        } catch {
            throw .invalidPeerData(error)
        }
    }

    /// `packify.pack(data)`; the peer id is ignored.
    public func encodeData(_ data: PackifyValue, peerID: [UInt8]?) throws(PluginError) -> [UInt8] {
        do {
            return try Packify.encode(data)
        } catch {
            throw .unencodablePeerData(error)
        }
    }

    /// `packify.pack((peer.id, peer.data))`, None for a missing member; no addresses.
    public func pack(_ peer: Peer) throws(PluginError) -> [UInt8] {
        let record = PackifyValue.tuple([peer.id.map { .bytes($0) } ?? .none, peer.data.map { .bytes($0) } ?? .none])
        do {
            return try Packify.encode(record)
        } catch {
            throw .unencodablePeerData(error)
        }
    }

    public func unpack(_ bytes: [UInt8]) throws(PluginError) -> Peer {
        let value: PackifyValue
        do {
            value = try Packify.decode(bytes)
        } catch {
            throw .invalidPeerData(error)
        }
        let items: [PackifyValue]
        switch value {
        case .tuple(let i), .list(let i): items = i
        default: throw .malformedPeerRecord("a \(value.typeName), not an (id, data) tuple")
        }
        guard items.count == 2 else { throw .malformedPeerRecord("\(items.count) items, not 2") }
        return Peer(id: try Self.member(items[0], "id"), data: try Self.member(items[1], "data"))
    }

    private static func member(_ value: PackifyValue, _ name: String) throws(PluginError) -> [UInt8]? {
        switch value {
        case .none: return nil
        case .bytes(let b), .bytearray(let b): return b
        default: throw .malformedPeerRecord("\(name) is a \(value.typeName), not bytes or None")
        }
    }
}
