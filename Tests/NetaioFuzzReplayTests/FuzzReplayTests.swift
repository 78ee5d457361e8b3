import Foundation
import Testing
import NetaioFuzzChecks
import NetaioFuzzChecksNode
import NetaioFuzzChecksScenario

/// Corpus replay without libFuzzer: every seed and regression input of every fuzz target
/// goes through the same check the libFuzzer binary runs (docs/fuzzing.md). A crash
/// reproducer that scripts/fuzz keeps under Fixtures/corpus/regressions/TARGET/ fails
/// here until the bug is fixed.
@Suite struct FuzzReplayTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let checks = FuzzCheck.wire + FuzzCheck.node + [.scenarioParse, .simulation]

    static func inputs(_ folder: String) -> [(name: String, bytes: [UInt8])] {
        let url = repository.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.sorted().compactMap { name in
            guard let data = FileManager.default.contents(atPath: url.appendingPathComponent(name).path) else { return nil }
            return ("\(folder)/\(name)", [UInt8](data))
        }
    }

    @Test(arguments: checks.map(\.name))
    func replayCorpus(_ target: String) throws {
        let check = try #require(Self.checks.first { $0.name == target })
        let seeds = Self.inputs("Fixtures/corpus/\(target)")
        #expect(!seeds.isEmpty, "Fixtures/corpus/\(target) has no seed inputs")
        for input in seeds + Self.inputs("Fixtures/corpus/regressions/\(target)") {
            do {
                try check.run(input.bytes)
            } catch {
                Issue.record("\(input.name): \(error)")
            }
        }
    }

    /// Every fuzz target in Fuzz/ has a check here (so its corpus is replayed), and every
    /// regression folder belongs to a target.
    @Test func everyTargetIsReplayed() throws {
        let fuzz = try FileManager.default.contentsOfDirectory(atPath: Self.repository.appendingPathComponent("Fuzz").path)
        let replayed = Set(Self.checks.map(\.name))
        for target in fuzz where !target.hasPrefix(".") {
            #expect(replayed.contains(target), "Fuzz/\(target) has no check in the replay list")
        }
        let regressions = (try? FileManager.default.contentsOfDirectory(atPath: Self.repository.appendingPathComponent("Fixtures/corpus/regressions").path)) ?? []
        for folder in regressions where !folder.hasPrefix(".") {
            #expect(replayed.contains(folder), "Fixtures/corpus/regressions/\(folder) matches no fuzz target")
        }
    }

    /// The checks are not vacuous: a broken property is reported.
    @Test func aBrokenPropertyIsReported() {
        let failing = FuzzCheck("Always") { _ throws(FuzzFailure) in throw FuzzFailure("broken") }
        #expect(throws: FuzzFailure.self) { try failing.run([1, 2, 3]) }
    }
}
