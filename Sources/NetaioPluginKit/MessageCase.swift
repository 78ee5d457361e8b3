import NetaioPlugins

/// One random input of a randomized property: a message of some type with a uri, content
/// and auth fields another plugin already wrote (the kit checks they survive). Sizes are
/// mostly small, sometimes large, occasionally at `Body.prepare`'s limit.
public struct MessageCase: Sendable, Equatable, CustomStringConvertible {
    public var type: MessageType
    public var uri: [UInt8]
    public var content: [UInt8]
    /// Fields of "another plugin" sharing the message (names no bundled plugin uses).
    public var foreignFields: [String: [UInt8]]

    public init(type: MessageType, uri: [UInt8], content: [UInt8], foreignFields: [String: [UInt8]] = [:]) {
        self.type = type
        self.uri = uri
        self.content = content
        self.foreignFields = foreignFields
    }

    public static let foreignNames = ["x-other-tag", "x-other-nonce"]

    public var message: Message {
        var fields = AuthFields()
        for name in foreignFields.keys.sorted() { fields[name] = .bytes(foreignFields[name]!) }
        return Message(type: type, uri: uri, content: content, authFields: fields)
    }

    public var description: String {
        func show(_ b: [UInt8]) -> String {
            b.count <= 24 ? "\"\(Hex.encode(b))\"" : "\(b.count) bytes \"\(Hex.encode(b.prefix(12)))…\""
        }
        let foreign = foreignFields.keys.sorted().map { "\($0)=\(show(foreignFields[$0]!))" }
        return "\(type) uri=\(show(uri)) content=\(show(content))"
            + (foreign.isEmpty ? "" : " other fields: " + foreign.joined(separator: ", "))
    }

    /// A random case. `maxPayload` caps uri + content (a cipher's growth must still fit).
    public static func random(_ g: inout SplitMix64, maxPayload: Int = Body.maximumPayload()) -> MessageCase {
        let types = MessageType.standard.map(\.type)
        let type = types[g.int(in: 0...(types.count - 1))]
        func size(_ cap: Int) -> Int {
            switch g.int(in: 1...50) {
            case 1: return max(0, cap - g.int(in: 0...64))  // at the limit
            case 2...6: return g.int(in: 0...min(cap, 4096))
            default: return g.int(in: 0...min(cap, 48))
            }
        }
        let uriCount = g.chance(8) ? 0 : min(size(maxPayload), 300)
        let contentCount = min(size(maxPayload), maxPayload - uriCount)
        var foreign: [String: [UInt8]] = [:]
        for name in foreignNames where g.chance(2) { foreign[name] = g.bytes(g.int(in: 0...20)) }
        return MessageCase(type: type, uri: g.bytes(uriCount), content: g.bytes(contentCount), foreignFields: foreign)
    }

    /// Smaller or simpler variants, most aggressive first (for shrinking).
    public var shrinks: [MessageCase] {
        var out: [MessageCase] = []
        func with(_ change: (inout MessageCase) -> Void) {
            var c = self
            change(&c)
            if c != self { out.append(c) }
        }
        for part in [\MessageCase.content, \MessageCase.uri] {
            let bytes = self[keyPath: part]
            if bytes.isEmpty { continue }
            with { $0[keyPath: part] = [] }
            with { $0[keyPath: part] = Array(bytes.prefix(bytes.count / 2)) }
            with { $0[keyPath: part] = Array(bytes.suffix(bytes.count / 2)) }
            with { $0[keyPath: part] = Array(bytes.dropLast()) }
            with { $0[keyPath: part] = Array(bytes.dropFirst()) }
            with { $0[keyPath: part] = [UInt8](repeating: 0, count: bytes.count) }
        }
        for name in foreignFields.keys.sorted() { with { $0.foreignFields[name] = nil } }
        with { $0.type = .requestURI }
        return out
    }
}
