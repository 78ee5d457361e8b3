/// One thing that happened in a simulated run. The trace hash covers every record, in
/// order, in a fixed binary encoding (see `TraceHasher`); the text `detail` is kept only
/// when the run records its trace (for `--trace` and the timeline picture).
public struct TraceRecord: Sendable {
    public enum Kind: UInt8, Sendable, CaseIterable {
        /// A node put a datagram or stream segment on the wire (`packet` numbers it).
        case send = 1
        /// A packet reached a node's engine.
        case deliver = 2
        /// The network lost a packet (loss, partition, queue overflow, host down, no such host).
        case drop = 3
        case duplicate = 4
        case corrupt = 5
        case timer = 6
        case peerAdded = 7
        case peerRemoved = 8
        case requestCompleted = 9
        case requestFailed = 10
        /// The engine dropped input or could not send (typed reason in detail).
        case engineDrop = 11
        case connect = 12
        case accept = 13
        case connected = 14
        case closed = 15
        case start = 16
        case stop = 17
        case crash = 18
        case partition = 19
        case heal = 20
        /// A scenario step or observation (handler call, request sent, fault change).
        case note = 21
        case multicast = 22

        public var name: String {
            switch self {
            case .send: "send"
            case .deliver: "deliver"
            case .drop: "drop"
            case .duplicate: "duplicate"
            case .corrupt: "corrupt"
            case .timer: "timer"
            case .peerAdded: "peer_added"
            case .peerRemoved: "peer_removed"
            case .requestCompleted: "request_completed"
            case .requestFailed: "request_failed"
            case .engineDrop: "engine_drop"
            case .connect: "connect"
            case .accept: "accept"
            case .connected: "connected"
            case .closed: "closed"
            case .start: "start"
            case .stop: "stop"
            case .crash: "crash"
            case .partition: "partition"
            case .heal: "heal"
            case .note: "note"
            case .multicast: "multicast"
            }
        }
    }

    public var time: SimTime
    public var kind: Kind
    /// The node it happened at (-1: the network as a whole).
    public var node: Int32
    /// The other node involved (sender of a delivery, receiver of a send), or -1.
    public var other: Int32
    /// Packet number for send/deliver/drop/duplicate/corrupt, else 0.
    public var packet: UInt64
    /// Frame size in bytes, for network records.
    public var size: Int32
    /// The message type byte of a frame (255 when none).
    public var messageType: UInt8
    public var detail: String
}
