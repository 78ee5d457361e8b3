import NetaioPlugins

extension ConformanceCases {
    static let pubsubRule = "docs/conformance.md reference resource behaviour; docs/PROTOCOL.md §8.1/§9 (subscriptions, notify)"

    /// The next NOTIFY_URI on `s` (other replies in between are skipped), or nil.
    static func notification(_ s: Session, timeout: Double) throws -> Reply? {
        while let r = try s.replyIfAny(within: timeout) {
            if r.type == .notifyURI { return r }
        }
        return nil
    }

    static let pubsub: [ConformanceCase] = [
        ConformanceCase("P-01", .pubsub, "SUBSCRIBE_URI answers CONFIRM_SUBSCRIBE with the uri", rule: pubsubRule) { run in
            let u = run.uri()
            try run.expect(try run.session(), run.message(.subscribeURI, u), .confirmSubscribe, uri: u)
            return .pass("CONFIRM_SUBSCRIBE")
        },
        ConformanceCase("P-02", .pubsub, "UPDATE_URI by another client notifies the subscriber", rule: pubsubRule) { run in
            let sub = try run.session(), pub = try run.session(), u = run.uri()
            try run.expect(pub, run.message(.createURI, u, "v1"), .ok, uri: u)
            try run.expect(sub, run.message(.subscribeURI, u), .confirmSubscribe, uri: u)
            try run.expect(pub, run.message(.updateURI, u, "v2"), .ok, uri: u)
            guard let n = try notification(sub, timeout: run.config.replyTimeout) else { return .fail("no NOTIFY_URI reached the subscriber") }
            if let p = run.mismatch(n, .notifyURI, uri: u, content: Array("v2".utf8)) { return .fail(p) }
            return .pass("NOTIFY_URI \"v2\"")
        },
        ConformanceCase("P-03", .pubsub, "PUBLISH_URI answers OK and notifies subscribers", rule: pubsubRule) { run in
            let sub = try run.session(), pub = try run.session(), u = run.uri()
            try run.expect(sub, run.message(.subscribeURI, u), .confirmSubscribe, uri: u)
            try run.expect(pub, run.message(.publishURI, u, "news"), .ok, uri: u)
            guard let n = try notification(sub, timeout: run.config.replyTimeout) else { return .fail("no NOTIFY_URI reached the subscriber") }
            if let p = run.mismatch(n, .notifyURI, uri: u, content: Array("news".utf8)) { return .fail(p) }
            return .pass("OK to the publisher, NOTIFY_URI \"news\" to the subscriber")
        },
        ConformanceCase("P-04", .pubsub, "UNSUBSCRIBE_URI confirms and stops notifications", rule: pubsubRule) { run in
            let sub = try run.session(), pub = try run.session(), u = run.uri()
            try run.expect(sub, run.message(.subscribeURI, u), .confirmSubscribe, uri: u)
            try run.expect(sub, run.message(.unsubscribeURI, u), .confirmUnsubscribe, uri: u)
            try run.expect(pub, run.message(.publishURI, u, "late"), .ok, uri: u)
            if let n = try notification(sub, timeout: run.config.silence) { return .fail("still notified after unsubscribing: \(n.summary)") }
            return .pass("CONFIRM_UNSUBSCRIBE, no NOTIFY_URI afterwards")
        },
        ConformanceCase("P-05", .pubsub, "publishing to a subscriber that went away still answers OK", rule: pubsubRule + "; §8.1 (closed writers are dropped)", transports: [.tcp]) { run in
            let sub = try run.session(), pub = try run.session(), u = run.uri()
            try run.expect(sub, run.message(.subscribeURI, u), .confirmSubscribe, uri: u)
            sub.close()
            try run.expect(pub, run.message(.publishURI, u, "anyone?"), .ok, uri: u)
            try run.expect(pub, run.message(.publishURI, u, "again"), .ok, uri: u)
            return .pass("OK twice after the subscriber disconnected")
        },
        ConformanceCase("P-06", .pubsub, "a subscriber is not notified about other uris", rule: pubsubRule) { run in
            let sub = try run.session(), pub = try run.session(), u = run.uri("a")
            try run.expect(sub, run.message(.subscribeURI, u), .confirmSubscribe, uri: u)
            let other = run.uri("b")
            try run.expect(pub, run.message(.publishURI, other, "not for a"), .ok, uri: other)
            if let n = try notification(sub, timeout: run.config.silence) { return .fail("notified for another uri: \(n.summary)") }
            return .pass("no NOTIFY_URI")
        },
    ]
}
