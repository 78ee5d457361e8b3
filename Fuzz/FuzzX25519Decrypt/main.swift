import NetaioFuzzChecks
import NetaioFuzzChecksNode

// libFuzzer target; the property lives in NetaioFuzzChecksNode (FuzzCheck.x25519), shared
// with the corpus replay test. A no-op executable in a normal build (docs/fuzzing.md).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzX25519Decrypt(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzCheck.x25519.fuzz(data, size)
}
