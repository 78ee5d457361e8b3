import Foundation
import NetaioTestSupport
import Testing

/// `netaio serve` and the client commands as scripts use them: the listening line, the
/// reply lines, the exit codes, a clean stop on SIGTERM/SIGINT. Port 0 everywhere.
@Suite(.serialized) struct ServeCommandTests {
    @Test func crudRepliesAndExitCodes() throws {
        let server = try LineProcess(["serve", "--port", "0"])
        let address = try server.listening()
        #expect(address.hasPrefix("127.0.0.1:") && !address.hasSuffix(":0"))
        let url = "tcp://\(address)"

        var r = try netaio("create", url, "greeting", "--content", "hello")
        #expect(r.status == 0 && r.stdout == "OK\n", "\(r)")
        r = try netaio("request", url, "greeting")
        #expect(r.status == 0 && r.stdout == "RESPOND_URI hello\n", "\(r)")
        r = try netaio("update", url, "greeting", "--content", "bye")
        #expect(r.status == 0 && r.stdout == "OK\n")
        r = try netaio("request", url, "greeting", "--json")
        let json = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["type"] as? String == "RESPOND_URI" && json["content"] as? String == "bye" && json["uri"] as? String == "greeting")
        r = try netaio("delete", url, "greeting")
        #expect(r.status == 0 && r.stdout == "OK\n")
        r = try netaio("request", url, "greeting")
        #expect(r.status == 1, "an error reply exits 1")
        #expect(r.stdout == "NOT_FOUND not found\n" && r.stderr.hasPrefix("error: error_reply:"), "\(r)")
        r = try netaio("delete", url, "greeting")
        #expect(r.status == 1 && r.stdout.hasPrefix("NOT_FOUND"))
        r = try netaio("publish", url, "nobody-listens", "--content", "x")
        #expect(r.status == 0 && r.stdout == "OK\n")

        #expect(server.stop(signal: SIGTERM) == 0)
        // The port is free again: a request now fails to connect (exit 3).
        r = try netaio("request", url, "greeting", "--timeout", "2")
        #expect(r.status == 3 && r.stderr.hasPrefix("error: connection_failed:"), "\(r)")
    }

    @Test func contentFromAFileAndBinaryOutput() throws {
        let server = try LineProcess(["serve", "--port", "0"])
        let url = "tcp://\(try server.listening())"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("netaio-cli-\(getpid()).bin")
        try Data([0xff, 0x00, 0x10]).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try netaio("create", url, "bin", "--content-file", file.path).status == 0)
        let r = try netaio("request", url, "bin")
        #expect(r.stdout == "RESPOND_URI 0xff0010\n", "non-UTF-8 content prints as hex")
        #expect(try netaio("create", url, "bin", "--content-file", "/nonexistent/x").status == 66)
        #expect(server.stop(signal: SIGINT) == 0)
    }

    @Test func subscribePrintsNotificationsAsTheyArrive() throws {
        let server = try LineProcess(["serve", "--port", "0"])
        let url = "tcp://\(try server.listening())"
        #expect(try netaio("create", url, "topic", "--content", "v1").status == 0)
        let subscriber = try LineProcess(["subscribe", url, "topic", "--count", "2"])
        _ = try subscriber.waitForLine { $0 == "CONFIRM_SUBSCRIBE" }
        #expect(try netaio("update", url, "topic", "--content", "v2").status == 0)
        _ = try subscriber.waitForLine { $0 == "NOTIFY_URI v2" }  // before the second event exists
        #expect(try netaio("publish", url, "topic", "--content", "news").status == 0)
        #expect(subscriber.waitForExit() == 0)
        #expect(subscriber.lines == ["CONFIRM_SUBSCRIBE", "NOTIFY_URI v2", "NOTIFY_URI news"])

        // Without --count: runs until SIGTERM, exit 0.
        let open = try LineProcess(["subscribe", url, "topic", "--json"])
        let confirm = try open.waitForLine { $0.contains("CONFIRM_SUBSCRIBE") }
        #expect(confirm.contains("\"uri\":\"topic\""))
        #expect(open.stop() == 0)
        // The server going away ends a subscription with exit 3.
        let orphan = try LineProcess(["subscribe", url, "topic"])
        _ = try orphan.waitForLine { $0 == "CONFIRM_SUBSCRIBE" }
        #expect(server.stop() == 0)
        #expect(orphan.waitForExit() == 3)
    }

    @Test func outerPluginsMustMatch() throws {
        let server = try LineProcess(["serve", "--port", "0", "--hmac-secret", "s3cret", "--cipher-key", "k3y"])
        let url = "tcp://\(try server.listening())"
        let keys = ["--hmac-secret", "s3cret", "--cipher-key", "k3y"]
        #expect(try BuiltProducts.run("netaio", ["create", url, "s", "--content", "hidden"] + keys).status == 0)
        let good = try BuiltProducts.run("netaio", ["request", url, "s"] + keys)
        #expect(good.status == 0 && good.stdout == "RESPOND_URI hidden\n")
        // No keys, or a wrong secret: netaio's plain auth-error reply, exit 1 (not a timeout).
        let plain = try netaio("request", url, "s", "--timeout", "3")
        #expect(plain.status == 1 && plain.stdout.contains("HMAC auth failed"), "\(plain)")
        let wrong = try BuiltProducts.run("netaio", ["request", url, "s", "--hmac-secret", "nope", "--cipher-key", "k3y", "--timeout", "3"])
        #expect(wrong.status == 1, "\(wrong)")
        #expect(server.stop() == 0)
    }

    @Test func usageErrorsAndBusyPort() throws {
        #expect(try netaio("request", "ftp://127.0.0.1:1", "x").status == 64)
        #expect(try netaio("request", "tcp://127.0.0.1", "x").status == 64)
        #expect(try netaio("create", "tcp://127.0.0.1:1", "x", "--content", "a", "--content-file", "b").status == 64)
        #expect(try netaio("request", "tcp://127.0.0.1:1", "x", "--timeout", "0").status == 64)
        #expect(try netaio("serve", "--port", "70000").status == 64)
        let server = try LineProcess(["serve", "--port", "0"])
        let port = try server.listening().split(separator: ":").last.map(String.init)!
        let second = try netaio("serve", "--port", port)
        #expect(second.status == 3 && second.stderr.hasPrefix("error: connection_failed:"), "\(second)")
        #expect(server.stop() == 0)
    }

    @Test func innerLayerFlags() throws {
        let seed = String(repeating: "51", count: 32)
        #expect(try netaio("serve", "--port", "0", "--inner-cipher-key", "k", "--x25519-seed", seed, "--manage-peers").status == 64)
        #expect(try netaio("serve", "--port", "0", "--x25519-seed", "5151", "--manage-peers").status == 64)
        #expect(try netaio("serve", "--port", "0", "--x25519-seed", seed).status == 64)
        // The inner HMAC is really on the resource handlers: a request without it gets
        // netaio's plain AUTH_ERROR (exit 1), while the outer layer alone is fine.
        let server = try LineProcess(["serve", "--port", "0", "--hmac-secret", "outer", "--inner-hmac-secret", "inner"])
        let url = "tcp://\(try server.listening())"
        let plain = try BuiltProducts.run("netaio", ["request", url, "doc", "--hmac-secret", "outer", "--timeout", "3"])
        #expect(plain.status == 1 && plain.stdout.hasPrefix("AUTH_ERROR"), "\(plain)")
        #expect(server.stop() == 0)
        let help = try netaio("serve", "--help")
        #expect(help.stdout.contains("--inner-hmac-secret") && help.stdout.contains("--x25519-seed"))
        #expect(help.stdout.contains("--tapescript-seed <HEX64>") && help.stdout.contains("--tapescript-lock <HEX>"))
    }

    @Test(.enabled(if: HostNetwork.ipv6Loopback, HostNetwork.noIPv6Loopback))
    func ipv6ListeningLineUsesBrackets() throws {
        let server = try LineProcess(["serve", "--host", "::1", "--port", "0"])
        let address = try server.listening()
        #expect(address.hasPrefix("[::1]:"))
        #expect(try netaio("create", "tcp://\(address)", "six", "--content", "v6").status == 0)
        #expect(try netaio("request", "tcp://\(address)", "six").stdout == "RESPOND_URI v6\n")
        #expect(server.stop() == 0)
    }

    @Test func helpTeaches() throws {
        let root = try netaio("--help")
        for name in ["serve", "node", "request", "create", "update", "delete", "publish", "subscribe", "decode"] {
            #expect(root.stdout.contains(name))
        }
        let serve = try netaio("serve", "--help")
        #expect(serve.status == 0 && serve.stdout.contains("listening on HOST:PORT") && serve.stdout.contains("Examples:"))
        #expect(serve.stdout.contains("--frame-timeout") && serve.stdout.contains("--max-connections"))
        // The connection policy and its defaults (issue 16).
        #expect(serve.stdout.contains("--first-frame-timeout") && serve.stdout.contains("(default: 30.0)"))
        #expect(serve.stdout.contains("the oldest one that never") && serve.stdout.contains("else the one"))
        let request = try netaio("request", "--help")
        #expect(request.stdout.contains("Exit codes:") && request.stdout.contains("tcp://"))
    }
}
