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
}
