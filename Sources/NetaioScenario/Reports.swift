import Foundation
import NetaioSim

/// Human and machine-readable forms of a run's result.
public enum Reports {
    /// The readable summary: timeline, verdicts, counts, hash.
    public static func text(_ r: RunResult) -> String {
        var out = "scenario: \(r.scenario)  seed: \(r.seed)\n\ntimeline:\n"
        for line in r.summary { out += "  \(line)\n" }
        out += "\nverdicts:\n"
        for v in r.verdicts {
            out += "  \(v.passed ? "PASS" : "FAIL")  \(v.name)\n        \(v.detail)\n"
        }
        let counts = r.counts.map { "\($0.kind) \($0.count)" }.joined(separator: ", ")
        out += "\ntraffic: \(counts)\n"
        out += "events: \(r.eventsProcessed), virtual time: \(fmt(r.virtualSeconds))s\n"
        out += "trace hash: \(r.traceHash)\n"
        if !r.errors.isEmpty {
            out += "\nrun errors (the verdicts above are not reliable):\n"
            for e in r.errors { out += "  ERROR \(e)\n" }
        }
        out += "result: \(r.passed ? "PASS" : r.errors.isEmpty ? "FAIL" : "ERROR") (\(r.verdicts.count - r.failures.count)/\(r.verdicts.count) verdicts passed)\n"
        return out
    }

    public static func json(_ results: [RunResult]) -> String {
        let runs: [[String: Any]] = results.map { r in
            [
                "scenario": r.scenario, "seed": r.seed, "passed": r.passed, "trace_hash": r.traceHash, "errors": r.errors,
                "events": r.eventsProcessed, "trace_records": r.traceRecords, "virtual_seconds": r.virtualSeconds,
                "counts": Dictionary(uniqueKeysWithValues: r.counts.map { ($0.kind, $0.count) }),
                "verdicts": r.verdicts.map { v in
                    ["name": v.name, "passed": v.passed, "detail": v.detail, "time": v.time, "line": v.line as Any]
                },
            ]
        }
        let object: [String: Any] = ["runs": runs, "passed": results.allSatisfy(\.passed)]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// JUnit XML: one test suite per seed, one test case per verdict.
    public static func junit(_ results: [RunResult]) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
        for r in results {
            out += "  <testsuite name=\"\(xml(r.scenario)) seed \(r.seed)\" tests=\"\(r.verdicts.count)\" failures=\"\(r.failures.count)\" errors=\"\(r.errors.count)\">\n"
            out += "    <properties><property name=\"trace_hash\" value=\"\(r.traceHash)\"/></properties>\n"
            for v in r.verdicts {
                out += "    <testcase classname=\"\(xml(r.scenario))\" name=\"\(xml(v.name))\""
                if v.passed {
                    out += "/>\n"
                } else {
                    out += ">\n      <failure message=\"\(xml(v.detail))\"/>\n    </testcase>\n"
                }
            }
            for e in r.errors {
                out += "    <testcase classname=\"\(xml(r.scenario))\" name=\"run error\">\n      <error message=\"\(xml(e))\"/>\n    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    /// The trace as JSON lines, one record per line.
    public static func traceJSONLines(_ r: RunResult) -> String {
        var out = ""
        out.reserveCapacity(r.records.count * 96)
        func node(_ i: Int32) -> String { i >= 0 && Int(i) < r.nodeNames.count ? "\"\(r.nodeNames[Int(i)])\"" : "null" }
        for rec in r.records {
            out += "{\"t\":\(fmt(rec.time.seconds)),\"kind\":\"\(rec.kind.name)\",\"node\":\(node(rec.node)),\"other\":\(node(rec.other))"
            if rec.packet != 0 { out += ",\"packet\":\(rec.packet),\"size\":\(rec.size),\"type\":\(rec.messageType)" }
            out += ",\"detail\":\(jsonString(rec.detail))}\n"
        }
        return out
    }

    /// Text as XML attribute or element content (the JUnit reports of run and explore).
    public static func xml(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
