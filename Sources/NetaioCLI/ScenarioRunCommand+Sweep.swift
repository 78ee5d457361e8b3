import ArgumentParser
import Foundation
import NetaioExplore
import NetaioScenario

extension ScenarioRunCommand {
    /// `--seeds A..B --jobs N`: the sweep split into N child processes (sub-shards of
    /// this run's shard), their JSON reports merged in seed order.
    func runSweepInJobs(_ seeds: String) throws {
        let outer = shard.flatMap(Shard.init) ?? .whole
        let lists = outer.split(into: jobs).map { part in
            ["scenario", "run", file, "--seeds", seeds, "--keep-going", "--report", "json", "--shard", part.description]
        }
        var runs: [[String: Any]] = []
        for child in try ChildRuns.run(lists) {
            guard child.status <= 1 else { throw ExitCode(child.status) }
            guard let object = try? JSONSerialization.jsonObject(with: child.stdout) as? [String: Any],
                  let part = object["runs"] as? [[String: Any]] else {
                FileHandle.standardError.write(Data("netaio: a job printed no report\n".utf8))
                throw ExitCode(70)
            }
            runs += part
        }
        runs.sort { ($0["seed"] as? UInt64 ?? 0) < ($1["seed"] as? UInt64 ?? 0) }
        let failed = runs.filter { ($0["passed"] as? Bool) != true }.compactMap { $0["seed"] as? UInt64 }
        switch report {
        case "json":
            let merged: [String: Any] = ["runs": runs, "passed": failed.isEmpty]
            let data = (try? JSONSerialization.data(withJSONObject: merged, options: [.prettyPrinted, .sortedKeys])) ?? Data()
            print(String(decoding: data, as: UTF8.self))
        case "junit":
            print(Self.junit(runs), terminator: "")
        default:
            print("swept \(runs.count) seed(s) in \(jobs) jobs: \(runs.count - failed.count) passed, \(failed.count) failed")
        }
        guard failed.isEmpty else {
            let replay = failed.prefix(5).map { "  netaio scenario run \(shellQuoted(file)) --seed \($0)" }
            FileHandle.standardError.write(Data(("replay the failing seeds with:\n" + replay.joined(separator: "\n") + "\n").utf8))
            throw ScenarioExit.failed
        }
    }

    /// The JUnit shape of `Reports.junit`, from the merged JSON runs.
    static func junit(_ runs: [[String: Any]]) -> String {
        let xml = Reports.xml
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
        for r in runs {
            let name = r["scenario"] as? String ?? "scenario", seed = r["seed"] as? UInt64 ?? 0
            let verdicts = r["verdicts"] as? [[String: Any]] ?? []
            let failures = verdicts.filter { ($0["passed"] as? Bool) != true }.count
            out += "  <testsuite name=\"\(xml(name)) seed \(seed)\" tests=\"\(verdicts.count)\" failures=\"\(failures)\">\n"
            for v in verdicts {
                out += "    <testcase classname=\"\(xml(name))\" name=\"\(xml(v["name"] as? String ?? ""))\""
                out += (v["passed"] as? Bool) == true ? "/>\n" : ">\n      <failure message=\"\(xml(v["detail"] as? String ?? ""))\"/>\n    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }
}

/// `scenario run FILE --check-determinism`: the same file and seed in two separate
/// processes must give the same trace hash; if not, the first trace record where the
/// two runs part is printed with its virtual time.
enum DeterminismCheck {
    static func run(file: String, seed: UInt64) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("netaio-determinism-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let traces = [dir.appendingPathComponent("a.jsonl").path, dir.appendingPathComponent("b.jsonl").path]
        let children = try ChildRuns.run(traces.map { ["scenario", "run", file, "--seed", String(seed), "--quiet", "--trace", $0] })
        var hashes: [String] = []
        for child in children {
            guard child.status <= 1, let line = String(data: child.stdout, encoding: .utf8)?.split(separator: "\n").first,
                  let range = line.range(of: "trace ") else { throw ExitCode(child.status <= 1 ? 70 : child.status) }
            hashes.append(String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces))
        }
        if hashes[0] == hashes[1] {
            print("deterministic: two processes, seed \(seed), same trace hash \(hashes[0])")
            return
        }
        print("NOT deterministic: seed \(seed) gave trace \(hashes[0]) and \(hashes[1])")
        let a = (try? String(contentsOfFile: traces[0], encoding: .utf8))?.split(separator: "\n") ?? []
        let b = (try? String(contentsOfFile: traces[1], encoding: .utf8))?.split(separator: "\n") ?? []
        if let i = TraceDiff.firstDifference(a, b) {
            print("first diverging trace record (#\(i + 1)):")
            print("  run 1: \(i < a.count ? String(a[i]) : "(trace ended)")")
            print("  run 2: \(i < b.count ? String(b[i]) : "(trace ended)")")
        } else {
            print("the recorded traces agree record by record: the difference is in what only the hash covers")
        }
        throw ScenarioExit.failed
    }
}
