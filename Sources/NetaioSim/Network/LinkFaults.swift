/// The behaviour of one direction of a link between two hosts. Datagrams (UDP, multicast)
/// suffer every fault; TCP streams turn loss into retransmission delay, drop corrupted
/// segments (the TCP checksum) and ignore duplicates, as a kernel would.
public struct LinkFaults: Sendable, Equatable {
    /// Probability that a datagram is lost.
    public var loss: Double = 0
    public var latency: LatencyDistribution = .fixed(0.001)
    /// Extra delay, uniform in [0, jitter) seconds, drawn per packet; makes datagrams overtake each other.
    public var jitter: Double = 0
    /// Probability that a datagram arrives twice (the copy gets its own delay).
    public var duplicate: Double = 0
    /// Probability that a datagram arrives with one byte flipped.
    public var corrupt: Double = 0
    /// Bytes per second on this direction; nil = unlimited.
    public var bandwidth: Double? = nil
    /// Most bytes waiting to be transmitted; datagrams beyond it are dropped (tail drop).
    public var queueLimit: Int? = nil

    public init() {}

    public static let perfect = LinkFaults()
}
