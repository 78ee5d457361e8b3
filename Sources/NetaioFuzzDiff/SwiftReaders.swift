import NetaioWire

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
