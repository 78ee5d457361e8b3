import NetaioFuzzChecks
import NetaioFuzzChecksNode

// libFuzzer target; the property lives in NetaioFuzzChecksNode (FuzzCheck.tapescript),
// shared with the corpus replay test. A no-op executable in a normal build (docs/fuzzing.md).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTapescript(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzCheck.tapescript.fuzz(data, size)
}
