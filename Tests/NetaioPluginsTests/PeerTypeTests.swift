import NetaioTestSupport
import Testing
import NetaioPlugins

@Suite struct PeerTypeTests {
    @Test func parseAddresses() {
        #expect(Address(parsing: "192.0.2.1:8888") == Address(host: "192.0.2.1", port: 8888))
        #expect(Address(parsing: "[::1]:80") == Address(host: "::1", port: 80))
        #expect(Address(parsing: "localhost:1") == Address(host: "localhost", port: 1))
        for bad in ["::1:80", "1.2.3.4", "1.2.3.4:", ":80", "1.2.3.4:65536", "[::1]80", "[::1", "h:-1"] {
            #expect(Address(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func familiesAndCanonicalText() {
        #expect(Address(host: "10.0.0.1", port: 1).family == .ipv4)
        #expect(Address(host: "fe80::1", port: 1).family == .ipv6)
        #expect(Address(host: "example.org", port: 1).family == nil)
        #expect(Address(host: "0:0:0:0:0:0:0:1", port: 5).canonical == Address(host: "::1", port: 5))
        #expect(Address(host: "2001:DB8::0:1", port: 5).canonical.host == "2001:db8::1")
        #expect(Address(host: "example.org", port: 5).canonical.host == "example.org")
        #expect(Address(host: "::1", port: 80).description == "[::1]:80")
        #expect(Address(host: "1.2.3.4", port: 80).description == "1.2.3.4:80")
    }

    /// Hosts compare byte for byte, whatever the strings' storage: equal text held small
    /// (inline), large, or built from bytes is equal; canonically equivalent but different
    /// Unicode is not (Python compares code points).
    @Test func hostsCompareByBytesWhateverTheirStorage() {
        let long = "a-rather-long-host-name.example.org"  // > 15 UTF-8 bytes: heap storage
        let rebuiltLong = String(decoding: Array(long.utf8), as: UTF8.self)
        let grownLong = String(long.dropLast()) + "g"
        #expect(Address(host: long, port: 1) == Address(host: rebuiltLong, port: 1))
        #expect(Address(host: long, port: 1) == Address(host: grownLong, port: 1))
        #expect(Address(host: long, port: 1) != Address(host: String(long.dropLast()) + "h", port: 1))
        let short = "10.0.0.1"
        #expect(Address(host: short, port: 1) == Address(host: String(decoding: Array(short.utf8), as: UTF8.self), port: 1))
        #expect(Address(host: short, port: 1) != Address(host: "10.0.0.2", port: 1))
        #expect(Address(host: short, port: 1) != Address(host: short, port: 2))
        // "é" precomposed vs e + combining acute: equal as Swift Strings, not as bytes.
        #expect("\u{E9}" == "e\u{301}")
        #expect(Address(host: "\u{E9}", port: 1) != Address(host: "e\u{301}", port: 1))
    }

    @Test func addressSetIsAnOrderedSet() {
        let a = Address(host: "1.1.1.1", port: 1), b = Address(host: "::1", port: 2)
        var set: AddressSet = [a, b, a]
        #expect(set.count == 2)
        #expect(Array(set) == [a, b])
        #expect(set == [b, a], "equality ignores order")
        let inserted = set.insert(b)
        #expect(!inserted)
        let removed = set.remove(a)
        #expect(removed == a)
        #expect(Array(set) == [b])
        #expect(Set([AddressSet([a, b]), AddressSet([b, a])]).count == 1)
    }

    @Test func peerTimeout() {
        let peer = Peer(id: [1], lastRx: 1000)
        #expect(!peer.timedOut(now: 1060.9))
        #expect(peer.timedOut(now: 1061))
        #expect(peer.timedOut(now: .nan))
        #expect(Set([peer, peer]).count == 1, "hashable, unlike Python's (Q27)")
    }
}
