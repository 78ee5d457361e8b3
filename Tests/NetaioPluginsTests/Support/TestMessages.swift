import NetaioTestSupport
import NetaioPlugins

/// Small builders shared by the unit tests.
enum TestMessages {
    static let context = PluginContext(random: SeededRandomSource(seed: 1), clock: FixedUnixClock(1_700_000_000.5))

    static func publish(_ uri: String = "topic", _ content: String = "hello world", fields: AuthFields = AuthFields()) -> Message {
        Message(type: .publishURI, uri: Array(uri.utf8), content: Array(content.utf8), authFields: fields)
    }

    /// Peer data `{"pubkey": key}` as the default peer plugin encodes it.
    static func peer(pubkey: PackifyValue) throws -> Peer {
        Peer(id: [0xAA], data: try DefaultPeerPlugin().encodeData(.dict([PackifyDictEntry("pubkey", pubkey)])))
    }
}

extension Message {
    /// A copy with one auth field replaced (nil removes it).
    func with(_ name: String, _ value: PackifyValue?) -> Message {
        var m = self
        m.authFields[name] = value
        return m
    }
}
