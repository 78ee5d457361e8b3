import Foundation

extension ValidationReport {
    /// A readable table: one line per property, then the failure details.
    public func table() -> String {
        var lines = ["\(subject)"]
        let width = max(24, results.map(\.name.count).max() ?? 0)
        for r in results {
            let name = r.name.padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append("  \(r.verdict.rawValue.uppercased().padding(toLength: 4, withPad: " ", startingAt: 0))  \(name)  \(r.message)")
            if let replay = r.replay, r.verdict == .fail { lines.append("        \(String(repeating: " ", count: width))  \(replay)") }
        }
        let counts = Dictionary(grouping: results, by: \.verdict).mapValues(\.count)
        let summary = [Verdict.pass, .fail, .warn, .info, .skip].compactMap { v in counts[v].map { "\($0) \(v.rawValue)" } }
        lines.append("  → \(passed ? "PASSED" : "FAILED") (\(summary.joined(separator: ", ")))")
        return lines.joined(separator: "\n")
    }

    public var jsonObject: [String: Any] {
        [
            "subject": subject, "passed": passed,
            "properties": results.map { r -> [String: Any] in
                var o: [String: Any] = ["name": r.name, "title": r.title, "verdict": r.verdict.rawValue, "message": r.message]
                if let replay = r.replay { o["replay"] = replay }
                return o
            },
        ]
    }
}
