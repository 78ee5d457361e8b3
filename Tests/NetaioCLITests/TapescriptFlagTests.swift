import Foundation
import NetaioTestSupport
import Testing

/// `--tapescript-seed` / `--tapescript-lock` (docs/tapescript.md): netaio's README
/// TapescriptAuthPlugin as the outer auth plugin of `netaio serve` and the clients.
struct TapescriptFlagTests {
    static let seed = String(repeating: "61", count: 32)

    @Test func badFlagsAreUsageErrors() throws {
        #expect(try netaio("serve", "--port", "0", "--tapescript-seed", "6161").status == 64)
        #expect(try netaio("serve", "--port", "0", "--tapescript-seed", Self.seed, "--hmac-secret", "s").status == 64)
        #expect(try netaio("serve", "--port", "0", "--tapescript-lock", "0101").status == 64)
        #expect(try netaio("serve", "--port", "0", "--tapescript-seed", Self.seed, "--tapescript-lock", "zz").status == 64)
        #expect(try netaio("request", "tcp://127.0.0.1:1", "x", "--tapescript-seed", "nothex").status == 64)
    }

    @Test func serveAndClientsAuthenticate() throws {
        let server = try LineProcess(["serve", "--port", "0", "--tapescript-seed", Self.seed])
        let url = "tcp://\(try server.listening())"
        #expect(try netaio("create", url, "doc", "--content", "signed", "--tapescript-seed", Self.seed).status == 0)
        let reply = try netaio("request", url, "doc", "--tapescript-seed", Self.seed)
        #expect(reply.status == 0 && reply.stdout == "RESPOND_URI signed\n", "\(reply)")
        // Another key, and no auth at all: netaio's AUTH_ERROR reply (exit 1).
        let other = try BuiltProducts.run("netaio", ["request", url, "doc", "--tapescript-seed", String(repeating: "62", count: 32), "--timeout", "3"])
        #expect(other.status == 1 && other.stdout.hasPrefix("AUTH_ERROR tapescript auth failed"), "\(other)")
        let none = try BuiltProducts.run("netaio", ["request", url, "doc", "--timeout", "3"])
        #expect(none.status == 1 && none.stdout.hasPrefix("AUTH_ERROR"), "\(none)")
        #expect(server.stop() == 0)
    }
}
