import ArgumentParser
import Foundation
import NetaioExplore
import NetaioScenario
import NetaioScenarioReal

/// `netaio scenario run FILE [--seed N | --seeds A..B] …`
struct ScenarioRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario and print its timeline and a verdict per expectation.",
        discussion: """
            Exit codes: 0 every verdict passed, 1 a verdict failed (the command that replays \
            the failing seed is printed), 3 an external node (impl: python or a command) could \
            not start, broke its contract or died, 64 bad arguments, 65 the scenario file is invalid, \
            66 the file cannot be read. The same file and seed always give the same trace hash.

            --transport real runs the scenario on real loopback sockets instead (127.0.0.1, \
            ::1 for IPv6 nodes, port 0) against the wall clock, optionally compressed by \
            --time-scale. Real runs are NOT deterministic (no trace hash). UDP datagrams pass a \
            seeded fault shim (loss, duplication, corruption, latency, jitter, partitions); \
            TCP streams get no added delay; a crash kills the node (no DISCONNECT, its \
            connections just end). Faults it cannot apply (bandwidth/queue limits on \
            datagrams, partitions of TCP nodes, clock skew) are listed and fail \
            the verdict "real transport: every fault honoured". All nodes share one event-loop \
            thread: when the traffic times --time-scale needs more than it gets, datagrams wait \
            unread and steps run late, and the verdict "real transport: kept up with the time \
            scale" fails (over 1 virtual second); lower --time-scale then. At most \
            \(RealTransportLimits.maxNodes) nodes and \(Int(RealTransportLimits.maxWallSeconds)) \
            wall seconds; larger scenarios are refused (exit 64). See docs/scenarios.md.

            Nodes with impl: python run the real Python netaio 0.0.9 (from the project's .venv, \
            or --python-exe) inside the simulator, deterministically; impl: {command: [...]} runs \
            any adapter of the external-node contract (docs/external-nodes.md). \
            --impl swift,python runs the whole scenario on each implementation with the same seed \
            and shows the verdicts side by side, e.g.
              netaio scenario run Fixtures/scenarios/python/01-two-python-udp.yaml --impl swift,python
            """
    )

    @Argument(help: "Scenario file (YAML or JSON).")
    var file: String

    @Option(help: "Seed of the run (default: the file's `seed`, else 1).")
    var seed: UInt64?

    @Option(help: "Seed sweep A..B (inclusive): runs every seed, shows progress, stops at the first failure.")
    var seeds: String?

    @Flag(help: "In a sweep, keep going after failures and list them all.")
    var keepGoing = false

    @Option(help: "In a sweep, run the seeds in this many processes (1-64; implies --keep-going).")
    var jobs = 1

    @Option(help: "In a sweep, take shard K of N (1-based): every N-th seed, starting at the K-th.")
    var shard: String?

    @Flag(help: "Run the scenario twice in separate processes and compare trace hashes; on a difference, print the first diverging trace record.")
    var checkDeterminism = false

    @Option(help: "Write the trace as JSON lines to this file (single seed).")
    var trace: String?

    @Option(help: "Print a machine-readable report instead of the summary: json or junit.")
    var report: String?

    @Option(help: "Write a self-contained HTML sequence diagram of the run (single seed).")
    var timeline: String?

    @Flag(help: "Print only the result lines, not the timeline.")
    var quiet = false

    @Option(help: "sim (the deterministic simulator, default) or real (loopback sockets, wall clock, not deterministic).")
    var transport = "sim"

    @Option(help: "Real transport: run this many times faster than the file's timeline (1-20; every node's clock and timers are scaled).")
    var timeScale: Double = 1

    @Option(help: "Run every node on each of these implementations in turn (same seed), e.g. swift,python, and report where verdicts and peer-table histories differ.")
    var impl: String?

    @Option(name: .customLong("python-exe"), help: "The Python with netaio 0.0.9 for impl: python nodes (default: .venv/bin/python of the project).")
    var pythonExe: String?

    func validate() throws {
        if seed != nil && seeds != nil { throw ValidationError("give --seed or --seeds, not both") }
        if let report, !["json", "junit"].contains(report) { throw ValidationError("--report takes json or junit") }
        if seeds != nil && (trace != nil || timeline != nil) { throw ValidationError("--trace and --timeline need a single seed") }
        if let seeds, SeedRange(seeds) == nil { throw ValidationError("--seeds takes A..B with A ≤ B, e.g. 1..100") }
        if (jobs != 1 || shard != nil) && seeds == nil { throw ValidationError("--jobs and --shard need --seeds") }
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs takes 1…64") }
        if let shard, Shard(shard) == nil { throw ValidationError("--shard takes K/N with 1 ≤ K ≤ N, e.g. 2/8") }
        if checkDeterminism && (seeds != nil || transport != "sim" || report != nil) {
            throw ValidationError("--check-determinism takes one seed on the simulator, without --report")
        }
        try validateTransport()
        if let impl {
            _ = try Self.implementations(impl)
            if seeds != nil || transport != "sim" || checkDeterminism || trace != nil || timeline != nil || report == "junit" {
                throw ValidationError("--impl takes one seed on the simulator (no --seeds, --trace, --timeline, --check-determinism or --report junit)")
            }
        }
    }

    func run() async throws {
        let scenario = try ScenarioFiles.load(file)
        if transport == "real" { return try await runReal(scenario) }
        if let impl { return try runImplementations(scenario, Self.implementations(impl)) }
        if checkDeterminism { return try DeterminismCheck.run(file: file, seed: seed ?? scenario.seed) }
        let external = Self.externalOptions(file: file, pythonExe: pythonExe)
        if jobs > 1, let seeds { return try runSweepInJobs(seeds) }
        let record = trace != nil || timeline != nil
        var results: [RunResult] = []
        var failedSeeds: [UInt64] = []
        if let seeds, let range = SeedRange(seeds) {
            let chosen = (shard.flatMap(Shard.init) ?? .whole).seeds(range.lower...range.upper)
            let total = chosen.count
            for (k, s) in chosen.enumerated() {
                let r = ScenarioRunner.run(scenario, seed: s, external: external)
                results.append(r)
                let line = "[\(k + 1)/\(total)] seed \(s): \(r.passed ? "pass" : "FAIL")  \(r.traceHash.prefix(16))"
                FileHandle.standardError.write(Data((line + "\n").utf8))
                if !r.passed {
                    failedSeeds.append(s)
                    for v in r.failures { FileHandle.standardError.write(Data("    FAIL \(v.name): \(v.detail)\n".utf8)) }
                    if !keepGoing { break }
                }
            }
            if report == nil {
                print("swept \(results.count) seed(s) of \(total): \(results.count - failedSeeds.count) passed, \(failedSeeds.count) failed")
            }
        } else {
            let r = ScenarioRunner.run(scenario, seed: seed ?? scenario.seed, recordTrace: record, external: external)
            results.append(r)
            if !r.passed { failedSeeds.append(r.seed) }
            if report == nil {
                if quiet {
                    print("\(r.scenario) seed \(r.seed): \(r.passed ? "PASS" : "FAIL")  trace \(r.traceHash)")
                    for v in r.failures { print("  FAIL \(v.name): \(v.detail)") }
                } else {
                    print(Reports.text(r), terminator: "")
                }
            }
            if let trace { try write(Reports.traceJSONLines(r), to: trace) }
            if let timeline { try write(TimelinePage.html(r), to: timeline) }
        }
        switch report {
        case "json": print(Reports.json(results), terminator: "")
        case "junit": print(Reports.junit(results), terminator: "")
        default: break
        }
        for r in results where !r.errors.isEmpty {
            FileHandle.standardError.write(Data(r.errors.map { "netaio: seed \(r.seed): \($0)\n" }.joined().utf8))
        }
        if results.contains(where: { !$0.errors.isEmpty }) { throw ScenarioExit.runError }
        if !failedSeeds.isEmpty {
            let replay = failedSeeds.prefix(5).map { "netaio scenario run \(shellQuoted(file)) --seed \($0)" }
            FileHandle.standardError.write(Data(("replay the failing seed" + (failedSeeds.count > 1 ? "s" : "") + " with:\n" + replay.map { "  " + $0 }.joined(separator: "\n") + "\n").utf8))
            throw ScenarioExit.failed
        }
    }

    private func write(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            FileHandle.standardError.write(Data("netaio: cannot write \(path): \(error.localizedDescription)\n".utf8))
            throw NetaioExit.noInput
        }
    }
}

/// `netaio scenario check FILE…`: parse only, report errors with line and field.
struct ScenarioCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate scenario files without running them (exit 65 on the first invalid one).")

    @Argument(help: "Scenario files.")
    var files: [String]

    func run() throws {
        for f in files {
            let s = try ScenarioFiles.load(f)
            print("\(f): ok (\(s.nodes.count) nodes, \(s.timeline.count) steps, \(s.expectations.count) expectations)")
        }
    }
}

enum ScenarioFiles {
    static func load(_ path: String) throws -> Scenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            FileHandle.standardError.write(Data("netaio: cannot read \(path)\n".utf8))
            throw NetaioExit.noInput
        }
        do {
            return try ScenarioParser.parse(Array(data))
        } catch {
            FileHandle.standardError.write(Data("\(path): \(error)\n".utf8))
            throw NetaioExit.dataError
        }
    }
}

struct SeedRange {
    var lower: UInt64
    var upper: UInt64
    init?(_ text: String) {
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2, let a = UInt64(parts[0]), let b = UInt64(parts[1]), a <= b, b - a < 1_000_000 else { return nil }
        lower = a
        upper = b
    }
}

func shellQuoted(_ s: String) -> String {
    s.allSatisfy { $0.isLetter || $0.isNumber || "/._-+".contains($0) } ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
