import NetaioCore
import NetaioFuzzChecks

extension FuzzCheck {
    /// The default peer plugin: unpack and parse_data never trap; an unpacked record packs
    /// back to bytes that unpack to the same record (a fixpoint); parsed peer data
    /// re-encodes to a fixpoint too.
    public static let peerPlugin = FuzzCheck("FuzzPeerPlugin") { input throws(FuzzFailure) in
        let plugin = DefaultPeerPlugin()
        if let peer = try? plugin.unpack(input) {
            try require(peer.addrs.isEmpty && peer.lastRx == 0, "unpack invented addresses or a time")
            guard let packed = try? plugin.pack(peer), let again = try? plugin.unpack(packed) else {
                throw FuzzFailure("an unpacked record cannot be packed and unpacked")
            }
            try require(again == peer && (try? plugin.pack(again)) == packed, "pack(unpack(x)) is not a fixpoint")
            _ = plugin.validate(peer)
        }
        let holder = Peer(id: [1], data: input)
        if let data = try? plugin.parseData(holder) {
            guard let encoded = try? plugin.encodeData(data), let reparsed = try? plugin.parseData(Peer(data: encoded)) else {
                throw FuzzFailure("parsed peer data cannot be encoded and parsed again")
            }
            try require((try? plugin.encodeData(reparsed)) == encoded, "peer data encoding is not a fixpoint")
        }
    }
}
