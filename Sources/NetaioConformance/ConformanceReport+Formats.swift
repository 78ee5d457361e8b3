import Foundation

extension ConformanceReport {
    /// A readable table, one line per case, then a summary.
    public func table() -> String {
        var lines = ["netaio conformance — \(target)"]
        var group: CaseGroup?
        for r in results {
            if r.group != group {
                group = r.group
                lines.append("\n[\(r.group.rawValue)]")
            }
            let verdict = r.verdict.rawValue.uppercased().padding(toLength: 13, withPad: " ", startingAt: 0)
            lines.append("  \(r.id.padding(toLength: 5, withPad: " ", startingAt: 0)) \(verdict) \(r.title)")
            lines.append("        \(r.detail)")
            if r.verdict == .fail || r.verdict == .nonStrict { lines.append("        rule: \(r.rule)") }
        }
        lines.append("")
        lines.append(summary)
        return lines.joined(separator: "\n")
    }

    public var summary: String {
        let counts = Dictionary(grouping: results, by: \.verdict).mapValues(\.count)
        let parts = [CaseVerdict.pass, .fail, .nonStrict, .informational, .skipped].map { "\(counts[$0] ?? 0) \($0.rawValue)" }
        return "\(passed ? "PASSED" : "FAILED"): \(parts.joined(separator: ", ")) in \(String(format: "%.1f", seconds)) s"
    }

    public var jsonObject: [String: Any] {
        [
            "target": target, "passed": passed, "seconds": (seconds * 1000).rounded() / 1000,
            "cases": results.map { r -> [String: Any] in
                ["id": r.id, "group": r.group.rawValue, "title": r.title, "rule": r.rule, "level": r.level.rawValue,
                 "verdict": r.verdict.rawValue, "detail": r.detail]
            },
        ]
    }

    public func json() throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: jsonObject, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
    }

    /// JUnit XML: one testsuite per group; strict failures are <failure>, non-strict
    /// deviations and informational results go in <system-out>, skips are <skipped>.
    public func junit() -> String {
        func esc(_ s: String) -> String {
            var out = ""
            for u in s.unicodeScalars {
                switch u {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                default: out += u.value < 0x20 && u != "\n" && u != "\t" ? "?" : String(u)
                }
            }
            return out
        }
        var xml = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>"]
        let failures = results.filter { $0.verdict == .fail }.count
        let skipped = results.filter { $0.verdict == .skipped }.count
        xml.append("<testsuites name=\"netaio conformance \(esc(target))\" tests=\"\(results.count)\" failures=\"\(failures)\" skipped=\"\(skipped)\" time=\"\(String(format: "%.3f", seconds))\">")
        for g in CaseGroup.allCases {
            let rs = results.filter { $0.group == g }
            if rs.isEmpty { continue }
            xml.append("  <testsuite name=\"\(g.rawValue)\" tests=\"\(rs.count)\" failures=\"\(rs.filter { $0.verdict == .fail }.count)\" skipped=\"\(rs.filter { $0.verdict == .skipped }.count)\">")
            for r in rs {
                xml.append("    <testcase classname=\"netaio.conformance.\(g.rawValue)\" name=\"\(esc(r.id + " " + r.title))\" time=\"\(String(format: "%.3f", r.seconds))\">")
                switch r.verdict {
                case .fail: xml.append("      <failure message=\"\(esc(r.detail))\">rule: \(esc(r.rule))</failure>")
                case .skipped: xml.append("      <skipped message=\"\(esc(r.detail))\"/>")
                case .nonStrict, .informational: xml.append("      <system-out>\(r.verdict.rawValue): \(esc(r.detail))</system-out>")
                case .pass: break
                }
                xml.append("    </testcase>")
            }
            xml.append("  </testsuite>")
        }
        xml.append("</testsuites>")
        return xml.joined(separator: "\n") + "\n"
    }
}
