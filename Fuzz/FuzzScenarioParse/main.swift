import NetaioFuzzChecks
import NetaioFuzzChecksScenario

// libFuzzer target; the property lives in NetaioFuzzChecksScenario (FuzzCheck.scenarioParse),
// shared with the corpus replay test. A no-op executable in a normal build (docs/fuzzing.md).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenarioParse(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzCheck.scenarioParse.fuzz(data, size)
}
