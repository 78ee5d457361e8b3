import NetaioWire

/// libFuzzer target: packify decoding never traps, and whatever decodes has a canonical
/// encoding that is a fixpoint: encode(decode(encode(decode(x)))) == encode(decode(x)).
/// Build: swift build -c release --product FuzzPackifyDecode --sanitize=fuzzer --scratch-path .build-fuzz
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPackifyDecode(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard let value = try? Packify.decode(input) else { return 0 }
    guard let canonical = try? Packify.encode(value) else {
        fatalError("decoded value cannot be re-encoded: \(value)")
    }
    guard let again = try? Packify.decode(canonical), let twice = try? Packify.encode(again), twice == canonical else {
        fatalError("canonical encoding is not a fixpoint for \(value)")
    }
    return 0
}
