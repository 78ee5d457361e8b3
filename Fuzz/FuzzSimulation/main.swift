import Foundation
import NetaioFuzzChecks
import NetaioFuzzChecksScenario

// libFuzzer target: the input chooses the scenario and the schedule (docs/exploring.md,
// "FuzzSimulation"). A finding is also written as a scenario file, to replay and shrink
// without the fuzzer: ./fuzz-simulation-<size>-<seed>.yaml, or under
// $NETAIO_FUZZ_SCENARIOS. A no-op executable in a normal build (docs/fuzzing.md).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSimulation(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        try FuzzCheck.simulation.run(input)
    } catch {
        let (yaml, seed) = SimulationFuzz.scenario(for: input)
        let dir = ProcessInfo.processInfo.environment["NETAIO_FUZZ_SCENARIOS"] ?? "."
        let path = "\(dir)/fuzz-simulation-\(size)-\(seed).yaml"
        let written = FileManager.default.createFile(atPath: path, contents: Data(yaml.utf8))
        let whereTo = written ? "scenario written to \(path): netaio scenario run \(path)" : "could not write \(path)"
        fatalError("FuzzSimulation: \(error.description)\n\(whereTo)")
    }
    return 0
}
