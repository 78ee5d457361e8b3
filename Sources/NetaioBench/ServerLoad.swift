#if canImport(Glibc)
import Glibc
import NetaioPlugins
import NetaioWire

/// `netaio-bench server-load`: a closed-loop request/response load generator for any
/// netaio TCP server running the reference resource behaviour (`netaio serve`,
/// scripts/python-peers/serve.py). One thread, raw non-blocking sockets and poll(2), so
/// the generator costs a few syscalls per request and is not the bottleneck:
///
/// * each of `clients` connections keeps exactly one REQUEST_URI outstanding and sends
///   the next one as soon as the RESPOND_URI arrives (latency = send → full reply);
/// * requests are pre-encoded (with `--hmac-secret`, a pool of frames signed with fresh
///   nonces, reused round-robin: netaio has no replay protection, Q8); replies are
///   delimited by their header and checked for type RESPOND_URI, not authenticated;
/// * `--idle N --server-pid PID` instead measures the server's resident memory (VmRSS)
///   before and after opening N connections that each complete one request and then
///   stay idle, i.e. the memory cost of an idle connection.
///
/// Output: one JSON line per run.
struct ServerLoad {
    var host = "127.0.0.1"
    var port: UInt16 = 0
    var clients = 1
    var seconds = 5.0
    var warmup = 1.0
    var hmacSecret: String?
    var label = "server"
    var idleConnections = 0
    var serverPID: Int32 = 0

    static let usage = """
        usage: netaio-bench server-load --port P [--host H] [--clients N] [--seconds S]
                 [--warmup S] [--hmac-secret S] [--label NAME]
               netaio-bench server-load --port P --idle N --server-pid PID [--hmac-secret S]
        """

    init(arguments: [String]) throws {
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let v = rest.popFirst() else { throw LoadError.usage("\(flag) needs a value") }
            return v
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--host": host = try value(flag)
            case "--port": port = try UInt16(value(flag)).orThrow(.usage("bad --port"))
            case "--clients": clients = try Int(value(flag)).orThrow(.usage("bad --clients"))
            case "--seconds": seconds = try Double(value(flag)).orThrow(.usage("bad --seconds"))
            case "--warmup": warmup = try Double(value(flag)).orThrow(.usage("bad --warmup"))
            case "--hmac-secret": hmacSecret = try value(flag)
            case "--label": label = try value(flag)
            case "--idle": idleConnections = try Int(value(flag)).orThrow(.usage("bad --idle"))
            case "--server-pid": serverPID = try Int32(value(flag)).orThrow(.usage("bad --server-pid"))
            default: throw LoadError.usage("unknown argument \(flag)")
            }
        }
        guard port != 0, clients >= 1, seconds > 0, warmup >= 0 else { throw LoadError.usage("need --port, positive counts") }
        if idleConnections > 0 && serverPID <= 0 { throw LoadError.usage("--idle needs --server-pid") }
    }

    static let uri = Array("bench/item".utf8)
    static let content = [UInt8](repeating: UInt8(ascii: "x"), count: 64)

    func run() throws {
        let frames = try requestFrames(count: hmacSecret == nil ? 1 : 1024)
        try createItem()
        if idleConnections > 0 {
            try measureIdle(frame: frames[0])
        } else {
            try measureLoad(frames: frames)
        }
    }

    // MARK: frames

    func signed(_ message: Message) throws -> [UInt8] {
        var message = message
        if let hmacSecret {
            try HMACAuthPlugin(secret: hmacSecret).make(
                &message.authFields, body: message.body, context: .system(), peer: nil, peerPlugin: nil)
        }
        return try message.encode()
    }

    func requestFrames(count: Int) throws -> [[UInt8]] {
        try (0..<count).map { _ in try signed(Message(type: .requestURI, uri: Self.uri)) }
    }

    /// CREATE_URI the item every request reads, on a connection of its own.
    func createItem() throws {
        let connection = try Connection(host: host, port: port)
        defer { connection.close() }
        try connection.sendAll(signed(Message(type: .createURI, uri: Self.uri, content: Self.content)))
        let reply = try connection.readFrameBlocking()
        guard reply.first == MessageType.ok.rawValue else { throw LoadError.unexpectedReply(reply.first ?? 255) }
    }

    // MARK: load

    func measureLoad(frames: [[UInt8]]) throws {
        let connections = try (0..<clients).map { _ in try Connection(host: host, port: port) }
        defer { connections.forEach { $0.close() } }
        let poller = Poller()
        for (index, connection) in connections.enumerated() {
            try connection.makeNonBlocking()
            try poller.add(fd: connection.fd, token: index)
        }
        var nextFrame = 0
        func sendNext(_ index: Int, now: UInt64) throws {
            connections[index].sentAt = now
            try connections[index].sendAll(frames[nextFrame])
            nextFrame = (nextFrame + 1) % frames.count
        }
        let start = monotonicNanos()
        let measureFrom = start + UInt64(warmup * 1e9)
        let end = measureFrom + UInt64(seconds * 1e9)
        for index in connections.indices { try sendNext(index, now: start) }
        var latencies: [UInt64] = []
        latencies.reserveCapacity(Int(seconds * 200_000))
        var errors = 0
        var allReplies = 0  // warm-up included: what the server's CPU time is divided by
        var now = start
        while now < end {
            for token in try poller.wait(timeoutMilliseconds: 100) {
                let replies = try connections[token].readAvailableFrames()
                now = monotonicNanos()
                for type in replies {
                    allReplies += 1
                    if type != MessageType.respondURI.rawValue { errors += 1 }
                    if now >= measureFrom && now < end { latencies.append(now - connections[token].sentAt) }
                    try sendNext(token, now: now)
                }
            }
            now = monotonicNanos()
        }
        latencies.sort()
        let count = latencies.count
        func percentile(_ p: Double) -> Double {
            count == 0 ? 0 : Double(latencies[min(count - 1, Int(Double(count) * p))]) / 1000
        }
        print(#"{"label":"\#(label)","clients":\#(clients),"hmac":\#(hmacSecret != nil),"seconds":\#(seconds),"#
            + #""responses":\#(count),"req_per_s":\#(Double(count) / seconds),"#
            + #""p50_us":\#(percentile(0.50)),"p99_us":\#(percentile(0.99)),"errors":\#(errors),"#
            + #""all_responses":\#(allReplies)}"#)
    }

    // MARK: idle connections

    func measureIdle(frame: [UInt8]) throws {
        let before = try residentKiB(pid: serverPID)
        var connections: [Connection] = []
        defer { connections.forEach { $0.close() } }
        for _ in 0..<idleConnections {
            let connection = try Connection(host: host, port: port)
            connections.append(connection)
            try connection.sendAll(frame)
        }
        // One full round trip on every connection: the server has accepted it and set up
        // everything it keeps per connection.
        for connection in connections {
            let reply = try connection.readFrameBlocking()
            guard reply.first == MessageType.respondURI.rawValue else { throw LoadError.unexpectedReply(reply.first ?? 255) }
        }
        usleep(500_000)
        let after = try residentKiB(pid: serverPID)
        let perConnection = Double(after - before) * 1024 / Double(idleConnections)
        print(#"{"label":"\#(label)","idle_connections":\#(idleConnections),"rss_before_kib":\#(before),"#
            + #""rss_after_kib":\#(after),"bytes_per_idle_connection":\#(perConnection)}"#)
    }
}

enum LoadError: Error, CustomStringConvertible {
    case usage(String)
    case system(String, Int32)
    case unexpectedReply(UInt8)
    case closed

    var description: String {
        switch self {
        case .usage(let text): "\(text)\n\(ServerLoad.usage)"
        case .system(let call, let code): "\(call): \(String(cString: strerror(code)))"
        case .unexpectedReply(let type): "unexpected reply type \(type)"
        case .closed: "the server closed a connection"
        }
    }
}

extension Optional {
    func orThrow(_ error: LoadError) throws -> Wrapped {
        guard let self else { throw error }
        return self
    }
}

func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// VmRSS of a process, from /proc/PID/status.
func residentKiB(pid: Int32) throws -> Int {
    guard let file = fopen("/proc/\(pid)/status", "r") else { throw LoadError.system("open /proc/\(pid)/status", errno) }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix("VmRSS:") {
            return Int(text.dropFirst(6).filter(\.isNumber)) ?? 0
        }
    }
    throw LoadError.system("VmRSS not found", 0)
}

/// One client connection with a receive buffer that splits replies at frame boundaries.
final class Connection {
    let fd: Int32
    var sentAt: UInt64 = 0
    private var buffer = [UInt8](repeating: 0, count: 1 << 17)
    private var filled = 0

    init(host: String, port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoadError.system("socket", errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw LoadError.usage("--host must be an IPv4 address") }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { let code = errno; Glibc.close(fd); throw LoadError.system("connect", code) }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    func makeNonBlocking() throws {
        guard fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0 else { throw LoadError.system("fcntl", errno) }
    }

    func close() { Glibc.close(fd) }

    /// Requests are small, so a write to a socket with nothing outstanding completes at
    /// once; EAGAIN is waited out with poll for safety.
    func sendAll(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n > 0 { offset += n; continue }
            if n < 0 && (errno == EAGAIN || errno == EINTR) {
                var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                poll(&p, 1, 1000)
                continue
            }
            throw LoadError.system("write", errno)
        }
    }

    /// Reads what is there and returns the type byte of every complete frame.
    func readAvailableFrames() throws -> [UInt8] {
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n > 0 { filled += n; break }
            if n == 0 { throw LoadError.closed }
            if errno == EINTR { continue }
            if errno == EAGAIN { return [] }
            throw LoadError.system("read", errno)
        }
        var types: [UInt8] = []
        var offset = 0
        while filled - offset >= 9 {
            let authLength = Int(buffer[offset + 1]) << 8 | Int(buffer[offset + 2])
            let bodyLength = Int(buffer[offset + 3]) << 8 | Int(buffer[offset + 4])
            let size = 9 + authLength + bodyLength
            guard filled - offset >= size else { break }
            types.append(buffer[offset])
            offset += size
        }
        if offset > 0 {
            buffer.withUnsafeMutableBytes { raw in
                _ = memmove(raw.baseAddress!, raw.baseAddress! + offset, filled - offset)
            }
            filled -= offset
        }
        return types
    }

    /// Blocking read of one whole frame (set-up and idle measurement only).
    func readFrameBlocking() throws -> [UInt8] {
        var frame: [UInt8] = []
        func need(_ count: Int) throws {
            while frame.count < count {
                var chunk = [UInt8](repeating: 0, count: count - frame.count)
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                if n == 0 { throw LoadError.closed }
                if n < 0 { if errno == EINTR { continue }; throw LoadError.system("read", errno) }
                frame += chunk.prefix(n)
            }
        }
        try need(9)
        try need(9 + (Int(frame[1]) << 8 | Int(frame[2])) + (Int(frame[3]) << 8 | Int(frame[4])))
        return frame
    }
}

/// poll(2) over the client sockets (Glibc does not export epoll; for 64 descriptors
/// poll's linear scan costs well under a microsecond).
final class Poller {
    private var descriptors: [pollfd] = []

    func add(fd socket: Int32, token: Int) throws {
        precondition(token == descriptors.count, "tokens are the connection indices, in order")
        descriptors.append(pollfd(fd: socket, events: Int16(POLLIN), revents: 0))
    }

    /// Indices of the readable (or failed) sockets.
    func wait(timeoutMilliseconds: Int32) throws -> [Int] {
        let n = poll(&descriptors, nfds_t(descriptors.count), timeoutMilliseconds)
        if n < 0 { if errno == EINTR { return [] }; throw LoadError.system("poll", errno) }
        return descriptors.indices.filter { descriptors[$0].revents != 0 }
    }
}
#endif
