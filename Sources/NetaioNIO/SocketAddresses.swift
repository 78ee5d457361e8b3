import NIOCore
import NetaioCore

extension Address {
    /// The netaio address of a socket peer: its numeric host text and port.
    init?(_ socketAddress: SocketAddress?) {
        guard let socketAddress, let ip = socketAddress.ipAddress, let port = socketAddress.port,
              let p = UInt16(exactly: port) else { return nil }
        self.init(host: ip, port: p)
    }

    /// A NIO socket address for a numeric host (no name resolution on the event loop).
    func socketAddress() throws -> SocketAddress {
        try SocketAddress(ipAddress: host, port: Int(port))
    }
}
