import ArgumentParser
import Foundation
import NetaioExplore

/// `netaio scenario explore`: generated scenarios, one per seed, with every invariant
/// and a liveness phase (docs/exploring.md).
struct ScenarioExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Generate and run a scenario per seed (swarm testing); write every failure as a replayable file.",
        discussion: """
            Each seed generates a whole scenario: topology (UDP nodes on one or more \
            segments, IPv4 or IPv6, or a TCP server with clients), plugins (HMAC, stream \
            cipher, inner layers, mismatched app ids and secrets on purpose), peer settings, \
            a fault mix where each kind is on or off (loss, latency distributions, jitter, \
            duplication, corruption, bandwidth and queues, partitions, crashes, restarts, \
            clock skew and drift) and a timeline of requests, subscriptions and publishes. \
            After the safety phase a liveness phase heals everything and requires every \
            compatible pair of nodes to know each other again, a retried request to succeed \
            and a subscription to deliver. Invariants are checked at every step.

            Each failing seed is written to --out as a self-contained scenario file; \
            `netaio scenario run FILE` replays it with the same verdict, and \
            `netaio scenario shrink FILE` reduces it.

            Exit codes: 0 nothing failed, 1 a seed failed, 64 bad arguments, 65 an invalid \
            profile or ledger, 66 an unreadable file.

            Examples:
              netaio scenario explore --seeds 1..500
              netaio scenario explore --seeds 1..10000 --profile wide --jobs 2 --out failures
              netaio scenario explore --seeds 1..100000 --shard 3/8 --report json > shard3.json
              netaio scenario explore --seeds 1..1000 --ledger failures.jsonl
              netaio scenario merge-reports shard*.json --report junit > explore.xml
            """
    )

    @Option(help: "Seed range A..B (inclusive).")
    var seeds = "1..100"

    @Option(help: "Built-in profile (small, default, wide) or a profile file (YAML/JSON). See docs/exploring.md.")
    var profile = "default"

    @Option(help: "Run seeds in this many processes (1-64).")
    var jobs = 1

    @Option(help: "Take shard K of N (1-based) of the seed range: every N-th seed, starting at the K-th.")
    var shard: String?

    @Option(help: "Folder for the failing scenarios (created if needed).")
    var out = "explore-out"

    @Option(help: "Append failing seeds to this JSON-lines ledger; known failures in it are re-checked first.")
    var ledger: String?

    @Option(help: "Print a machine-readable report: json or junit.")
    var report: String?

    @Flag(help: "No progress lines on standard error.")
    var quiet = false

    func validate() throws {
        guard SeedRange(seeds) != nil else { throw ValidationError("--seeds takes A..B with A ≤ B (at most 1,000,000 seeds), e.g. 1..500") }
        if let shard, Shard(shard) == nil { throw ValidationError("--shard takes K/N with 1 ≤ K ≤ N, e.g. 2/8") }
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs takes 1…64") }
        if let report, !["json", "junit"].contains(report) { throw ValidationError("--report takes json or junit") }
    }

    func run() throws {
        let range = SeedRange(seeds)!
        let profile = try ExploreCLI.loadProfile(profile)
        let outer = shard.flatMap(Shard.init) ?? .whole
        let report: ExploreReport
        try recheckLedger(profile)
        if jobs > 1 {
            report = try ExploreJobs.run(arguments: childArguments(), jobs: jobs, outer: outer, profile: profile.name, quiet: quiet)
        } else {
            report = try ExploreCLI.explore(
                seeds: outer.seeds(range.lower...range.upper), profile: profile, out: out, quiet: quiet)
        }
        if let ledger { try appendLedger(report, ledger) }
        try ExploreCLI.finish(report, format: self.report)
    }

    /// What each child process runs: the same exploration on a sub-shard, reporting JSON.
    private func childArguments() -> [String] {
        ["scenario", "explore", "--seeds", seeds, "--profile", profile, "--out", out, "--report", "json"] + (quiet ? ["--quiet"] : [])
    }

    private func recheckLedger(_ profile: ExploreProfile) throws {
        guard let ledger else { return }
        let known = try ExploreCLI.map { () throws(ExploreError) in try FailureLedger.read(ledger) }.filter { $0.profile == profile.name }
        guard !known.isEmpty else { return }
        ExploreCLI.progress("re-checking \(known.count) known failure(s) from \(ledger) first", quiet: quiet)
        for entry in known {
            let o = try ExploreCLI.map { () throws(ExploreError) in try Explorer.explore(seed: entry.failure.seed, profile: profile) }
            let same = o.scenarioHash == entry.failure.scenarioHash
            ExploreCLI.progress(
                "  seed \(o.seed): \(o.passed ? "now passes" : "still fails")" + (same ? "" : " (the generator now writes another scenario for it)"),
                quiet: quiet)
        }
    }

    private func appendLedger(_ report: ExploreReport, _ path: String) throws {
        let known = Set(try ExploreCLI.map { () throws(ExploreError) in try FailureLedger.read(path) }.map { "\($0.profile) \($0.failure.seed) \($0.failure.scenarioHash)" })
        let fresh = report.failures.filter { !known.contains("\(report.profile) \($0.seed) \($0.scenarioHash)") }
        try ExploreCLI.map { () throws(ExploreError) in
            try FailureLedger.append(fresh.map { FailureLedger.Entry(profile: report.profile, failure: $0) }, to: path)
        }
    }
}

/// `netaio scenario generate --seed N`: the scenario explore would run for a seed.
struct ScenarioGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Print the scenario file that explore generates for one seed.",
        discussion: """
            Examples:
              netaio scenario generate --seed 42 > s42.yaml && netaio scenario run s42.yaml
              netaio scenario generate --seed 7 --profile wide
            """)

    @Option(help: "The seed.")
    var seed: UInt64 = 1

    @Option(help: "Built-in profile (small, default, wide) or a profile file.")
    var profile = "default"

    func run() throws {
        let p = try ExploreCLI.loadProfile(profile)
        let generated = try ExploreCLI.map { () throws(ExploreError) in try Explorer.generate(seed: seed, profile: p) }
        print(generated.yaml, terminator: "")
    }
}

/// `netaio scenario merge-reports`: shard reports as one.
struct ScenarioMergeReportsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge-reports",
        abstract: "Merge the JSON reports of explore shards into one report (json or junit).",
        discussion: """
            Exit codes: 0 no seed failed in any shard, 1 some seed failed, 65 a file is not \
            an explore report, 66 a file cannot be read.

            Example:
              netaio scenario merge-reports shard-*.json --report junit > explore.xml
            """)

    @Argument(help: "JSON reports written by `explore --report json`.")
    var files: [String]

    @Option(help: "json (default) or junit.")
    var report = "json"

    func validate() throws {
        guard ["json", "junit"].contains(report) else { throw ValidationError("--report takes json or junit") }
        guard !files.isEmpty else { throw ValidationError("give at least one report file") }
    }

    func run() throws {
        var reports: [ExploreReport] = []
        for f in files {
            guard let data = FileManager.default.contents(atPath: f) else { throw ExploreCLI.fail(.unreadable(f)) }
            reports.append(try ExploreCLI.map { () throws(ExploreError) in try ExploreReport.decode(data, source: f) })
        }
        let merged = try ExploreCLI.map { () throws(ExploreError) in try ExploreReport.merge(reports) }
        print(report == "junit" ? merged.junit() : merged.json(), terminator: "")
        if !merged.failures.isEmpty { throw ScenarioExit.failed }
    }
}
