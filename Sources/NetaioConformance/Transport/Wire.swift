import Foundation
import NetaioWire

/// One channel to the implementation under test: a TCP connection or a UDP socket
/// talking to its address. Sends raw bytes, reads whole frames.
public final class Wire {
    public enum Kind: String, Sendable { case tcp, udp }
    public let kind: Kind
    let socket: Socket
    private let udpAddress: [UInt8]
    private var buffer: [UInt8] = []

    private init(kind: Kind, socket: Socket, udpAddress: [UInt8] = []) {
        self.kind = kind
        self.socket = socket
        self.udpAddress = udpAddress
    }

    public static func open(_ target: ConformanceTarget, timeout: Double) throws(WireFailure) -> Wire {
        switch target.kind {
        case .tcp: return Wire(kind: .tcp, socket: try Socket.tcp(host: target.host, port: target.port, timeout: timeout))
        case .udp:
            let (s, address) = try Socket.udp(host: target.host, port: target.port)
            return Wire(kind: .udp, socket: s, udpAddress: address)
        }
    }

    public func close() { socket.close() }
    public var isClosed: Bool { socket.isClosed }

    public func send(_ bytes: [UInt8]) throws(WireFailure) {
        switch kind {
        case .tcp: try socket.sendAll(bytes)
        case .udp: try socket.sendTo(bytes, address: udpAddress)
        }
    }

    /// The next frame's bytes: TCP reads exactly header + lengths; UDP one datagram.
    public func receiveFrame(timeout: Double) throws(WireFailure) -> [UInt8] {
        let deadline = Date().addingTimeInterval(timeout)
        if kind == .udp { return try socket.receive(timeout: timeout) }
        while true {
            if let length = FrameDecoder.frameLength(header: buffer.prefix(9)), buffer.count >= length {
                let frame = Array(buffer[..<length])
                buffer.removeFirst(length)
                return frame
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw .timeout(timeout) }
            let chunk = try socket.receive(timeout: left)
            if chunk.isEmpty { throw .closed }
            buffer.append(contentsOf: chunk)
        }
    }

    /// TCP: whether the implementation closed this connection within `timeout`.
    public func closedByPeer(within timeout: Double) -> Bool {
        kind == .tcp && buffer.isEmpty && socket.peerClosed(within: timeout)
    }
}
