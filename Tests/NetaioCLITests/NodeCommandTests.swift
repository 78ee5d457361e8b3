import Foundation
import NetaioTestSupport
import NetaioWire
import Testing

/// `netaio node` and the client commands over udp://.
@Suite(.serialized) struct NodeCommandTests {
    @Test func resourcesOverDatagrams() throws {
        let node = try LineProcess(["node", "--host", "127.0.0.1", "--port", "0", "--no-multicast"])
        let url = "udp://\(try node.listening())"
        #expect(try netaio("create", url, "u", "--content", "one").stdout == "OK\n")
        #expect(try netaio("request", url, "u").stdout == "RESPOND_URI one\n")
        let subscriber = try LineProcess(["subscribe", url, "u", "--count", "1"])
        _ = try subscriber.waitForLine { $0 == "CONFIRM_SUBSCRIBE" }
        #expect(try netaio("update", url, "u", "--content", "two").status == 0)
        #expect(subscriber.waitForExit() == 0)
        #expect(subscriber.lines.last == "NOTIFY_URI two")
        #expect(try netaio("delete", url, "u").status == 0)
        #expect(try netaio("request", url, "u").status == 1)
        #expect(node.stop() == 0)
        // Nobody there any more: UDP cannot tell, so this is a timeout (exit 2).
        let r = try netaio("request", url, "u", "--timeout", "0.5")
        #expect(r.status == 2 && r.stderr.hasPrefix("error: timeout:"), "\(r)")
    }

    @Test func peersDiscoverEachOtherAndSayGoodbye() throws {
        let a = try LineProcess(["node", "--host", "127.0.0.1", "--port", "0", "--no-multicast", "--manage-peers", "--peer-id", "aa01", "--print-peers"])
        let aAddress = try a.listening()
        let b = try LineProcess([
            "node", "--host", "127.0.0.1", "--port", "0", "--no-multicast", "--peer", aAddress,
            "--peer-id", "bb02", "--print-peers", "--advertise-every", "0.5",
        ])
        let bAddress = try b.listening()
        _ = try a.waitForLine { $0 == "peer up \(Hex.encode(Array("bb02".utf8))) \(bAddress)" }
        _ = try b.waitForLine { $0 == "peer up \(Hex.encode(Array("aa01".utf8))) \(aAddress)" }
        #expect(b.stop() == 0)
        _ = try a.waitForLine { $0 == "peer down \(Hex.encode(Array("bb02".utf8)))" }
        #expect(a.stop() == 0)
    }

    /// `netaio node` has `netaio serve`'s inner-layer flags (shared InnerLayerOptions).
    @Test func innerLayerFlags() throws {
        let seed = String(repeating: "51", count: 32)
        // X25519 opens requests with the sender's advertised pubkey: peer management is required.
        let unmanaged = try netaio("node", "--port", "0", "--x25519-seed", seed)
        #expect(unmanaged.status == 64 && unmanaged.stderr.contains("--manage-peers or --peer"), "\(unmanaged)")
        #expect(try netaio("node", "--port", "0", "--manage-peers", "--inner-cipher-key", "k", "--x25519-seed", seed).status == 64)
        #expect(try netaio("node", "--port", "0", "--manage-peers", "--x25519-seed", "5151").status == 64)
        // The inner HMAC and cipher are really on the resource handlers: a request with the
        // outer layer alone gets netaio's plain AUTH_ERROR (exit 1).
        let node = try LineProcess([
            "node", "--host", "127.0.0.1", "--port", "0", "--no-multicast", "--hmac-secret", "outer",
            "--inner-hmac-secret", "inner", "--inner-cipher-key", "k2",
        ])
        let url = "udp://\(try node.listening())"
        let plain = try netaio("request", url, "doc", "--hmac-secret", "outer", "--timeout", "3")
        #expect(plain.status == 1 && plain.stdout.hasPrefix("AUTH_ERROR"), "\(plain)")
        #expect(node.stop() == 0)
        // --peer counts as peer management; a request from an unknown sender cannot be
        // opened, so it is dropped (timeout, exit 2), never answered in clear.
        let sealed = try LineProcess([
            "node", "--host", "127.0.0.1", "--port", "0", "--no-multicast", "--peer", "127.0.0.1:9", "--x25519-seed", seed,
        ])
        let unknown = try netaio("request", "udp://\(try sealed.listening())", "doc", "--timeout", "1")
        #expect(unknown.status == 2, "\(unknown)")
        #expect(sealed.stop() == 0)
        let help = try netaio("node", "--help")
        #expect(help.stdout.contains("--inner-hmac-secret") && help.stdout.contains("--x25519-seed")
                && help.stdout.contains("needs peer management"))
    }
}
