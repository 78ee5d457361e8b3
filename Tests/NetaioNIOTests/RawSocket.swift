#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NetaioNIO

/// A blocking TCP socket for misbehaving on purpose (slowloris, garbage, not reading),
/// which the well-behaved NIO client never does. Reads time out instead of hanging.
final class RawSocket {
    private let fd: Int32
    private var pending: [UInt8] = []

    init(_ address: Address, receiveBuffer: Int32? = nil) throws {
        let v6 = address.family == .ipv6
        fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawSocketError.failed("socket") }
        if let size = receiveBuffer {
            var s = size
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &s, socklen_t(MemoryLayout<Int32>.size))
        }
        let ok: Int32
        if v6 {
            var sa = sockaddr_in6()
            sa.sin6_family = sa_family_t(AF_INET6)
            sa.sin6_port = address.port.bigEndian
            inet_pton(AF_INET6, address.host, &sa.sin6_addr)
            ok = withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        } else {
            var sa = sockaddr_in()
            sa.sin_family = sa_family_t(AF_INET)
            sa.sin_port = address.port.bigEndian
            inet_pton(AF_INET, address.host, &sa.sin_addr)
            ok = withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        }
        guard ok == 0 else {
            close(fd)
            throw RawSocketError.failed("connect errno \(errno)")
        }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    func send(_ message: Message) throws { send(try message.encode()) }

    enum ReadResult: Equatable { case bytes([UInt8]), closed, timedOut }

    /// One read with a timeout.
    func read(timeout: Double) -> ReadResult {
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var buf = [UInt8](repeating: 0, count: 65536)
        let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 { return .bytes(Array(buf[0..<n])) }
        if n == 0 { return .closed }
        return errno == EAGAIN || errno == EWOULDBLOCK ? .timedOut : .closed
    }

    /// The next whole frame as a message, or nil on close/timeout.
    func readMessage(timeout: Double = 5) throws -> Message? {
        while true {
            if pending.count >= 9, let length = FrameDecoder.frameLength(header: pending.prefix(9)), pending.count >= length {
                let frame = Array(pending[0..<length])
                pending.removeFirst(length)
                return try Message.decode(frame)
            }
            guard case .bytes(let b) = read(timeout: timeout) else { return nil }
            pending += b
        }
    }

    /// Whether the server closes the connection within `timeout` (data is discarded).
    func closedByPeer(within timeout: Double) -> Bool {
        let deadline = Double(time(nil)) + timeout + 1
        while Double(time(nil)) < deadline {
            switch read(timeout: timeout) {
            case .closed: return true
            case .timedOut: return false
            case .bytes: continue
            }
        }
        return false
    }
}

enum RawSocketError: Error { case failed(String) }
