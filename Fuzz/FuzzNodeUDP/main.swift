import NetaioFuzzChecks
import NetaioFuzzChecksNode

// libFuzzer target; the property lives in NetaioFuzzChecksNode (FuzzCheck.nodeUDP), shared
// with the corpus replay test. A no-op executable in a normal build (docs/fuzzing.md).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNodeUDP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzCheck.nodeUDP.fuzz(data, size)
}
