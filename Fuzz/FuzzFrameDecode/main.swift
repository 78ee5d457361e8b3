import NetaioWire

/// libFuzzer target: frame decoding (strict and the reference readers) never traps; the
/// strict decoder never accepts what the reference reader rejects; an accepted frame
/// re-encodes to a frame that decodes to the same message (a fixpoint after one pass).
/// Build: swift build -c release --product FuzzFrameDecode --sanitize=fuzzer --scratch-path .build-fuzz
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrameDecode(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? ReferenceReaders.udpParse(input)
    _ = try? ReferenceReaders.tcpRead(input[...])
    let reference = try? ReferenceReaders.messageDecode(input)
    guard let message = try? Message.decode(input) else { return 0 }
    if reference == nil { fatalError("strict decoder accepted a frame the reference rejects") }
    guard let frame = try? message.encode(), let again = try? Message.decode(frame) else {
        fatalError("accepted message cannot be re-encoded and decoded")
    }
    guard again.type == message.type, again.body == message.body, (try? again.encode()) == frame else {
        fatalError("re-encoding is not stable")
    }
    return 0
}
