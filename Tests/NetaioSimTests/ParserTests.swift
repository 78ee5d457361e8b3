import Foundation
import Testing
import NetaioScenario
import NetaioSim
import NetaioTestSupport

/// Parse errors are typed, point at the line and field, and no input crashes the parser.
@Suite struct ParserTests {
    func error(_ text: String) -> ScenarioError? {
        do {
            _ = try ScenarioParser.parse(Array(text.utf8))
            return nil
        } catch {
            return error
        }
    }

    let minimal = """
        duration: 10s
        nodes:
          - name: a
            role: udp
        """

    /// `scripts/bench sim --instructions` runs this file: it must stay a valid scenario
    /// with 1,000 nodes (it is not in the suite that runs every fixture).
    @Test func instructionBenchmarkFixtureParses() throws {
        let data = try Data(contentsOf: Fixtures.url("Fixtures/bench/discovery-1000-nodes-2min.yaml"))
        let scenario = try ScenarioParser.parse(Array(data))
        #expect(scenario.nodes.count == 1000)
    }

    @Test func minimalScenarioParses() throws {
        let s = try ScenarioParser.parse(Array(minimal.utf8))
        #expect(s.nodes.count == 1 && s.duration == 10 && s.seed == 1)
    }

    @Test func unknownFieldNamesTheLineAndField() throws {
        let e = try #require(error(minimal + "\n    colour: blue\n"))
        #expect(e.kind == .unknownField)
        #expect(e.line == 5)
        #expect(e.path == "nodes[0].colour")
        #expect(e.description.contains("line 5"))
    }

    @Test func wrongTypesAndValues() throws {
        #expect(error("duration: soon\nnodes: [{name: a, role: udp}]")?.kind == .wrongType)
        #expect(error("duration: -5s\nnodes: [{name: a, role: udp}]")?.kind == .invalidValue)
        #expect(error("duration: 5s\nnodes: [{name: a, role: router}]")?.kind == .invalidValue)
        #expect(error("duration: 5s\nnodes: [{name: a, role: udp}]\nnetwork: {loss: 120%}")?.kind == .invalidValue)
        #expect(error("duration: 5s\nnodes: {name: a}")?.kind == .wrongType)
        #expect(error("duration: 5s")?.kind == .missingField)
        #expect(error("duration: 5s\nnodes: [{name: a, role: udp, count: 0}]")?.kind == .invalidValue)
    }

    @Test func unknownNodeReferences() throws {
        let e = try #require(error(minimal + "\ntimeline:\n  - at: 1s\n    crash: zed\n"))
        #expect(e.kind == .unknownNode)
        #expect(e.line == 7)
        #expect(e.path == "timeline[0].crash")
    }

    @Test func duplicateNamesAndKeys() throws {
        #expect(error("duration: 5s\nnodes: [{name: a, role: udp}, {name: a, role: udp}]")?.kind == .duplicateName)
        #expect(error("duration: 5s\nduration: 6s\nnodes: [{name: a, role: udp}]")?.kind == .duplicateField)
    }

    @Test func yamlSyntaxErrorsCarryTheLine() throws {
        let e = try #require(error("duration: 5s\nnodes:\n  - name: [a\n"))
        #expect(e.kind == .syntax)
        #expect(e.line != nil)
    }

    @Test func hostileInputsAreRefusedUpFront() throws {
        #expect(error("duration: 5s\nnodes: " + String(repeating: "[", count: 5000))?.kind == .tooDeep)
        #expect(error(String(repeating: "- ", count: 5000) + "x")?.kind == .tooDeep)
        #expect(error("a: &x [1]\nb: *x")?.kind == .unsupported)
        #expect(error("")?.kind == .missingField)
        do {
            _ = try ScenarioParser.parse([0x64, 0xFF, 0xFE, 0x0A])
            Issue.record("invalid UTF-8 accepted")
        } catch {
            #expect(error.kind == .notUTF8)
        }
    }

    @Test func mutatedFixturesNeverCrash() throws {
        // A small in-test fuzz run: byte flips, truncations and splices of every fixture.
        let dir = Fixtures.url("Fixtures/scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }.sorted()
        var g = Xoshiro256StarStar(seed: 7)
        var parsed = 0, rejected = 0
        for f in files {
            let original = Array(try Data(contentsOf: dir.appendingPathComponent(f)))
            for _ in 0..<150 {
                var b = original
                switch g.below(4) {
                case 0: b[Int(g.below(UInt64(b.count)))] = UInt8(truncatingIfNeeded: g.next())
                case 1: b = Array(b.prefix(Int(g.below(UInt64(b.count)))))
                case 2:
                    let i = Int(g.below(UInt64(b.count)))
                    b.insert(contentsOf: [0x5B, 0x7B, 0x3A, 0x2D, 0x20, 0x22, 0x0A, 0x26][Int(g.below(8))...].prefix(3), at: i)
                default:
                    let i = Int(g.below(UInt64(b.count))), j = Int(g.below(UInt64(b.count)))
                    b.replaceSubrange(min(i, j)..<max(i, j), with: [])
                }
                do {
                    _ = try ScenarioParser.parse(b)
                    parsed += 1
                } catch {
                    rejected += 1
                    #expect(!error.message.isEmpty)
                }
            }
        }
        #expect(parsed > 0 && rejected > 0)
    }
}
