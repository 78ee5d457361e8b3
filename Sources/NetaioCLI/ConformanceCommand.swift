import ArgumentParser
import NetaioWire
import Foundation
import NetaioConformance

/// `netaio conformance`: the numbered conformance cases against any netaio
/// implementation reachable over TCP or UDP (docs/conformance.md).
struct ConformanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Run the netaio conformance suite against an implementation under test.",
        discussion: """
            The implementation must run the reference resource behaviour of `netaio serve` \
            (TCP) or `netaio node` (UDP), started with the same keys given here. Each case has \
            an id (F-01 ...), a title, the protocol rule it checks and a verdict: pass, fail \
            (strict), non-strict (a tolerated deviation), informational, or skipped (not \
            applicable to this transport or configuration).
            Groups: framing crud pubsub errors checksum hmac cipher x25519 peers robustness.
            Case ids are stable: a case keeps its id for good, ids are never renumbered or \
            reused, and new cases get new ids. --list prints the catalogue (id, level, group, \
            transports, needs, title, rule) without contacting anything.
            --expected-failures FILE lists case ids (one per line, # comments) that are known \
            to fail: their failures do not fail the run, but a listed case that runs and does \
            not fail does (so the list cannot go stale). The table ends with a line \
            `N passed, N failed, N skipped`.
            Exit: 0 no strict failure, 1 a strict case failed (or a listed case passed), \
            64 bad arguments, 66 the expected-failures file cannot be read.

            Examples:
              netaio conformance tcp://127.0.0.1:8888
              netaio conformance udp://127.0.0.1:9999 --hmac-secret s --manage-peers
              netaio conformance tcp://127.0.0.1:8888 --group crud --group errors --report junit:out.xml
              netaio conformance --list
              netaio conformance tcp://127.0.0.1:8888 --expected-failures known-failures.txt
              netaio conformance tcp://127.0.0.1:8888 --case R-10 --max-connections 1024
            """
    )

    @Argument(help: "tcp://HOST:PORT or udp://HOST:PORT (not needed with --list)")
    var target: String?

    @Flag(help: "Print the case catalogue (ids, levels, titles, rules) and exit; runs nothing.")
    var list = false

    @Option(name: .customLong("expected-failures"), help: "A file of case ids expected to fail (one per line, # comments).")
    var expectedFailures: String?

    @Option(help: "Run only this group (repeatable): \(CaseGroup.allCases.map(\.rawValue).joined(separator: ", ")).")
    var group: [String] = []

    @Option(name: .customLong("case"), help: "Run only this case id (repeatable), e.g. C-03.")
    var cases: [String] = []

    @Option(help: "Do not run this case id (repeatable).")
    var skip: [String] = []

    @Option(name: .customLong("hmac-secret"), help: "The implementation's outer HMAC secret.")
    var hmacSecret: String?

    @Option(
        name: .customLong("tapescript-seed"),
        help: ArgumentHelp("The implementation's outer TapescriptAuthPlugin seed (netaio's README single-sig set-up).", valueName: "HEX64"))
    var tapescriptSeed: String?

    @Option(name: .customLong("cipher-key"), help: "The implementation's outer stream cipher key (encrypt_uri true).")
    var cipherKey: String?

    @Option(name: .customLong("inner-hmac-secret"), help: "Inner HMAC (field hmac2) on the implementation's resource handlers.")
    var innerHMACSecret: String?

    @Option(name: .customLong("inner-cipher-key"), help: "Inner stream cipher (field iv2, encrypt_uri false) on the resource handlers.")
    var innerCipherKey: String?

    @Flag(help: "The resource handlers use an inner X25519 layer (needs --manage-peers).")
    var x25519 = false

    @Flag(name: .customLong("manage-peers"), help: "The implementation runs peer management.")
    var managePeers = false

    @Option(name: .customLong("app-id"), help: "The implementation's peer-management app id.")
    var appID = "netaio"

    @Option(help: "Seconds to wait for a reply.")
    var timeout = 2.0

    @Option(help: "Seconds of silence that count as \"no reply\".")
    var silence = 0.4

    @Option(name: .customLong("idle-connections"), help: "Connections opened by the idle-connections case.")
    var idleConnections = 200

    @Option(name: .customLong("max-connections"), help: "The implementation's connection limit: R-10 holds more idle connections than this open and checks a well-behaved client is still served.")
    var maxConnections: Int?

    @Option(help: "Also write a report: json:FILE or junit:FILE (repeatable; FILE '-' is stdout).")
    var report: [String] = []

    @Flag(help: "Print JSON instead of the table.")
    var json = false

    @Flag(help: "Print one line per case as it finishes (on stderr).")
    var progress = false

    func validate() throws {
        if list {
            if target != nil { throw ValidationError("--list takes no target") }
        } else {
            guard let target, ConformanceTarget(target) != nil else { throw ValidationError("target must be tcp://HOST:PORT or udp://HOST:PORT") }
        }
        for g in group where CaseGroup(rawValue: g) == nil { throw ValidationError("unknown group \(g)") }
        let ids = Set(ConformanceCases.all.map(\.id))
        for c in cases + skip where !ids.contains(c) { throw ValidationError("unknown case \(c)") }
        for r in report {
            let parts = r.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, ["json", "junit"].contains(parts[0]) else { throw ValidationError("--report must be json:FILE or junit:FILE") }
        }
        if let maxConnections, !(1...65536).contains(maxConnections) { throw ValidationError("--max-connections must be 1...65536") }
        if timeout <= 0 || silence <= 0 { throw ValidationError("--timeout and --silence must be positive") }
        if let tapescriptSeed, Hex.decode(tapescriptSeed)?.count != 32 {
            throw ValidationError("--tapescript-seed must be 64 hex digits (a 32-byte Ed25519 seed)")
        }
        if tapescriptSeed != nil && hmacSecret != nil { throw ValidationError("--tapescript-seed and --hmac-secret: pick one outer auth plugin") }
    }

    func run() throws {
        if list {
            print(json ? try Self.catalogueJSON() : Self.catalogue())
            return
        }
        var expected: Set<String> = []
        if let path = expectedFailures {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                FileHandle.standardError.write(Data("error: cannot read --expected-failures \(path): \(error.localizedDescription)\n".utf8))
                throw NetaioExit.noInput
            }
            do {
                expected = try ExpectedFailures.parse(text)
            } catch {
                throw ValidationError("--expected-failures \(path): \(error)")
            }
        }
        var config = ConformanceConfig()
        config.hmacSecret = hmacSecret
        config.tapescriptSeed = tapescriptSeed.flatMap { Hex.decode($0) }
        config.cipherKey = cipherKey
        config.innerHMACSecret = innerHMACSecret
        config.innerCipherKey = innerCipherKey
        config.x25519 = x25519
        config.managePeers = managePeers
        config.appID = appID
        config.replyTimeout = timeout
        config.silence = silence
        config.idleConnections = idleConnections
        config.maxConnections = maxConnections
        var selection = ConformanceSelection()
        selection.groups = Set(group.compactMap(CaseGroup.init(rawValue:)))
        selection.cases = Set(cases)
        selection.skipped = Set(skip)
        let result = ConformanceRunner.run(ConformanceTarget(target!)!, config: config, selection: selection, expectedFailures: expected) { r in
            if progress { FileHandle.standardError.write(Data("\(r.id) \(r.verdict.rawValue): \(r.detail)\n".utf8)) }
        }
        print(json ? try result.json() : result.table())
        for r in report {
            let parts = r.split(separator: ":", maxSplits: 1).map(String.init)
            let text = parts[0] == "json" ? try result.json() + "\n" : result.junit()
            if parts[1] == "-" { print(text, terminator: "") } else { try text.write(toFile: parts[1], atomically: true, encoding: .utf8) }
        }
        if !result.passed { throw NetaioExit.errorReply }
    }

    /// The catalogue as text: one line per case, then its rule.
    static func catalogue() -> String {
        var lines: [String] = []
        for c in ConformanceCases.all {
            let transports = c.transports.map(\.rawValue).sorted().joined(separator: ",")
            let needs = c.requires.isEmpty ? "" : "  needs: " + c.requires.map(\.rawValue).joined(separator: ",")
            lines.append("\(c.id.padding(toLength: 5, withPad: " ", startingAt: 0)) \(c.level.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)) \(c.group.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(transports.padding(toLength: 7, withPad: " ", startingAt: 0)) \(c.title)\(needs)")
            lines.append("      rule: \(c.rule)")
        }
        lines.append("\(ConformanceCases.all.count) cases")
        return lines.joined(separator: "\n")
    }

    static func catalogueJSON() throws -> String {
        let cases = ConformanceCases.all.map { c -> [String: Any] in
            ["id": c.id, "group": c.group.rawValue, "title": c.title, "rule": c.rule, "level": c.level.rawValue,
             "transports": c.transports.map(\.rawValue).sorted(), "requires": c.requires.map(\.rawValue)]
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: ["cases": cases], options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
    }
}
