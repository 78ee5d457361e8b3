import ArgumentParser
import Foundation
import NetaioPluginKit
import NetaioScenario
import NetaioSim

/// External nodes on the command line: where the Python adapter is, and `--impl A,B`
/// (the same scenario with every node on each implementation in turn, compared).
extension ScenarioRunCommand {
    static func externalOptions(file: String, pythonExe: String?) -> ExternalNodeOptions {
        let python = pythonExe ?? PluginValidation.locate(".venv/bin/python")
        let adapter = PluginValidation.locate("scripts/python-sim/netaio_node.py")
        let base = URL(fileURLWithPath: file).deletingLastPathComponent().path
        return ExternalNodeOptions(python: python.flatMap { p in adapter.map { [p, $0] } }, baseDirectory: base)
    }

    /// `--impl swift,python`: parsed implementations, in order.
    static func implementations(_ text: String) throws -> [NodeImpl] {
        var out: [NodeImpl] = []
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            switch part {
            case "swift": out.append(.swift)
            case "python": out.append(.python(module: nil))
            default: throw ValidationError("--impl takes a comma-separated list of swift and python (got \"\(part)\")")
            }
        }
        guard out.count >= 2, Set(out.map(\.description)).count == out.count else {
            throw ValidationError("--impl needs at least two different implementations, e.g. swift,python")
        }
        return out
    }

    /// Runs the scenario once per implementation (every node on it, same seed) and reports
    /// where verdicts and peer-table histories differ.
    func runImplementations(_ scenario: Scenario, _ impls: [NodeImpl]) throws {
        let s = seed ?? scenario.seed
        let options = Self.externalOptions(file: file, pythonExe: pythonExe)
        var results: [(impl: String, result: RunResult)] = []
        for impl in impls {
            var variant = scenario
            for i in variant.nodes.indices {
                if case .python(_?) = variant.nodes[i].impl, case .python = impl { continue }  // keeps a user module
                variant.nodes[i].impl = impl
            }
            let name = impl == .swift ? "swift" : "python"
            FileHandle.standardError.write(Data("running \(scenario.name) seed \(s) with every node on \(name)…\n".utf8))
            results.append((name, ScenarioRunner.run(variant, seed: s, recordTrace: true, external: options)))
        }
        let comparison = ImplComparison(results)
        if report == "json" {
            print(Reports.json(results.map(\.result)), terminator: "")
        } else {
            print(comparison.text, terminator: "")
        }
        if results.contains(where: { !$0.result.errors.isEmpty }) { throw ScenarioExit.runError }
        if !comparison.verdictsAgree || results.contains(where: { !$0.result.passed }) { throw ScenarioExit.failed }
    }
}

/// Verdicts and peer-table histories of one scenario run on several implementations.
struct ImplComparison {
    let runs: [(impl: String, result: RunResult)]

    init(_ runs: [(impl: String, result: RunResult)]) { self.runs = runs }

    var verdictsAgree: Bool {
        let first = runs[0].result.verdicts.map { "\($0.name)=\($0.passed)" }
        return runs.dropFirst().allSatisfy { $0.result.verdicts.map { "\($0.name)=\($0.passed)" } == first }
    }

    /// Per node, its peer-table changes in order ("+b", "-b"), from the trace.
    static func peerHistories(_ r: RunResult) -> [[(time: Double, change: String)]] {
        var out = Array(repeating: [(time: Double, change: String)](), count: r.nodeNames.count)
        for rec in r.records where rec.node >= 0 && Int(rec.node) < out.count {
            let other = rec.other >= 0 && Int(rec.other) < r.nodeNames.count ? r.nodeNames[Int(rec.other)] : "?"
            switch rec.kind {
            case .peerAdded: out[Int(rec.node)].append((rec.time.seconds, "+\(other)"))
            case .peerRemoved: out[Int(rec.node)].append((rec.time.seconds, "-\(other)"))
            default: break
            }
        }
        return out
    }

    var text: String {
        var out = "scenario: \(runs[0].result.scenario)  seed: \(runs[0].result.seed)\n\nverdicts:\n"
        let names = runs.map(\.impl)
        out += "  " + names.map { $0.padding(toLength: 8, withPad: " ", startingAt: 0) }.joined() + "expectation\n"
        var all: [String] = []
        for r in runs { for v in r.result.verdicts where !all.contains(v.name) { all.append(v.name) } }
        for name in all {
            let cells = runs.map { r -> String in
                guard let v = r.result.verdicts.first(where: { $0.name == name }) else { return "-" }
                return v.passed ? "PASS" : "FAIL"
            }
            let differs = Set(cells).count > 1
            out += "  " + cells.map { $0.padding(toLength: 8, withPad: " ", startingAt: 0) }.joined() + name + (differs ? "   <- differs" : "") + "\n"
        }
        for r in runs where r.result.verdicts.contains(where: { !$0.passed }) {
            for v in r.result.failures { out += "  \(r.impl): FAIL \(v.name): \(v.detail)\n" }
        }
        out += "\npeer-table histories (changes per node, first difference):\n"
        let histories = runs.map { Self.peerHistories($0.result) }
        var same = 0
        for (n, node) in runs[0].result.nodeNames.enumerated() {
            let seqs = histories.map { $0[n].map(\.change) }
            if seqs.dropFirst().allSatisfy({ $0 == seqs[0] }) {
                same += 1
                continue
            }
            let k = (0..<seqs.map(\.count).max()!).first { i in Set(seqs.map { i < $0.count ? $0[i] : "(end)" }).count > 1 } ?? 0
            let at = zip(names, histories).map { name, h in
                k < h[n].count ? "\(name) \(h[n][k].change) at \(formatSeconds(h[n][k].time))s" : "\(name) (no more changes)"
            }
            out += "  \(node): \(seqs.map { "\($0.count)" }.joined(separator: "/")) changes; change #\(k + 1): \(at.joined(separator: ", "))\n"
        }
        out += "  \(same) of \(runs[0].result.nodeNames.count) nodes had the same history on every implementation\n"
        for r in runs {
            out += "\n\(r.impl): \(r.result.passed ? "PASS" : r.result.errors.isEmpty ? "FAIL" : "ERROR")  trace \(r.result.traceHash)  events \(r.result.eventsProcessed)\n"
            for e in r.result.errors { out += "  ERROR \(e)\n" }
        }
        out += "\nresult: verdicts \(verdictsAgree ? "agree" : "DIFFER")\n"
        return out
    }
}
