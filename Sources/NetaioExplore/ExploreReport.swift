import Foundation
import NetaioScenario

/// The machine-readable result of an explore run (or of several shards merged): JSON
/// with `--report json`, JUnit XML with `--report junit` (docs/exploring.md).
public struct ExploreReport: Codable, Sendable, Equatable {
    public struct Failure: Codable, Sendable, Equatable {
        public var seed: UInt64
        public var scenarioHash: String
        public var traceHash: String
        /// `name: detail` of each failed verdict.
        public var verdicts: [String]
        public var file: String?
        public var replay: String

        public init(seed: UInt64, scenarioHash: String, traceHash: String, verdicts: [String], file: String?, replay: String) {
            self.seed = seed
            self.scenarioHash = scenarioHash
            self.traceHash = traceHash
            self.verdicts = verdicts
            self.file = file
            self.replay = replay
        }

        enum CodingKeys: String, CodingKey {
            case seed, verdicts, file, replay
            case scenarioHash = "scenario_hash"
            case traceHash = "trace_hash"
        }
    }

    public var profile: String
    /// Seeds explored (every shard's, when merged), ascending.
    public var seeds: [UInt64]
    public var failures: [Failure]
    public var events: UInt64

    public init(profile: String, seeds: [UInt64] = [], failures: [Failure] = [], events: UInt64 = 0) {
        self.profile = profile
        self.seeds = seeds
        self.failures = failures
        self.events = events
    }

    public var passed: Int { seeds.count - failures.count }

    public mutating func add(_ o: SeedOutcome, file: String?) {
        seeds.append(o.seed)
        events += o.events
        guard !o.passed else { return }
        failures.append(Failure(
            seed: o.seed, scenarioHash: o.scenarioHash, traceHash: o.traceHash,
            verdicts: o.failures.map { "\($0.name): \($0.detail)" }, file: file,
            replay: file.map { "netaio scenario run \($0)" } ?? "netaio scenario explore --seeds \(o.seed)..\(o.seed) --profile \(profile)"))
    }

    /// Several shards' reports as one (seeds and failures in seed order).
    public static func merge(_ reports: [ExploreReport]) throws(ExploreError) -> ExploreReport {
        guard let first = reports.first else { return ExploreReport(profile: "none") }
        if let other = reports.first(where: { $0.profile != first.profile }) {
            throw .invalidProfile(other.profile, "cannot merge reports of different profiles (\(first.profile), \(other.profile))")
        }
        var merged = ExploreReport(profile: first.profile)
        for r in reports {
            merged.seeds += r.seeds
            merged.failures += r.failures
            merged.events += r.events
        }
        merged.seeds.sort()
        merged.failures.sort { $0.seed < $1.seed }
        return merged
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)).map { $0 + "\n" } ?? "{}\n"
    }

    public static func decode(_ data: Data, source: String) throws(ExploreError) -> ExploreReport {
        do { return try JSONDecoder().decode(ExploreReport.self, from: data) } catch {
            throw .invalidLedger(source, "not an explore JSON report (\(error))")
        }
    }

    /// One test case per seed: a failure per failing seed with its verdicts and replay command.
    public func junit() -> String {
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        x += "<testsuite name=\"netaio scenario explore (\(xml(profile)))\" tests=\"\(seeds.count)\" failures=\"\(failures.count)\">\n"
        let failed = Dictionary(failures.map { ($0.seed, $0) }, uniquingKeysWith: { a, _ in a })
        for seed in seeds {
            x += "  <testcase classname=\"explore.\(xml(profile))\" name=\"seed \(seed)\""
            if let f = failed[seed] {
                x += ">\n    <failure message=\"\(xml(f.verdicts.first ?? "failed"))\">\(xml((f.verdicts + ["replay: " + f.replay]).joined(separator: "\n")))</failure>\n  </testcase>\n"
            } else {
                x += "/>\n"
            }
        }
        return x + "</testsuite>\n"
    }

    private func xml(_ s: String) -> String { Reports.xml(s) }
}

/// The failure ledger (`--ledger FILE.jsonl`): one JSON object per line per failing seed,
/// appended; read back so known failures are re-checked first on the next run.
public enum FailureLedger {
    public struct Entry: Codable, Sendable, Equatable {
        public var profile: String
        public var failure: ExploreReport.Failure

        public init(profile: String, failure: ExploreReport.Failure) {
            self.profile = profile
            self.failure = failure
        }
    }

    public static func read(_ path: String) throws(ExploreError) -> [Entry] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
        var out: [Entry] = []
        for (n, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() where !line.allSatisfy(\.isWhitespace) {
            do { out.append(try JSONDecoder().decode(Entry.self, from: Data(line.utf8))) } catch {
                throw .invalidLedger(path, "line \(n + 1) is not a ledger entry")
            }
        }
        return out
    }

    public static func append(_ entries: [Entry], to path: String) throws(ExploreError) {
        guard !entries.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var text = ""
        for e in entries { text += String(decoding: (try? encoder.encode(e)) ?? Data(), as: UTF8.self) + "\n" }
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else { throw .unreadable(path) }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw .unreadable(path) }
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        handle.closeFile()
    }
}
