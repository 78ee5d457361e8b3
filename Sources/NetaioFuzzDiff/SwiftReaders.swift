import NetaioWire
import NetaioPlugins

/// The Swift side of each differential op: the Python-exact reference readers (and the
/// packify decoder), mapped to `Outcome`.
enum SwiftReaders {
    static func unpack(_ input: [UInt8]) -> Outcome {
        do { return .accepted(.value(try Packify.decode(input))) } catch { return .rejected("\(error)") }
    }

    static func frame(_ f: ReferenceReaders.Frame) -> Decoded {
        .frame(type: f.header.messageType.rawValue, auth: f.authBlock, uri: f.body.uri, content: f.body.content)
    }

    static func messageDecode(_ input: [UInt8]) -> Outcome {
        do { return .accepted(frame(try ReferenceReaders.messageDecode(input))) } catch { return .rejected("\(error)") }
    }

    static func udpParse(_ input: [UInt8]) -> Outcome {
        do {
            let f = try ReferenceReaders.udpParse(input)
            return .accepted(f.checksumMatches ? frame(f) : .checksumFailed)
        } catch {
            return .rejected("\(error)")
        }
    }

    /// Frames until the stream is used up or a read fails (that entry is the error).
    static func tcpRead(_ input: [UInt8]) -> Outcome {
        var entries: [Outcome] = []
        var rest = input[...]
        while !rest.isEmpty {
            do {
                let (f, consumed) = try ReferenceReaders.tcpRead(rest)
                entries.append(.accepted(f.checksumMatches ? frame(f) : .checksumFailed))
                rest = rest.dropFirst(consumed)
            } catch {
                entries.append(.rejected("\(error)"))
                break
            }
        }
        return .accepted(.stream(entries))
    }
}

/// Plugin ops over frames: the plugins see what Python's `Message.decode` gives them.
extension SwiftReaders {
    static let context = PluginContext(random: SeededRandomSource(seed: 1), clock: FixedUnixClock(1_700_000_000))

    /// The reference reader's message, when its auth block is a str-keyed dict (Python
    /// hands plugins any auth value; we cannot, docs/differences.md).
    static func referenceMessage(_ input: [UInt8]) -> Result<Message, Refusal> {
        guard let f = try? ReferenceReaders.messageDecode(input) else { return .failure(Refusal("not a frame")) }
        guard case .dict(let entries) = f.authBlock else { return .failure(Refusal("auth block is not a dict")) }
        var fields = AuthFields()
        for entry in entries {
            guard case .string(let name) = entry.key else { return .failure(Refusal("auth field name is not a str")) }
            fields[name] = entry.value
        }
        return .success(Message(type: f.header.messageType, authFields: fields, body: f.body))
    }

    /// `HMACAuthPlugin({"secret": "test"}).check(...)`.
    static func hmacCheck(_ input: [UInt8]) -> Outcome {
        switch referenceMessage(input) {
        case .failure(let why): return .rejected(why.reason)
        case .success(let m): return .accepted(.value(.bool(HMACAuthPlugin(secret: "test").check(m, context: context))))
        }
    }

    /// `Sha256StreamCipherPlugin({"key": "test", "encrypt_uri": mode}).decrypt(...)`, re-encoded.
    static func streamDecrypt(_ input: [UInt8], encryptURI: Bool) -> Outcome {
        switch referenceMessage(input) {
        case .failure(let why): return .rejected(why.reason)
        case .success(let m):
            do {
                let plain = try Sha256StreamCipherPlugin(key: "test", encryptURI: encryptURI).decrypt(m, context: context)
                return .accepted(.value(.bytes(try plain.encode())))
            } catch {
                return .rejected("\(error)")
            }
        }
    }
}

/// Why the Swift side did not get as far as the plugin.
struct Refusal: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
