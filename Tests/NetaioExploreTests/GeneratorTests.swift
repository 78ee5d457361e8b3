import NetaioExplore
import NetaioScenario
import NetaioTestSupport
import Testing

/// The generator writes valid, reproducible scenarios for any seed or fuzzer input.
@Suite struct GeneratorTests {
    @Test(arguments: ExploreProfile.builtIn.map(\.name))
    func everySeedGivesAValidScenario(_ profile: String) async throws {
        try await offThePool {
            let p = try ExploreProfile.load(profile)
            var shapes = Set<String>()
            for seed in UInt64(1)...300 {
                let (yaml, scenario) = try Explorer.generate(seed: seed, profile: p)
                #expect(scenario.nodes.count >= p.minNodes && scenario.nodes.count <= p.maxNodes, "seed \(seed):\n\(yaml)")
                #expect(scenario.seed == seed)
                shapes.insert(scenario.nodes.map { n in
                    "\(n.role)/\(n.auth != nil)/\(n.cipher != nil)/\(n.segment)/\(n.peers?.appID ?? "")/\(n.peers?.auth != nil)"
                }.joined(separator: ","))
            }
            // Swarm testing: the seeds cover many configurations, not a few.
            #expect(shapes.count > 50)
        }
    }

    @Test func sameSeedSameTextOtherSeedOtherText() async throws {
        try await offThePool {
            let a = try Explorer.generate(seed: 42, profile: .standard).yaml
            #expect(try Explorer.generate(seed: 42, profile: .standard).yaml == a)
            #expect(try Explorer.generate(seed: 43, profile: .standard).yaml != a)
            #expect(try Explorer.generate(seed: 42, profile: .wide).yaml != a)
        }
    }

    @Test func theLivenessPhaseHealsAndExpects() async throws {
        try await offThePool {
            let yaml = try Explorer.generate(seed: 5, profile: .standard).yaml
            for step in ["heal: all", "clear_links: all", "network: {}", "clock: {nodes: all, skew: 0, drift: 0}"] {
                #expect(yaml.contains(step))
            }
            #expect(yaml.contains("'liveness: "))
        }
    }

    @Test func anyBytesGiveAValidScenario() async throws {
        try await offThePool {
            let generator = ScenarioGenerator(profile: .small)
            var inputs: [[UInt8]] = [[], [0], [255, 255, 255], Array(repeating: 0xAB, count: 64)]
            var state: UInt64 = 1
            for _ in 0..<200 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                inputs.append((0..<Int(state >> 58)).map { UInt8(truncatingIfNeeded: state >> UInt64($0 % 8 * 8)) })
            }
            for bytes in inputs {
                var d = ByteDecisions(bytes)
                let yaml = generator.yaml(seed: 1, decisions: &d, origin: "test")
                #expect(throws: Never.self) { try ScenarioParser.parse(Array(yaml.utf8)) }
            }
        }
    }

    @Test func oneChangedByteChangesLittle() async throws {
        try await offThePool {
            let generator = ScenarioGenerator(profile: .small)
            var bytes = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37) }
            var d1 = ByteDecisions(bytes)
            let before = generator.yaml(seed: 1, decisions: &d1, origin: "test").split(separator: "\n")
            bytes[150] ^= 0x55
            var d2 = ByteDecisions(bytes)
            let after = generator.yaml(seed: 1, decisions: &d2, origin: "test").split(separator: "\n")
            // A late decision changed: the topology (the first lines) is the same.
            #expect(Array(before.prefix(12)) == Array(after.prefix(12)))
        }
    }

    @Test func profilesFromFiles() async throws {
        try await offThePool {
            let p = try ExploreProfile.parse("base: small\nmax_nodes: 3\nkinds: [udp]\nsafety_seconds: [5, 9]\n", source: "p.yaml")
            #expect(p.maxNodes == 3 && p.kinds == ["udp"] && p.safetySeconds == 5...9 && p.hmac == ExploreProfile.small.hmac)
            for (text, words) in [("max_nodes: 1", "max_nodes"), ("colour: red", "unknown field colour"), ("kinds: [satellite]", "kinds"),
                                  ("safety_seconds: [9, 5]", "safety_seconds"), ("base: huge", "base"), ("- 1", "mapping"),
                                  ("min_nodes: 9\nmax_nodes: 3", "min_nodes")] {
                #expect {
                    _ = try ExploreProfile.parse(text, source: "p.yaml")
                } throws: { error in
                    "\(error)".contains(words)
                }
            }
            #expect(throws: ExploreError.self) { try ExploreProfile.load("no-such-profile") }
        }
    }
}

/// Choices from a source that answers 0 forever (an exhausted fuzz input) still end.
@Suite struct DecisionTests {
    struct Zeros: DecisionSource {
        mutating func below(_ n: Int) -> Int { 0 }
    }

    @Test func subsetsOfAnExhaustedSourceEnd() {
        var d = Zeros()
        #expect(d.subset(Array(1...9), max: 9) == [1])
        var bytes = ByteDecisions([1, 0, 0, 0])
        let s = bytes.subset(Array(1...9), max: 9)
        #expect(s.count == 2 && Set(s).count == 2)
    }
}
