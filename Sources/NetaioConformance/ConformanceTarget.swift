/// The implementation under test: `tcp://HOST:PORT` or `udp://HOST:PORT` (IPv6 as `[::1]`).
public struct ConformanceTarget: Sendable, CustomStringConvertible {
    public let kind: Wire.Kind
    public let host: String
    public let port: Int

    public init(kind: Wire.Kind, host: String, port: Int) {
        self.kind = kind
        self.host = host
        self.port = port
    }

    public init?(_ url: String) {
        let parts = url.split(separator: "://", maxSplits: 1).map(String.init)
        guard parts.count == 2, let kind = Wire.Kind(rawValue: parts[0].lowercased()) else { return nil }
        var rest = parts[1]
        if rest.hasSuffix("/") { rest.removeLast() }
        let host: String, portText: String
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            guard after.hasPrefix(":") else { return nil }
            portText = String(after.dropFirst())
        } else {
            guard let colon = rest.lastIndex(of: ":") else { return nil }
            host = String(rest[..<colon])
            portText = String(rest[rest.index(after: colon)...])
        }
        guard !host.isEmpty, let port = Int(portText), (1...65535).contains(port) else { return nil }
        self.init(kind: kind, host: host, port: port)
    }

    public var description: String { "\(kind.rawValue)://\(host.contains(":") ? "[\(host)]" : host):\(port)" }
}
