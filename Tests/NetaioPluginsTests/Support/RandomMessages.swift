import NetaioTestSupport
import NetaioPlugins

/// Reproducible random messages for the interop tests: a standard type, a uri of 0–40
/// bytes and content of 0–300 bytes, all drawn from a seeded source.
enum RandomMessages {
    static func make(count: Int, seed: UInt64) -> [Message] {
        let random = SeededRandomSource(seed: seed)
        let types = MessageTypeSet.standard.entries.map(\.type)
        return (0..<count).map { _ in
            Message(
                type: types[random.integer(in: 0...(types.count - 1))],
                uri: random.bytes(random.integer(in: 0...40)),
                content: random.bytes(random.integer(in: 0...300)))
        }
    }
}
