import NetaioSim

/// A self-contained HTML page with an SVG sequence diagram of a recorded run: one row per
/// node, time to the right; messages as lines from sender to receiver (coloured by type),
/// network drops as red crosses, peer-table changes as dots, starts/stops/crashes as bars,
/// partitions as shaded bands. Hover for details. Large runs are cut to the first
/// `maxNodes` rows and `maxMessages` messages (the page says so).
public enum TimelinePage {
    public static let maxNodes = 40
    public static let maxMessages = 20_000

    public static func html(_ r: RunResult) -> String {
        let rows = min(r.nodeNames.count, maxNodes)
        let duration = max(r.virtualSeconds, 1)
        let pxPerSecond = max(20.0, min(400.0, 4000 / duration))
        let left = 110.0, top = 40.0, rowH = 28.0
        let width = left + duration * pxPerSecond + 40
        let height = top + Double(rows) * rowH + 30
        func x(_ t: SimTime) -> String { fmt1(left + t.seconds * pxPerSecond) }
        func y(_ node: Int32) -> Double { top + Double(node) * rowH + rowH / 2 }
        func shown(_ node: Int32) -> Bool { node >= 0 && Int(node) < rows }

        var svg = ""
        // Partitions: bands from partition to heal.
        var open: [(name: String, start: SimTime)] = []
        var bands: [(String, SimTime, SimTime)] = []
        for rec in r.records {
            if rec.kind == .partition { open.append((rec.detail, rec.time)) }
            if rec.kind == .heal {
                let which = rec.detail.dropFirst("heal ".count)
                for o in open where which == "all" || o.name.hasPrefix("partition \(which)") { bands.append((o.name, o.start, rec.time)) }
                open.removeAll { which == "all" || $0.name.hasPrefix("partition \(which)") }
            }
        }
        for o in open { bands.append((o.name, o.start, SimTime.seconds(duration))) }
        for (name, a, b) in bands {
            svg += "<rect x=\"\(x(a))\" y=\"\(fmt1(top))\" width=\"\(fmt1((b - a).seconds * pxPerSecond))\" height=\"\(fmt1(Double(rows) * rowH))\" class=\"band\"><title>\(Reports.xml(name))</title></rect>\n"
        }
        // Rows and the time axis.
        for i in 0..<rows {
            let yy = fmt1(y(Int32(i)))
            svg += "<text x=\"6\" y=\"\(yy)\" class=\"name\">\(Reports.xml(r.nodeNames[i]))</text><line x1=\"\(fmt1(left))\" y1=\"\(yy)\" x2=\"\(fmt1(width - 20))\" y2=\"\(yy)\" class=\"row\"/>\n"
        }
        let step = niceStep(duration)
        var t = 0.0
        while t <= duration {
            let xx = fmt1(left + t * pxPerSecond)
            svg += "<line x1=\"\(xx)\" y1=\"\(fmt1(top - 8))\" x2=\"\(xx)\" y2=\"\(fmt1(height - 30))\" class=\"tick\"/><text x=\"\(xx)\" y=\"\(fmt1(top - 12))\" class=\"axis\">\(fmt(t))s</text>\n"
            t += step
        }
        // Messages.
        var sends: [UInt64: TraceRecord] = [:]
        var drawn = 0
        for rec in r.records {
            switch rec.kind {
            case .send, .multicast:
                sends[rec.packet] = rec
            case .deliver, .drop:
                guard drawn < maxMessages, let s = sends[rec.packet], shown(s.node) || shown(rec.node) else { continue }
                guard shown(s.node), shown(rec.node) else { continue }
                drawn += 1
                let tip = Reports.xml("\(typeName(s.messageType)) \(r.nodeNames[Int(s.node)]) → \(r.nodeNames[Int(rec.node)]) at \(rec.time) (\(s.size) B)\(rec.kind == .drop ? ": " + rec.detail : "")")
                if rec.kind == .deliver {
                    svg += "<line x1=\"\(x(s.time))\" y1=\"\(fmt1(y(s.node)))\" x2=\"\(x(rec.time))\" y2=\"\(fmt1(y(rec.node)))\" class=\"m t\(typeClass(s.messageType))\"><title>\(tip)</title></line>\n"
                } else {
                    let xx = x(rec.time), yy = y(rec.node)
                    svg += "<line x1=\"\(x(s.time))\" y1=\"\(fmt1(y(s.node)))\" x2=\"\(xx)\" y2=\"\(fmt1(yy))\" class=\"m lost\"><title>\(tip)</title></line><text x=\"\(xx)\" y=\"\(fmt1(yy + 4))\" class=\"x\">×<title>\(tip)</title></text>\n"
                }
            case .peerAdded, .peerRemoved, .start, .stop, .crash, .requestCompleted, .requestFailed:
                guard shown(rec.node) else { continue }
                let cls = rec.kind.name
                if [.start, .stop, .crash].contains(rec.kind) {
                    svg += "<rect x=\"\(x(rec.time))\" y=\"\(fmt1(y(rec.node) - rowH / 2 + 3))\" width=\"4\" height=\"\(fmt1(rowH - 6))\" class=\"\(cls)\"><title>\(Reports.xml("\(rec.time) \(rec.detail)"))</title></rect>\n"
                } else {
                    svg += "<circle cx=\"\(x(rec.time))\" cy=\"\(fmt1(y(rec.node)))\" r=\"4\" class=\"\(cls)\"><title>\(Reports.xml("\(rec.time) \(rec.detail)"))</title></circle>\n"
                }
            default:
                continue
            }
        }
        let cut = (r.nodeNames.count > rows ? "Showing the first \(rows) of \(r.nodeNames.count) nodes. " : "")
            + (drawn >= maxMessages ? "Showing the first \(maxMessages) messages. " : "")
        let verdicts = r.verdicts.map { "<li class=\"\($0.passed ? "pass" : "fail")\">\($0.passed ? "PASS" : "FAIL") \(Reports.xml($0.name)): \(Reports.xml($0.detail))</li>" }.joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>\(Reports.xml(r.scenario)) (seed \(r.seed))</title>
            <style>
            body{font:14px system-ui,sans-serif;margin:16px;color:#222}
            .wrap{overflow-x:auto;border:1px solid #ccc}
            .pass{color:#19a974}.fail{color:#d22;font-weight:bold}
            </style></head><body>
            <h2>\(Reports.xml(r.scenario)) — seed \(r.seed)</h2>
            <p>Trace hash <code>\(r.traceHash)</code>, \(r.eventsProcessed) events, \(fmt(r.virtualSeconds))s virtual. \(cut)</p>
            <p>Lines: <span style="color:#2a7de1">ADVERTISE_PEER</span>, <span style="color:#19a974">PEER_DISCOVERED</span>,
            <span style="color:#9b51e0">DISCONNECT</span>, <span style="color:#333">REQUEST</span>, <span style="color:#777">RESPOND</span>,
            <span style="color:#e08a00">PUBLISH/NOTIFY</span>, <span style="color:#d22">errors and losses (×)</span>.
            Dots: green peer added, orange peer removed. Bars: green start, grey stop, red crash. Shaded: partitions.</p>
            <ul>\(verdicts)</ul>
            <div class="wrap"><svg xmlns="http://www.w3.org/2000/svg" width="\(fmt1(width))" height="\(fmt1(height))">
            <style>
            \(svgStyle)
            </style>
            <rect width="100%" height="100%" fill="white"/>
            \(svg)</svg></div>
            </body></html>

            """
    }

    /// Inside the SVG, so the drawing also stands alone (copied out of the page).
    static let svgStyle = """
        .name{font:12px monospace;dominant-baseline:middle}.axis{font:10px monospace;text-anchor:middle;fill:#666}
        .row{stroke:#ddd}.tick{stroke:#f0f0f0}.band{fill:#f6d6d6;opacity:.6}
        .m{stroke-width:1;opacity:.75}.lost{stroke:#d22;stroke-dasharray:3 2}.x{fill:#d22;font:bold 12px sans-serif;text-anchor:middle}
        .t9{stroke:#2a7de1}.t13{stroke:#19a974}.t30{stroke:#9b51e0}.t0{stroke:#333}.t1{stroke:#777}.t7{stroke:#e08a00}.terr{stroke:#d22}.tother{stroke:#aaa}
        .peer_added{fill:#19a974}.peer_removed{fill:#e08a00}.request_completed{fill:#333}.request_failed{fill:#d22}
        .start{fill:#19a974}.stop{fill:#888}.crash{fill:#d22}
        """

    static func typeName(_ t: UInt8) -> String {
        switch t {
        case 0: "REQUEST_URI"
        case 1: "RESPOND_URI"
        case 2: "CREATE_URI"
        case 3: "UPDATE_URI"
        case 4: "DELETE_URI"
        case 5: "SUBSCRIBE_URI"
        case 7: "PUBLISH_URI"
        case 8: "NOTIFY_URI"
        case 9: "ADVERTISE_PEER"
        case 10: "OK"
        case 13: "PEER_DISCOVERED"
        case 20: "ERROR"
        case 23: "AUTH_ERROR"
        case 24: "NOT_FOUND"
        case 30: "DISCONNECT"
        default: "type \(t)"
        }
    }

    static func typeClass(_ t: UInt8) -> String {
        switch t {
        case 0, 1, 9, 13, 30: "\(t)"
        case 7, 8: "7"
        case 20...25: "err"
        default: "other"
        }
    }

    static func niceStep(_ duration: Double) -> Double {
        for s in [0.1, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600] where duration / s <= 40 { return s }
        return 7200
    }

    static func fmt1(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
}
