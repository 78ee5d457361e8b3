import ArgumentParser
import Foundation
import NetaioExplore

/// `netaio scenario shrink FILE`: delta debugging down to the cause (docs/exploring.md).
struct ScenarioShrinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shrink",
        abstract: "Reduce a failing scenario to a small one that fails the same way.",
        discussion: """
            Removes node groups and members, timeline steps, faults (network faults, links, \
            clock skew), plugins, other expectations and time, as long as the same verdict \
            keeps failing with the same seed (by default the first failing verdict; choose \
            another with --verdict). Every candidate is run on the simulator, several at \
            once on the available cores; the result does not depend on how many.

            Writes the smallest failing file (commented with what was removed) to --out and \
            prints the command that replays it. Works on explore's files and hand-written ones.

            Exit codes: 0 a smaller failing file was written (or the file was already \
            minimal: said so), 1 the file does not fail (or not with --verdict), 64 bad \
            arguments, 65 the file is invalid, 66 it cannot be read.

            Examples:
              netaio scenario shrink explore-out/explore-seed-17.yaml
              netaio scenario shrink big.yaml --seed 42 --verdict 'all know each other' --out small.yaml
            """)

    @Argument(help: "Scenario file (YAML or JSON).")
    var file: String

    @Option(help: "Seed to run (default: the file's `seed`).")
    var seed: UInt64?

    @Option(help: "Name of the verdict that must keep failing (default: the first failing one).")
    var verdict: String?

    @Option(help: "Where to write the reduced file (default: FILE with .min.yaml).")
    var out: String?

    @Option(help: "Candidates run at once (default: the number of cores).")
    var jobs: Int?

    @Flag(help: "No progress lines on standard error.")
    var quiet = false

    func validate() throws {
        if let jobs, !(1...64).contains(jobs) { throw ValidationError("--jobs takes 1…64") }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            FileHandle.standardError.write(Data("netaio: cannot read \(file)\n".utf8))
            throw NetaioExit.noInput
        }
        let started = Date()
        let quiet = quiet
        let shrinker = Shrinker(
            seed: seed, target: verdict, parallelism: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
            progress: { line in if !quiet { FileHandle.standardError.write(Data("  \(line)\n".utf8)) } })
        let result: Shrinker.Result
        do { result = try shrinker.shrink(String(decoding: data, as: UTF8.self)) } catch {
            FileHandle.standardError.write(Data("netaio: \(file): \(error)\n".utf8))
            if case .invalid = error { throw NetaioExit.dataError }
            throw ScenarioExit.failed
        }
        let target = out ?? Self.defaultOut(file)
        var header = "# Shrunk by netaio scenario shrink from \(file) (seed \(result.seed)); still fails: \(result.target)\n"
        header += "# before: \(result.before)\n# after:  \(result.after)\n"
        header += "# removed (\(result.removed.count)): " + result.removed.prefix(40).joined(separator: "; ") + (result.removed.count > 40 ? "; …" : "") + "\n"
        header += "# Replay: netaio scenario run \(target) --seed \(result.seed)\n"
        do { try Data((header + result.yaml).utf8).write(to: URL(fileURLWithPath: target)) } catch {
            FileHandle.standardError.write(Data("netaio: cannot write \(target): \(error.localizedDescription)\n".utf8))
            throw NetaioExit.noInput
        }
        let seconds = Date().timeIntervalSince(started)
        print(result.removed.isEmpty ? "already minimal: nothing could be removed while \"\(result.target)\" keeps failing"
              : "shrunk in \(String(format: "%.1f", seconds))s (\(result.candidatesRun) runs): \(result.before)  →  \(result.after)")
        print("still fails: \(result.target)")
        print("wrote \(target)\nreplay: netaio scenario run \(shellQuoted(target)) --seed \(result.seed)")
    }

    static func defaultOut(_ file: String) -> String {
        for ext in [".yaml", ".yml", ".json"] where file.hasSuffix(ext) { return String(file.dropLast(ext.count)) + ".min.yaml" }
        return file + ".min.yaml"
    }
}
