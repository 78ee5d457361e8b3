import ArgumentParser
import Foundation
import NetaioExplore

/// The explore loop, its progress and output, shared by explore's single-process mode
/// and the children of `--jobs`.
enum ExploreCLI {
    static func loadProfile(_ nameOrPath: String) throws -> ExploreProfile {
        try map { () throws(ExploreError) in try ExploreProfile.load(nameOrPath) }
    }

    /// Runs a typed-throwing body; its error is printed and becomes the exit code.
    static func map<T>(_ body: () throws(ExploreError) -> T) throws -> T {
        do { return try body() } catch { throw fail(error) }
    }

    static func fail(_ error: ExploreError) -> ExitCode {
        FileHandle.standardError.write(Data("netaio: \(error)\n".utf8))
        switch error {
        case .unreadable: return NetaioExit.noInput
        case .invalidProfile, .invalidLedger: return NetaioExit.dataError
        case .generatorBug: return ExitCode(70)
        }
    }

    static func progress(_ line: String, quiet: Bool) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func explore(seeds: [UInt64], profile: ExploreProfile, out: String, quiet: Bool) throws -> ExploreReport {
        var report = ExploreReport(profile: profile.name)
        let started = Date()
        var lastLine = started
        progress("exploring \(seeds.count) seed(s) with profile \(profile.name)", quiet: quiet)
        for (k, seed) in seeds.enumerated() {
            let o = try map { () throws(ExploreError) in try Explorer.explore(seed: seed, profile: profile) }
            var file: String?
            if !o.passed {
                file = try writeFailure(o, out: out)
                progress("FAIL seed \(seed) (\(o.nodes) nodes): " + o.failures.map(\.name).joined(separator: "; "), quiet: quiet)
                progress("  replay: netaio scenario run \(shellQuoted(file!))", quiet: quiet)
            }
            report.add(o, file: file)
            let now = Date()
            if now.timeIntervalSince(lastLine) >= 2 || k + 1 == seeds.count {
                lastLine = now
                let rate = Double(k + 1) / max(now.timeIntervalSince(started), 0.001)
                progress("[\(k + 1)/\(seeds.count)] \(String(format: "%.1f", rate)) seeds/s, \(report.failures.count) failed", quiet: quiet)
            }
        }
        return report
    }

    /// The failing scenario, with what failed and how to replay it in its header.
    static func writeFailure(_ o: SeedOutcome, out: String) throws -> String {
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            FileHandle.standardError.write(Data("netaio: cannot create \(out): \(error.localizedDescription)\n".utf8))
            throw NetaioExit.noInput
        }
        let path = (out as NSString).appendingPathComponent("explore-seed-\(o.seed).yaml")
        var text = "# FAILED (trace \(o.traceHash.prefix(16))):\n"
        for v in o.failures { text += "#   \(v.name): \(v.detail.prefix(300))\n" }
        text += "# Replay: netaio scenario run \(path)    Reduce: netaio scenario shrink \(path)\n"
        do { try Data((text + o.yaml).utf8).write(to: URL(fileURLWithPath: path)) } catch {
            FileHandle.standardError.write(Data("netaio: cannot write \(path): \(error.localizedDescription)\n".utf8))
            throw NetaioExit.noInput
        }
        return path
    }

    /// Prints the summary (or the report) and fails the command when a seed failed.
    static func finish(_ report: ExploreReport, format: String?) throws {
        switch format {
        case "json": print(report.json(), terminator: "")
        case "junit": print(report.junit(), terminator: "")
        default:
            print("explored \(report.seeds.count) seed(s) with profile \(report.profile): \(report.passed) passed, \(report.failures.count) failed (\(report.events) events)")
            for f in report.failures { print("  seed \(f.seed): \(f.verdicts.first ?? "failed")\n    replay: \(f.replay)") }
        }
        if !report.failures.isEmpty { throw ScenarioExit.failed }
    }
}

/// `--jobs N`: N child processes of this executable, each on a sub-shard of the seeds,
/// their JSON reports merged. Children print their own progress lines.
enum ExploreJobs {
    static func run(arguments: [String], jobs: Int, outer: Shard, profile: String, quiet: Bool) throws -> ExploreReport {
        let lists = outer.split(into: jobs).map { arguments + ["--shard", $0.description] }
        var reports: [ExploreReport] = []
        for child in try ChildRuns.run(lists) {
            // 0 and 1 are verdicts; anything else is the child's own error, already printed.
            guard child.status <= 1 else { throw ExitCode(child.status) }
            reports.append(try ExploreCLI.map { () throws(ExploreError) in try ExploreReport.decode(child.stdout, source: "job output") })
        }
        return try ExploreCLI.map { () throws(ExploreError) in try ExploreReport.merge(reports) }
    }
}
