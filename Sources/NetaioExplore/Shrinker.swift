import Dispatch
import Foundation
@_spi(PlantedBugs) import NetaioCore
@_spi(PlantedBugs) import NetaioScenario
import Yams

/// Delta debugging on a scenario file (docs/exploring.md, "Shrinking"): removes node
/// groups, members, timeline steps, faults, plugins, expectations and time while the
/// same verdict keeps failing on the same seed. Works on the YAML document, so any valid
/// file shrinks, hand-written or generated; every candidate is parsed and run, so the
/// result is valid and fails by construction.
public struct Shrinker: Sendable {
    public struct Size: Sendable, Equatable, CustomStringConvertible {
        public var nodes: Int
        public var steps: Int
        public var faults: Int
        public var duration: Double
        public var expectations: Int

        public var description: String { "\(nodes) nodes, \(steps) steps, \(faults) faults, \(fmtSeconds(duration))" }
    }

    public struct Result: Sendable {
        public var yaml: String
        public var target: String
        public var seed: UInt64
        public var before: Size
        public var after: Size
        /// What was removed, in the order it was removed.
        public var removed: [String]
        public var candidatesRun: Int
    }

    public let seed: UInt64?
    public let target: String?
    /// Candidates tried at once (each on its own core); the result does not depend on it.
    public let parallelism: Int
    public let progress: @Sendable (String) -> Void

    /// Deliberate engine bugs every candidate runs with (the explorer's own tests).
    let plantedBugs: PlantedBugs

    public init(seed: UInt64? = nil, target: String? = nil, parallelism: Int = 1, progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.init(seed: seed, target: target, parallelism: parallelism, plantedBugs: [], progress: progress)
    }

    @_spi(PlantedBugs)
    public init(seed: UInt64? = nil, target: String? = nil, parallelism: Int = 1, plantedBugs: PlantedBugs, progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.seed = seed
        self.target = target
        self.parallelism = max(1, parallelism)
        self.plantedBugs = plantedBugs
        self.progress = progress
    }

    private func run(_ scenario: Scenario, seed: UInt64) -> RunResult {
        plantedBugs.isEmpty ? ScenarioRunner.run(scenario, seed: seed) : ScenarioRunner.run(scenario, seed: seed, plantedBugs: plantedBugs)
    }

    public func shrink(_ text: String) throws(ShrinkError) -> Result {
        let scenario: Scenario
        do { scenario = try ScenarioParser.parse(Array(text.utf8)) } catch { throw .invalid("\(error)") }
        let runSeed = seed ?? scenario.seed
        let first = run(scenario, seed: runSeed)
        let failing = first.failures.map(\.name)
        guard let goal = target ?? failing.first else { throw .passes(seed: runSeed) }
        guard failing.contains(goal) else {
            throw .targetPasses(goal, seed: runSeed, failing: failing)
        }
        let signature = Self.signature(first.failures.first { $0.name == goal }?.detail ?? "", scenario)
        guard var doc = (try? Yams.compose(yaml: text)) ?? nil else { throw .invalid("not a YAML document") }
        doc = Document.nameExpectations(doc, scenario)
        var state = State(doc: doc, removed: [], runs: 1)
        let before = Document.size(scenario)
        progress("target: \(goal) (seed \(runSeed)); start: \(before)")
        var changed = true
        while changed {
            changed = false
            for pass in Pass.allCases {
                let candidates = Document.candidates(pass, state.doc, target: goal)
                if try reduce(&state, candidates, goal: Goal(name: goal, signature: signature), seed: runSeed) { changed = true }
            }
        }
        let yaml = (try? Yams.serialize(node: state.doc)) ?? text
        let final = (try? ScenarioParser.parse(Array(yaml.utf8))).map(Document.size) ?? before
        return Result(yaml: yaml, target: goal, seed: runSeed, before: before, after: final, removed: state.removed, candidatesRun: state.runs)
    }

    struct State {
        var doc: Node
        var removed: [String]
        var runs: Int
    }

    enum Pass: CaseIterable { case expectations, groups, steps, members, faults, plugins, duration }

    /// Tries candidates in order, `parallelism` at a time; takes the first (in order) that
    /// still fails the goal, then retries the rest of the pass on the smaller document.
    private func reduce(_ state: inout State, _ initial: [Candidate], goal: Goal, seed: UInt64) throws(ShrinkError) -> Bool {
        var candidates = initial
        var progressMade = false
        var index = 0
        while index < candidates.count {
            let batch = Array(candidates[index..<min(index + parallelism, candidates.count)])
            let verdicts = evaluate(batch.map(\.doc), goal: goal, seed: seed)
            state.runs += batch.count
            if let hit = verdicts.firstIndex(of: true) {
                let accepted = batch[hit]
                state.doc = accepted.doc
                state.removed.append(accepted.label)
                progress("removed \(accepted.label)")
                progressMade = true
                // Later candidates were built from the old document: rebuild them.
                candidates = Document.candidates(accepted.pass, state.doc, target: goal.name)
                index = 0
                continue
            }
            index += batch.count
        }
        return progressMade
    }

    /// The verdict that must keep failing, and how: a candidate that fails it for
    /// another reason (say "no two running nodes to check" once all but one node are
    /// gone) has slipped to another failure and is not taken.
    struct Goal: Sendable {
        var name: String
        var signature: String
    }

    /// A failure's detail without what names nodes or counts things, so "ub1 does not
    /// know ub2#2" and "srv does not know cm" agree and other failures do not.
    /// Only the first violation of an invariant counts (how many there are varies).
    static func signature(_ detail: String, _ scenario: Scenario) -> String {
        let names = Set(scenario.nodes.flatMap { [$0.name, $0.group] })
        let first = detail.components(separatedBy: "; ").first ?? detail
        return first.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ";" || $0 == "(" || $0 == ")" })
            .filter { token in
                !token.contains(where: { $0.isNumber || $0 == "#" }) && !names.contains(String(token))
            }
            .joined(separator: " ")
    }

    /// Whether each document is valid and still fails `goal` the same way (runs in parallel).
    private func evaluate(_ docs: [Node], goal: Goal, seed: UInt64) -> [Bool] {
        let texts = docs.map { try? Yams.serialize(node: $0) }
        let results = ResultSlots(count: docs.count)
        DispatchQueue.concurrentPerform(iterations: texts.count) { i in
            guard let text = texts[i], let scenario = try? ScenarioParser.parse(Array(text.utf8)) else { return }
            let r = run(scenario, seed: seed)
            results.set(i, r.failures.contains { $0.name == goal.name && Self.signature($0.detail, scenario) == goal.signature })
        }
        return results.values
    }
}

/// One smaller document and what it leaves out.
struct Candidate {
    var pass: Shrinker.Pass
    var label: String
    var doc: Node
}

/// Results written from concurrent candidate runs, each slot by one iteration.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Bool]
    init(count: Int) { slots = Array(repeating: false, count: count) }
    func set(_ i: Int, _ v: Bool) { lock.withLock { slots[i] = v } }
    var values: [Bool] { lock.withLock { slots } }
}

public enum ShrinkError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String)
    case passes(seed: UInt64)
    case targetPasses(String, seed: UInt64, failing: [String])

    public var description: String {
        switch self {
        case .invalid(let why): "the scenario is invalid: \(why)"
        case .passes(let seed): "the scenario passes with seed \(seed): nothing to shrink (give the failing seed with --seed)"
        case .targetPasses(let goal, let seed, let failing):
            "the verdict \"\(goal)\" does not fail with seed \(seed)" + (failing.isEmpty ? " (nothing fails)" : "; failing: " + failing.joined(separator: "; "))
        }
    }
}

func fmtSeconds(_ s: Double) -> String {
    let ms = Int((s * 1000).rounded())
    return ms % 1000 == 0 ? "\(ms / 1000)s" : "\(ms)ms"
}
