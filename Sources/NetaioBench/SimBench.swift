import Foundation
import NetaioScenario

/// The `sim` group: simulated events per second, the wall time of the 1,000-node,
/// 10-virtual-minute lossy discovery scenario, and memory per simulated node (growth of
/// the peak resident set over the run, divided by the node count).
/// `--scenario FILE` times that file alone (e.g. a shortened run under a profiler).
nonisolated(unsafe) var simScenarioFile: String?

enum SimBench {
    static func run(_ harness: Harness, quick: Bool) throws {
        let files = simScenarioFile.map { [$0] } ?? (quick
            ? ["Fixtures/scenarios/01-two-node-udp-discovery.yaml"]
            : ["Fixtures/scenarios/02-lan-50-nodes-lossy.yaml", "Fixtures/scenarios/12-discovery-1000-nodes.yaml"])
        for file in files {
            if let only = onlyRowsContaining, !file.contains(only) && !"sim".contains(only) { continue }
            guard let data = FileManager.default.contents(atPath: file) else {
                throw BenchError("cannot read \(file); run from the repository root")
            }
            let scenario = try ScenarioParser.parse(Array(data))
            let before = peakResidentBytes()
            let clock = ContinuousClock()
            let start = clock.now
            let result = ScenarioRunner.run(scenario, seed: scenario.seed)
            let d = clock.now - start
            let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            let grown = max(0, peakResidentBytes() - before)
            let perNode = Double(grown) / Double(scenario.nodes.count)
            let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            print(#"{"impl":"swift","name":"sim \#(name)","nodes":\#(scenario.nodes.count),"events":\#(result.eventsProcessed),"trace_records":\#(result.traceRecords),"wall_s":\#(seconds),"events_per_s":\#(Double(result.eventsProcessed) / seconds),"virtual_s":\#(result.virtualSeconds),"peak_rss_growth_bytes":\#(grown),"bytes_per_node":\#(perNode),"passed":\#(result.passed),"trace_hash":"\#(result.traceHash)"}"#)
            if !result.passed && simScenarioFile == nil { throw BenchError("\(file) failed its expectations") }
        }
    }

    /// Peak resident set size of this process (ru_maxrss is in KiB on Linux, bytes on macOS).
    static func peakResidentBytes() -> Int {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        #if os(Linux)
        return usage.ru_maxrss * 1024
        #else
        return usage.ru_maxrss
        #endif
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
