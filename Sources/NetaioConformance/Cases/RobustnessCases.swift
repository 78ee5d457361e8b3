import Foundation
import NetaioPlugins

extension ConformanceCases {
    static let robustRule = "docs/conformance.md robustness: the implementation keeps serving well-behaved clients; docs/PROTOCOL.md §1.7, §2.1"

    static func served(_ run: CaseRun, _ what: String) -> CaseOutcome {
        run.stillServing() ?? .pass(what + "; a well-behaved client is still served")
    }

    /// Opens limit + max(16, limit/16) connections that never send a byte and keeps them
    /// open, then runs `exhaustionCycles` request cycles (fresh connection, CREATE_URI,
    /// OK within the reply timeout). Every cycle must be served.
    static func connectionExhaustion(_ run: CaseRun) throws -> CaseOutcome {
        let limit = run.config.maxConnections ?? 0
        let wanted = limit + max(16, limit / 16)
        let available = Socket.raiseDescriptorLimit(to: wanted + 64)
        guard available >= wanted + 64 else {
            return .skip("the suite may open only \(available) file descriptors (ulimit -n); \(wanted + 64) needed")
        }
        var idle: [Wire] = []
        idle.reserveCapacity(wanted)
        defer { idle.forEach { $0.close() } }
        var refused = 0
        for _ in 0..<wanted {
            do { idle.append(try Wire.open(run.target, timeout: 1)) } catch { refused += 1 }
        }
        let start = Date()
        var servedCycles = 0
        var problems: [String] = []
        for i in 0..<run.config.exhaustionCycles {
            let u = run.uri("cycle-\(i)")
            do {
                let s = try run.session()
                try run.expect(s, run.message(.createURI, u, "x"), .ok, uri: u)
                servedCycles += 1
                s.close()
            } catch {
                if problems.count < 3 { problems.append("cycle \(i + 1): \(error)") }
            }
        }
        let closedIdle = idle.filter { $0.closedByPeer(within: 0.001) }.count
        let seconds = String(format: "%.1f", Date().timeIntervalSince(start))
        let held = "\(idle.count) idle connections opened (limit \(limit)\(refused > 0 ? ", \(refused) connects failed" : ""); \(closedIdle) since closed by the implementation)"
        if servedCycles < run.config.exhaustionCycles {
            return .fail("\(servedCycles) of \(run.config.exhaustionCycles) request cycles served with \(held): " + problems.joined(separator: "; "))
        }
        return served(run, "\(servedCycles) of \(run.config.exhaustionCycles) request cycles served in \(seconds) s with \(held)")
    }

    static let robustness: [ConformanceCase] = [
        ConformanceCase("R-01", .robustness, "random garbage bytes", rule: robustRule) { run in
            let s = try run.session()
            var g = SystemRandomNumberGenerator()
            try s.sendRaw((0..<4096).map { _ in UInt8.random(in: 0...255, using: &g) })
            let closed = run.isTCP && s.wire.closedByPeer(within: run.config.silence)
            return served(run, "4 KiB of garbage" + (run.isTCP ? (closed ? " (connection closed)" : " (connection left open)") : ""))
        },
        ConformanceCase("R-02", .robustness, "a truncated frame, then the client goes away", rule: robustRule) { run in
            let s = try run.session()
            let frame = try s.prepare(run.message(.createURI, run.uri(), String(repeating: "t", count: 200)))
            try s.sendRaw(Array(frame.prefix(frame.count / 2)))
            s.close()
            return served(run, "half a frame")
        },
        ConformanceCase("R-03", .robustness, "an unknown message type (14) does not end the channel", rule: robustRule + "; Q20 (netaio 0.0.9 closes the connection)", level: .nonStrict) { run in
            let s = try run.session()
            var frame = try s.prepare(run.message(.requestURI, run.uri(), "?"))
            frame[0] = 14
            try s.sendRaw(frame)
            let reply = try? s.replyIfAny()
            if let fail = run.stillServing() { return fail }
            let u = run.uri("after")
            do { try run.expect(s, run.message(.createURI, u, "x"), .ok, uri: u) } catch { return .fail("type 14 ended the channel: \(error)") }
            return .pass("the same channel still serves" + (reply.flatMap { $0 }.map { " (type 14 answered \($0.type))" } ?? ""))
        },
        ConformanceCase("R-04", .robustness, "slowloris: a client stuck inside a header does not block others", rule: robustRule + " (partial-frame timeout)", transports: [.tcp]) { run in
            let slow = try run.session()
            try slow.sendRaw([0x02, 0x00])  // two bytes of a header, then nothing
            let start = Date()
            for _ in 0..<3 {
                if let fail = run.stillServing() { return fail }
                Thread.sleep(forTimeInterval: 0.3)
            }
            let closed = slow.wire.closedByPeer(within: 0.01)
            return .pass("3 requests served while a client sat inside a header for \(String(format: "%.1f", Date().timeIntervalSince(start))) s" + (closed ? "; the slow client was disconnected" : ""))
        },
        ConformanceCase("R-05", .robustness, "many idle connections do not block a new client", rule: robustRule + " (connection limit, idle timeout)", transports: [.tcp]) { run in
            var idle: [Wire] = []
            var refused = 0
            for _ in 0..<run.config.idleConnections {
                do { idle.append(try Wire.open(run.target, timeout: 1)) } catch { refused += 1 }
            }
            defer { idle.forEach { $0.close() } }
            let fresh = try run.session(), u = run.uri()
            do { try run.expect(fresh, run.message(.createURI, u, "x"), .ok, uri: u) } catch { return .fail("a new client was not served with \(idle.count) idle connections open: \(error)") }
            return served(run, "\(idle.count) idle connections open" + (refused > 0 ? ", \(refused) refused" : ""))
        },
        ConformanceCase("R-10", .robustness, "more idle connections than the connection limit do not lock out a well-behaved client", rule: robustRule + " (connection exhaustion: idle sockets must not hold every slot)", transports: [.tcp], requires: [.connectionLimit]) { run in
            try connectionExhaustion(run)
        },
        ConformanceCase("R-06", .robustness, "max-size frames back to back", rule: robustRule + "; docs/PROTOCOL.md §1.6") { run in
            let s = try run.session(), u = run.uri()
            let content = [UInt8](repeating: 0x62, count: try maxContent(run, s, uri: u))
            var bytes: [UInt8] = []
            for _ in 0..<4 { bytes += try s.prepare(Message(type: .createURI, uri: u, content: content)) }
            if !run.isTCP {
                // UDP has no flow control: four 65 KB replies at once can overflow the
                // suite's own receive buffer, so each datagram waits for its answer.
                for i in 0..<4 {
                    let r = try s.exchange(Message(type: .createURI, uri: u, content: content))
                    if let p = run.mismatch(r, .ok, uri: u) { return .fail("reply \(i + 1): \(p)") }
                }
                return served(run, "4 × \(content.count)-byte datagrams answered OK")
            }
            try s.sendRaw(bytes)
            for i in 0..<4 {
                guard let r = try s.replyIfAny(within: run.config.replyTimeout * 2) else { return .fail("reply \(i + 1) of 4 missing") }
                if let p = run.mismatch(r, .ok, uri: u) { return .fail("reply \(i + 1): \(p)") }
            }
            return served(run, "4 × \(content.count)-byte frames answered OK")
        },
        ConformanceCase("R-07", .robustness, "a header claiming 128 KiB that never arrives", rule: robustRule) { run in
            let s = try run.session()
            try s.sendRaw([0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0] + [UInt8](repeating: 0x41, count: 10))
            if !run.isTCP { return served(run, "a short datagram with huge length claims") }
            s.close()
            return served(run, "a 19-byte prefix of a 131,079-byte frame")
        },
        ConformanceCase("R-08", .robustness, "an auth block that is not a dict", rule: robustRule + "; Q22 (netaio accepts any packify value there)", level: .informational) { run in
            let s = try run.session()
            let body = Body(uri: run.uri(), content: Array("x".utf8))
            let bodyBytes = body.encode()
            var frame: [UInt8] = [MessageType.createURI.rawValue, 0x00, 0x01, UInt8(bodyBytes.count >> 8), UInt8(bodyBytes.count & 0xFF)]
            let crc = body.checksum
            frame += [UInt8(crc >> 24), UInt8((crc >> 16) & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8(crc & 0xFF)]
            frame += [0x00] + bodyBytes  // packify None
            try s.sendRaw(frame)
            let reply = try? s.replyIfAny()
            let closed = run.isTCP && s.wire.closedByPeer(within: run.config.silence)
            if let fail = run.stillServing() { return fail }
            return .observed((reply.flatMap { $0 }.map { "answered \($0.type)" } ?? "no reply") + (closed ? "; connection closed" : ""))
        },
        ConformanceCase("R-09", .robustness, "a well-behaved client is still served at the end", rule: robustRule) { run in
            served(run, "final check")
        },
    ]
}
