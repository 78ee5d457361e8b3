import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What went wrong talking to the implementation under test.
public enum WireFailure: Error, CustomStringConvertible, Equatable {
    case resolve(String)
    case connect(String)
    case send(String)
    /// The peer closed the connection (TCP EOF or reset).
    case closed
    case timeout(Double)
    /// A reply that does not decode as a frame.
    case malformed(String)

    public var description: String {
        switch self {
        case .resolve(let s): "cannot resolve \(s)"
        case .connect(let s): "cannot connect: \(s)"
        case .send(let s): "send failed: \(s)"
        case .closed: "the implementation closed the connection"
        case .timeout(let t): "no reply within \(t) s"
        case .malformed(let s): "malformed reply: \(s)"
        }
    }
}

/// A plain POSIX socket: the suite drives the implementation byte by byte (garbage,
/// partial frames, slow writers), which no framing library would let it do.
final class Socket {
    let fd: Int32
    private(set) var isClosed = false

    init(fd: Int32) { self.fd = fd }
    deinit { close() }

    func close() {
        if !isClosed {
            isClosed = true
            _ = Glibc.close(fd)
        }
    }

    /// Raises this process's soft RLIMIT_NOFILE towards `wanted` (never above the hard
    /// limit, never lowering it); returns the soft limit now in force.
    static func raiseDescriptorLimit(to wanted: Int) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_cur < rlim_t(wanted) {
            limit.rlim_cur = min(rlim_t(wanted), limit.rlim_max)
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return limit.rlim_cur >= rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
    }

    /// Resolves host:port (numeric or name, IPv4 or IPv6) for a stream or datagram socket.
    static func resolve(host: String, port: Int, datagram: Bool) throws(WireFailure) -> (family: Int32, address: [UInt8]) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(datagram ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let info = result else {
            throw .resolve("\(host):\(port)")
        }
        defer { freeaddrinfo(result) }
        let bytes = [UInt8](UnsafeRawBufferPointer(start: info.pointee.ai_addr, count: Int(info.pointee.ai_addrlen)))
        return (info.pointee.ai_family, bytes)
    }

    static func tcp(host: String, port: Int, timeout: Double) throws(WireFailure) -> Socket {
        let (family, address) = try resolve(host: host, port: port, datagram: false)
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .connect(String(cString: strerror(errno))) }
        let s = Socket(fd: fd)
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        // Non-blocking connect bounded by the timeout, then back to blocking I/O with poll.
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let rc = address.withUnsafeBytes { connect(fd, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(address.count)) }
        if rc != 0 && errno != EINPROGRESS { throw .connect(String(cString: strerror(errno))) }
        if rc != 0 {
            guard s.wait(for: Int16(POLLOUT), timeout: timeout) else { throw .connect("timed out after \(timeout) s") }
            var err: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
            if err != 0 { throw .connect(String(cString: strerror(err))) }
        }
        _ = fcntl(fd, F_SETFL, flags)
        return s
    }

    static func udp(host: String, port: Int) throws(WireFailure) -> (Socket, [UInt8]) {
        let (family, address) = try resolve(host: host, port: port, datagram: true)
        let fd = socket(family, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw .connect(String(cString: strerror(errno))) }
        return (Socket(fd: fd), address)
    }

    /// Waits until `events` are possible; false on timeout.
    func wait(for events: Int16, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return false }
            var p = pollfd(fd: fd, events: events, revents: 0)
            let n = poll(&p, 1, Int32(left * 1000) + 1)
            if n > 0 { return true }
            if n < 0 && errno != EINTR { return true }  // let the read/write report it
        }
    }

    func sendAll(_ bytes: [UInt8]) throws(WireFailure) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE || errno == ECONNRESET { throw .closed }
                throw .send(String(cString: strerror(errno)))
            }
            offset += n
        }
    }

    /// Up to `max` bytes; empty means EOF.
    func receive(max: Int = 65536, timeout: Double) throws(WireFailure) -> [UInt8] {
        guard wait(for: Int16(POLLIN), timeout: timeout) else { throw .timeout(timeout) }
        var buffer = [UInt8](repeating: 0, count: max)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, max, 0) }
        if n < 0 {
            if errno == ECONNRESET { return [] }
            throw .send(String(cString: strerror(errno)))
        }
        return Array(buffer[..<n])
    }

    func sendTo(_ bytes: [UInt8], address: [UInt8]) throws(WireFailure) {
        let n = bytes.withUnsafeBytes { b in
            address.withUnsafeBytes { a in
                sendto(fd, b.baseAddress, bytes.count, 0, a.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(address.count))
            }
        }
        if n < 0 { throw .send(String(cString: strerror(errno))) }
    }

    /// Whether the peer has closed a TCP connection (readable with EOF or reset), checked
    /// without consuming data beyond a peek.
    func peerClosed(within timeout: Double) -> Bool {
        guard wait(for: Int16(POLLIN), timeout: timeout) else { return false }
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, Int32(MSG_PEEK))
        return n == 0 || (n < 0 && errno == ECONNRESET)
    }
}
