import Foundation
import NetaioExplore
import NetaioTestSupport
import Testing

/// Shards split a sweep across machines: disjoint, complete, and the merged reports
/// equal the unsharded run's.
@Suite struct ShardAndReportTests {
    @Test func shardsAreDisjointAndCoverTheRange() {
        let range: ClosedRange<UInt64> = 10...47
        for n in 1...5 {
            let parts = (1...n).map { Shard(index: $0, count: n).seeds(range) }
            let all = parts.flatMap { $0 }
            #expect(all.sorted() == Array(range))
            #expect(Set(all).count == all.count)
        }
        #expect(Shard("3/8") == Shard(index: 3, count: 8))
        for bad in ["0/2", "3/2", "2", "a/b", "1/0", "-1/2"] { #expect(Shard(bad) == nil) }
        #expect(Shard(index: 5, count: 5).seeds(1...3).isEmpty)
    }

    @Test func twoShardsMergeToTheWholeRun() async throws {
        try await offThePool {
            func report(_ seeds: [UInt64]) throws -> ExploreReport {
                var r = ExploreReport(profile: "small")
                for s in seeds { r.add(try Explorer.explore(seed: s, profile: .small), file: nil) }
                return r
            }
            let whole = try report(Array(1...12))
            let merged = try ExploreReport.merge([try report(Shard(index: 2, count: 2).seeds(1...12)), try report(Shard(index: 1, count: 2).seeds(1...12))])
            #expect(merged == whole)
            let decoded = try ExploreReport.decode(Data(merged.json().utf8), source: "test")
            #expect(decoded == merged)
            #expect(throws: ExploreError.self) { try ExploreReport.merge([whole, ExploreReport(profile: "wide")]) }
        }
    }

    @Test func junitNamesEverySeedAndEachFailure() {
        var r = ExploreReport(profile: "default", seeds: [1, 2], events: 10)
        r.failures = [.init(seed: 2, scenarioHash: "ab", traceHash: "cd", verdicts: ["liveness: x <y>: broken"], file: "out/s2.yaml", replay: "netaio scenario run out/s2.yaml")]
        let x = r.junit()
        #expect(x.contains("tests=\"2\" failures=\"1\""))
        #expect(x.contains("name=\"seed 1\"/>"))
        #expect(x.contains("liveness: x &lt;y&gt;: broken"))
        #expect(x.contains("replay: netaio scenario run out/s2.yaml"))
    }

    @Test func theLedgerAppendsAndReadsBack() async throws {
        try await offThePool {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(getpid()).jsonl").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(try FailureLedger.read(path).isEmpty)
            let f = ExploreReport.Failure(seed: 9, scenarioHash: "h", traceHash: "t", verdicts: ["v"], file: nil, replay: "r")
            try FailureLedger.append([.init(profile: "default", failure: f)], to: path)
            try FailureLedger.append([.init(profile: "wide", failure: f)], to: path)
            #expect(try FailureLedger.read(path).map(\.profile) == ["default", "wide"])
            try Data("not json\n".utf8).write(to: URL(fileURLWithPath: path))
            #expect(throws: ExploreError.self) { try FailureLedger.read(path) }
        }
    }

    @Test func traceDiffFindsTheFirstDivergingRecord() {
        #expect(TraceDiff.firstDifference(["a", "b", "c"], ["a", "b", "c"]) == nil)
        #expect(TraceDiff.firstDifference(["a", "b", "c"], ["a", "x", "c"]) == 1)
        #expect(TraceDiff.firstDifference(["a", "b"], ["a", "b", "c"]) == 2)
    }
}
