import NetaioFuzzChecks

// libFuzzer target; the property lives in NetaioFuzzChecks (FuzzCheck.packifyDecode), shared with
// the corpus replay test. A no-op executable in a normal build (docs/fuzzing.md).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPackifyDecode(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzCheck.packifyDecode.fuzz(data, size)
}
