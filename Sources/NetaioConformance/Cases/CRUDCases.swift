import NetaioPlugins

extension ConformanceCases {
    static let resourceRule = "docs/conformance.md reference resource behaviour (netaio serve/node); docs/PROTOCOL.md §8.2 (replies carry the request's uri)"

    static let crud: [ConformanceCase] = [
        ConformanceCase("C-01", .crud, "CREATE_URI answers OK with the uri", rule: resourceRule) { run in
            let u = run.uri()
            try run.expect(try run.session(), run.message(.createURI, u, "v1"), .ok, uri: u)
            return .pass("OK")
        },
        ConformanceCase("C-02", .crud, "REQUEST_URI answers RESPOND_URI with the stored content", rule: resourceRule) { run in
            let s = try run.session(), u = run.uri()
            try run.expect(s, run.message(.createURI, u, "stored"), .ok, uri: u)
            try run.expect(s, run.message(.requestURI, u), .respondURI, uri: u, content: Array("stored".utf8))
            return .pass("RESPOND_URI \"stored\"")
        },
        ConformanceCase("C-03", .crud, "REQUEST_URI on a missing uri answers NOT_FOUND with the uri", rule: resourceRule + "; §2.3") { run in
            let u = run.uri("missing")
            try run.expect(try run.session(), run.message(.requestURI, u), .notFound, uri: u)
            return .pass("NOT_FOUND")
        },
        ConformanceCase("C-04", .crud, "UPDATE_URI replaces the content (OK)", rule: resourceRule) { run in
            let s = try run.session(), u = run.uri()
            try run.expect(s, run.message(.createURI, u, "old"), .ok, uri: u)
            try run.expect(s, run.message(.updateURI, u, "new"), .ok, uri: u)
            try run.expect(s, run.message(.requestURI, u), .respondURI, uri: u, content: Array("new".utf8))
            return .pass("OK, then RESPOND_URI \"new\"")
        },
        ConformanceCase("C-05", .crud, "UPDATE_URI on a missing uri answers NOT_FOUND", rule: resourceRule) { run in
            let u = run.uri("missing")
            try run.expect(try run.session(), run.message(.updateURI, u, "x"), .notFound, uri: u)
            return .pass("NOT_FOUND")
        },
        ConformanceCase("C-06", .crud, "DELETE_URI removes (OK), then REQUEST_URI is NOT_FOUND", rule: resourceRule) { run in
            let s = try run.session(), u = run.uri()
            try run.expect(s, run.message(.createURI, u, "doomed"), .ok, uri: u)
            try run.expect(s, run.message(.deleteURI, u), .ok, uri: u)
            try run.expect(s, run.message(.requestURI, u), .notFound, uri: u)
            return .pass("OK, then NOT_FOUND")
        },
        ConformanceCase("C-07", .crud, "DELETE_URI on a missing uri answers NOT_FOUND", rule: resourceRule) { run in
            let u = run.uri("missing")
            try run.expect(try run.session(), run.message(.deleteURI, u), .notFound, uri: u)
            return .pass("NOT_FOUND")
        },
        ConformanceCase("C-08", .crud, "binary uri and content bytes round-trip unchanged", rule: "docs/PROTOCOL.md §1.4 (uri and content are opaque bytes)") { run in
            let s = try run.session()
            let u = run.uri() + [0x00, 0xFF, 0x80, 0x0A]
            let content: [UInt8] = Array(0...255)
            try run.expect(s, Message(type: .createURI, uri: u, content: content), .ok, uri: u)
            try run.expect(s, Message(type: .requestURI, uri: u), .respondURI, uri: u, content: content)
            return .pass("256 byte values and a non-UTF-8 uri")
        },
        ConformanceCase("C-10", .crud, "reads follow writes: REQUEST after UPDATE and after DELETE + CREATE sees the new content", rule: resourceRule) { run in
            let s = try run.session(), u = run.uri()
            try run.expect(s, run.message(.createURI, u, "v1"), .ok, uri: u)
            try run.expect(s, run.message(.requestURI, u), .respondURI, uri: u, content: Array("v1".utf8))
            try run.expect(s, run.message(.updateURI, u, "v2"), .ok, uri: u)
            try run.expect(s, run.message(.requestURI, u), .respondURI, uri: u, content: Array("v2".utf8))
            try run.expect(s, run.message(.deleteURI, u), .ok, uri: u)
            try run.expect(s, run.message(.createURI, u, "v3"), .ok, uri: u)
            try run.expect(s, run.message(.requestURI, u), .respondURI, uri: u, content: Array("v3".utf8))
            return .pass("v1, then v2 after UPDATE, then v3 after DELETE + CREATE")
        },
        ConformanceCase("C-09", .crud, "the store is shared between clients", rule: resourceRule) { run in
            let a = try run.session(), b = try run.session(), u = run.uri()
            try run.expect(a, run.message(.createURI, u, "from a"), .ok, uri: u)
            try run.expect(b, run.message(.requestURI, u), .respondURI, uri: u, content: Array("from a".utf8))
            return .pass("client b reads what client a created")
        },
    ]
}
