import Foundation

extension ConformanceReport {
    /// A readable table, one line per case, then a summary and a closing line
    /// `N passed, N failed, N skipped` (see `closingLine`).
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
            if expectedFailures.contains(r.id) {
                lines.append(r.verdict == .fail ? "        expected failure (listed)"
                    : r.verdict == .skipped ? "        listed as an expected failure (not run)"
                    : "        UNEXPECTED PASS: listed as an expected failure but did not fail; remove it from the list")
            }
            if r.verdict == .fail || r.verdict == .nonStrict { lines.append("        rule: \(r.rule)") }
        }
        lines.append("")
        lines.append(summary)
        lines.append(closingLine)
        return lines.joined(separator: "\n")
    }

    public var summary: String {
        let counts = Dictionary(grouping: results, by: \.verdict).mapValues(\.count)
        let parts = [CaseVerdict.pass, .fail, .nonStrict, .informational, .skipped].map { "\(counts[$0] ?? 0) \($0.rawValue)" }
        var text = "\(passed ? "PASSED" : "FAILED"): \(parts.joined(separator: ", ")) in \(String(format: "%.1f", seconds)) s"
        if !expectedFailures.isEmpty {
            text += "; \(expectedFailuresSeen.count) expected failures, \(unexpectedPasses.count) unexpected passes"
        }
        return text
    }

    /// The last line of the table, for scripts: `N passed, N failed, N skipped`. Passed:
    /// cases that ran without failing the run (pass, non-strict, informational), less
    /// unexpected passes; failed: unexpected strict failures plus unexpected passes of
    /// listed cases; skipped: not applicable. Expected failures are in none of the three
    /// (the summary line above counts them).
    public var closingLine: String {
        let skipped = results.filter { $0.verdict == .skipped }.count
        let failed = unexpectedFailures.count + unexpectedPasses.count
        let passedCount = results.filter { $0.verdict != .fail && $0.verdict != .skipped && !expectedFailures.contains($0.id) }.count
        return "\(passedCount) passed, \(failed) failed, \(skipped) skipped"
    }

    public var jsonObject: [String: Any] {
        [
            "target": target, "passed": passed, "seconds": (seconds * 1000).rounded() / 1000,
            "expected_failures": expectedFailures.sorted(), "unexpected_passes": unexpectedPasses.map(\.id),
            "cases": results.map { r -> [String: Any] in
                ["id": r.id, "group": r.group.rawValue, "title": r.title, "rule": r.rule, "level": r.level.rawValue,
                 "verdict": r.verdict.rawValue, "detail": r.detail, "expected_failure": expectedFailures.contains(r.id)]
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
        // Expected failures are not <failure>s; unexpected passes of listed cases are.
        func failing(_ r: CaseResult) -> Bool {
            expectedFailures.contains(r.id) ? (r.verdict != .fail && r.verdict != .skipped) : r.verdict == .fail
        }
        let failures = results.filter(failing).count
        let skipped = results.filter { $0.verdict == .skipped }.count
        xml.append("<testsuites name=\"netaio conformance \(esc(target))\" tests=\"\(results.count)\" failures=\"\(failures)\" skipped=\"\(skipped)\" time=\"\(String(format: "%.3f", seconds))\">")
        for g in CaseGroup.allCases {
            let rs = results.filter { $0.group == g }
            if rs.isEmpty { continue }
            xml.append("  <testsuite name=\"\(g.rawValue)\" tests=\"\(rs.count)\" failures=\"\(rs.filter(failing).count)\" skipped=\"\(rs.filter { $0.verdict == .skipped }.count)\">")
            for r in rs {
                xml.append("    <testcase classname=\"netaio.conformance.\(g.rawValue)\" name=\"\(esc(r.id + " " + r.title))\" time=\"\(String(format: "%.3f", r.seconds))\">")
                if expectedFailures.contains(r.id) && failing(r) {
                    xml.append("      <failure message=\"listed as an expected failure but did not fail (\(r.verdict.rawValue))\">\(esc(r.detail))</failure>")
                    xml.append("    </testcase>")
                    continue
                }
                switch r.verdict {
                case .fail where expectedFailures.contains(r.id): xml.append("      <system-out>expected failure: \(esc(r.detail))</system-out>")
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
