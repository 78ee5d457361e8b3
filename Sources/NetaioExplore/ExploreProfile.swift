import Foundation
import Yams

/// The ranges a generated scenario is drawn from (docs/exploring.md, "Profiles").
/// Built-in profiles by name, or a YAML/JSON file that starts from one (`base`) and
/// overrides any of its fields.
public struct ExploreProfile: Sendable, Equatable {
    public var name: String
    /// Nodes in all (at least 2).
    public var minNodes: Int
    public var maxNodes: Int
    /// Which node kinds a scenario may have: `udp`, `tcp` (one server and its clients).
    public var kinds: [String]
    /// Chance that the UDP nodes use IPv6.
    public var ipv6: Double
    /// Most LAN segments the UDP nodes are spread over.
    public var segments: Int
    /// Chance of each protection: outer HMAC, outer stream cipher, inner layers on peer messages.
    public var hmac: Double
    public var streamCipher: Double
    public var innerLayers: Double
    /// Chance that a group differs on purpose (another app id, another or no secret).
    public var mismatch: Double
    /// Seconds of the safety phase (faults on); the liveness phase follows.
    public var safetySeconds: ClosedRange<Int>
    /// Most timeline steps in the safety phase.
    public var maxSteps: Int
    /// Chance that each fault kind is on in a scenario.
    public var faultChance: Double
    public var maxLoss: Double
    public var maxLatencyMS: Int
    public var maxJitterMS: Int
    public var maxDuplicate: Double
    public var maxCorrupt: Double
    public var maxSkewSeconds: Int
    public var maxDrift: Double
    /// Seconds between advertisements (the peer timeout is 3–6 of them).
    public var advertiseEvery: ClosedRange<Int>

    /// The fuzzer's (FuzzSimulation): two or three nodes, seconds of virtual time.
    public static let tiny = ExploreProfile(
        name: "tiny", minNodes: 2, maxNodes: 3, kinds: ["udp", "tcp"], ipv6: 0.2, segments: 1,
        hmac: 0.4, streamCipher: 0.3, innerLayers: 0.15, mismatch: 0.3, safetySeconds: 5...10, maxSteps: 4,
        faultChance: 0.5, maxLoss: 0.3, maxLatencyMS: 50, maxJitterMS: 10, maxDuplicate: 0.1, maxCorrupt: 0.05,
        maxSkewSeconds: 10, maxDrift: 0.01, advertiseEvery: 1...2)

    public static let small = ExploreProfile(
        name: "small", minNodes: 2, maxNodes: 4, kinds: ["udp", "tcp"], ipv6: 0.2, segments: 1,
        hmac: 0.4, streamCipher: 0.3, innerLayers: 0.15, mismatch: 0.3, safetySeconds: 10...30, maxSteps: 6,
        faultChance: 0.4, maxLoss: 0.3, maxLatencyMS: 100, maxJitterMS: 20, maxDuplicate: 0.1, maxCorrupt: 0.05,
        maxSkewSeconds: 30, maxDrift: 0.01, advertiseEvery: 1...3)

    public static let standard = ExploreProfile(
        name: "default", minNodes: 2, maxNodes: 8, kinds: ["udp", "tcp"], ipv6: 0.25, segments: 2,
        hmac: 0.4, streamCipher: 0.3, innerLayers: 0.2, mismatch: 0.3, safetySeconds: 20...60, maxSteps: 12,
        faultChance: 0.5, maxLoss: 0.3, maxLatencyMS: 200, maxJitterMS: 50, maxDuplicate: 0.1, maxCorrupt: 0.05,
        maxSkewSeconds: 60, maxDrift: 0.01, advertiseEvery: 1...5)

    public static let wide = ExploreProfile(
        name: "wide", minNodes: 4, maxNodes: 32, kinds: ["udp", "tcp"], ipv6: 0.3, segments: 3,
        hmac: 0.5, streamCipher: 0.3, innerLayers: 0.25, mismatch: 0.4, safetySeconds: 60...180, maxSteps: 30,
        faultChance: 0.6, maxLoss: 0.4, maxLatencyMS: 500, maxJitterMS: 100, maxDuplicate: 0.2, maxCorrupt: 0.1,
        maxSkewSeconds: 300, maxDrift: 0.05, advertiseEvery: 2...10)

    public static let builtIn: [ExploreProfile] = [.tiny, .small, .standard, .wide]

    /// A built-in name, or a profile file.
    public static func load(_ nameOrPath: String) throws(ExploreError) -> ExploreProfile {
        if let p = builtIn.first(where: { $0.name == nameOrPath }) { return p }
        guard let data = FileManager.default.contents(atPath: nameOrPath) else {
            if nameOrPath.contains("/") || nameOrPath.contains(".") { throw .unreadable(nameOrPath) }
            throw .invalidProfile(nameOrPath, "no built-in profile of that name (\(builtIn.map(\.name).joined(separator: ", "))) and no such file")
        }
        return try parse(String(decoding: data, as: UTF8.self), source: nameOrPath)
    }

    static let keys = ["base", "name", "min_nodes", "max_nodes", "kinds", "ipv6", "segments", "hmac", "stream_cipher",
                       "inner_layers", "mismatch", "safety_seconds", "max_steps", "fault_chance", "max_loss",
                       "max_latency_ms", "max_jitter_ms", "max_duplicate", "max_corrupt", "max_skew_seconds",
                       "max_drift", "advertise_every"]

    public static func parse(_ text: String, source: String) throws(ExploreError) -> ExploreProfile {
        let loaded: Any?
        do { loaded = try Yams.load(yaml: text) } catch { throw .invalidProfile(source, "not YAML or JSON: \(error)") }
        guard let map = loaded as? [String: Any] else { throw .invalidProfile(source, "expected a mapping of profile fields") }
        if let unknown = map.keys.sorted().first(where: { !keys.contains($0) }) {
            throw .invalidProfile(source, "unknown field \(unknown); fields: \(keys.joined(separator: ", "))")
        }
        let r = FieldReader(map: map, source: source)
        let baseName = try r.string("base") ?? "default"
        guard var p = builtIn.first(where: { $0.name == baseName }) else {
            throw .invalidProfile(source, "base: no built-in profile \(baseName)")
        }
        p.name = try r.string("name") ?? source
        p.minNodes = try r.int("min_nodes", 2...64) ?? p.minNodes
        p.maxNodes = try r.int("max_nodes", 2...64) ?? p.maxNodes
        if let kinds = try r.strings("kinds") {
            guard !kinds.isEmpty, kinds.allSatisfy(["udp", "tcp"].contains) else { throw .invalidProfile(source, "kinds: a non-empty list of udp, tcp") }
            p.kinds = kinds
        }
        p.ipv6 = try r.probability("ipv6") ?? p.ipv6
        p.segments = try r.int("segments", 1...8) ?? p.segments
        p.hmac = try r.probability("hmac") ?? p.hmac
        p.streamCipher = try r.probability("stream_cipher") ?? p.streamCipher
        p.innerLayers = try r.probability("inner_layers") ?? p.innerLayers
        p.mismatch = try r.probability("mismatch") ?? p.mismatch
        p.safetySeconds = try r.range("safety_seconds", 5...3600) ?? p.safetySeconds
        p.maxSteps = try r.int("max_steps", 0...200) ?? p.maxSteps
        p.faultChance = try r.probability("fault_chance") ?? p.faultChance
        p.maxLoss = try r.probability("max_loss") ?? p.maxLoss
        p.maxLatencyMS = try r.int("max_latency_ms", 1...10_000) ?? p.maxLatencyMS
        p.maxJitterMS = try r.int("max_jitter_ms", 0...10_000) ?? p.maxJitterMS
        p.maxDuplicate = try r.probability("max_duplicate") ?? p.maxDuplicate
        p.maxCorrupt = try r.probability("max_corrupt") ?? p.maxCorrupt
        p.maxSkewSeconds = try r.int("max_skew_seconds", 0...86_400) ?? p.maxSkewSeconds
        p.maxDrift = try r.probability("max_drift") ?? p.maxDrift
        p.advertiseEvery = try r.range("advertise_every", 1...600) ?? p.advertiseEvery
        guard p.minNodes <= p.maxNodes else { throw .invalidProfile(source, "min_nodes must not exceed max_nodes") }
        return p
    }
}

/// Typed reads of one profile file's fields.
private struct FieldReader {
    let map: [String: Any]
    let source: String

    func fail(_ key: String, _ what: String) -> ExploreError { .invalidProfile(source, "\(key): expected \(what)") }

    func string(_ key: String) throws(ExploreError) -> String? {
        guard let v = map[key] else { return nil }
        guard let s = v as? String else { throw fail(key, "a string") }
        return s
    }

    func strings(_ key: String) throws(ExploreError) -> [String]? {
        guard let v = map[key] else { return nil }
        guard let list = v as? [Any], let s = list as? [String] else { throw fail(key, "a list of strings") }
        return s
    }

    func int(_ key: String, _ range: ClosedRange<Int>) throws(ExploreError) -> Int? {
        guard let v = map[key] else { return nil }
        guard let i = v as? Int, range.contains(i) else { throw fail(key, "an integer in \(range.lowerBound)…\(range.upperBound)") }
        return i
    }

    func probability(_ key: String) throws(ExploreError) -> Double? {
        guard let v = map[key] else { return nil }
        let d = (v as? Double) ?? (v as? Int).map(Double.init)
        guard let d, d >= 0, d <= 1 else { throw fail(key, "a number in 0…1") }
        return d
    }

    func range(_ key: String, _ bounds: ClosedRange<Int>) throws(ExploreError) -> ClosedRange<Int>? {
        guard let v = map[key] else { return nil }
        guard let list = v as? [Any], list.count == 2, let a = list[0] as? Int, let b = list[1] as? Int, a <= b,
              bounds.contains(a), bounds.contains(b) else { throw fail(key, "[low, high] within \(bounds.lowerBound)…\(bounds.upperBound)") }
        return a...b
    }
}

/// What explore, shrink and their files can go wrong with, in words (the CLI maps them to exit codes).
public enum ExploreError: Error, Sendable, CustomStringConvertible, Equatable {
    case unreadable(String)
    case invalidProfile(String, String)
    /// The generator wrote a scenario the parser refused: a bug of ours, reported with the seed.
    case generatorBug(seed: UInt64, String)
    case invalidLedger(String, String)

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read \(path)"
        case .invalidProfile(let source, let why): "profile \(source): \(why)"
        case .generatorBug(let seed, let why): "internal error: the scenario generated for seed \(seed) is invalid (\(why)); please report it"
        case .invalidLedger(let path, let why): "ledger \(path): \(why)"
        }
    }
}
