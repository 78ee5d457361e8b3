import NetaioPlugins

extension ConformanceCases {
    static let errors: [ConformanceCase] = [
        ConformanceCase("E-01", .errors, "an unhandled message type gets NOT_FOUND with the uri, or no reply", rule: "docs/PROTOCOL.md §6.2 (default handler), §2.3; docs/conformance.md (replies carry the request's uri); answer types may stay unanswered (Q1)") { run in
            let s = try run.session(), u = run.uri()
            try s.send(run.message(.confirmSubscribe, u, "?"))
            guard let r = try s.replyIfAny(within: run.config.replyTimeout) else {
                try run.expect(s, run.message(.createURI, u, "x"), .ok, uri: u)
                return .pass("no reply to an unsolicited CONFIRM_SUBSCRIBE (an answer type)")
            }
            if let p = run.mismatch(r, .notFound, uri: u) { return .fail(p) }
            return .pass("NOT_FOUND with the uri")
        },
        ConformanceCase("E-02", .errors, "NOT_FOUND replies carry the text \"not found\"", rule: "docs/PROTOCOL.md §2.3 (make_not_found_msg)", level: .nonStrict) { run in
            let u = run.uri("missing")
            try run.expect(try run.session(), run.message(.requestURI, u), .notFound, uri: u, content: Array("not found".utf8))
            return .pass("\"not found\"")
        },
        ConformanceCase("E-03", .errors, "error-type messages are never answered (no NOT_FOUND ping-pong)", rule: "docs/PROTOCOL.md §6.3, Q1 (the default handler must not answer ERROR/AUTH_ERROR/NOT_FOUND/NOT_PERMITTED)") { run in
            let s = try run.session()
            for type in [MessageType.error, .authError, .notFound, .notPermitted] {
                try s.send(run.message(type, run.uri("\(type.rawValue)"), "boom"))
                if let r = try s.replyIfAny() { return .fail("\(type) was answered with \(r.summary)") }
            }
            let u = run.uri("after")
            try run.expect(s, run.message(.createURI, u, "x"), .ok, uri: u)
            return .pass("silence for all four error types; the channel still serves")
        },
        ConformanceCase("E-04", .errors, "error replies use error types (20, 23-25)", rule: "docs/PROTOCOL.md §2.1, §2.3") { run in
            let s = try run.session()
            let r = try s.exchange(run.message(.deleteURI, run.uri("missing")))
            return [MessageType.error, .authError, .notFound, .notPermitted].contains(r.type) ? .pass("\(r.type)") : .fail("a failed DELETE_URI answered \(r.summary)")
        },
    ]
}
