import NetaioFuzzChecks

// libFuzzer target; the property lives in NetaioFuzzChecks (FuzzCheck.bodyDecode), shared with
// the corpus replay test. A no-op executable in a normal build (docs/fuzzing.md).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBodyDecode(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzCheck.bodyDecode.fuzz(data, size)
}
