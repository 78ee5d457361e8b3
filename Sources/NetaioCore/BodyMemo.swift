import NetaioWire

/// A message body remembered with the CRC-32 of its block (`u16(uri.count) ‖ uri ‖
/// content`): the hint for decoding the next frame that carries the same body. Such a
/// frame shares these arrays instead of copying its own, and needs no CRC pass when its
/// header carries this checksum (`FrameDecoder.decodeMessage`'s `hintsChecksum`).
///
/// The peer book keeps one per peer (the record it was last refreshed from: peers
/// re-advertise the same bytes). A driver that hands the same datagram to many engines
/// — the simulator's multicast, or one sender's many replies — can keep one per sender
/// and pass it to `NodeEngine.received(datagram:from:sharing:)`: every receiver then
/// holds the very same arrays, so a frame touches memory the previous receiver just
/// warmed instead of its own copy. A struct, not a class: the peer book's slots hold it
/// inline, and a per-receiver object would be one more cold line per frame.
public struct BodyMemo {
    let uri: [UInt8]
    let content: [UInt8]
    /// CRC-32 of the body block `uri` and `content` make.
    let checksum: UInt32

    /// Remembers a message's body, computing its checksum (one pass per record change).
    init(remembering message: Message) {
        uri = message.uri
        content = message.content
        checksum = message.body.checksum
    }

    /// Remembers the body of a frame whose header checksum matched it.
    init(verified message: Message, checksum: UInt32) {
        uri = message.uri
        content = message.content
        self.checksum = checksum
    }
}
