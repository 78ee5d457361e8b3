import NetaioTestSupport
import Testing
import NetaioPlugins

/// `netaio.crypto` vectors made by the real library, checked both ways.
@Suite struct CryptoVectorTests {
    @Test func deriveKey() {
        let vectors = Fixtures.vectors(kind: "crypto.derive_key")
        #expect(vectors.count == 2)
        for v in vectors {
            let parts = (v[object: "input"]["parts_hex"] as! [String]).map { bytes($0) }
            #expect(NetaioCrypto.deriveKey(parts).hex == v["expected_hex"] as? String, "\(v.name)")
        }
    }

    @Test func keystream() {
        let vectors = Fixtures.vectors(kind: "crypto.keystream")
        #expect(vectors.count == 4)
        for v in vectors {
            let input = v[object: "input"]
            let stream = NetaioCrypto.keystream(
                key: bytes(input["key_hex"]), iv: bytes(input["iv_hex"]),
                length: input["length"] as! Int, start: input["start"] as! Int)
            #expect(stream.hex == v["expected_hex"] as? String, "\(v.name)")
        }
    }

    @Test func keystreamWithAnOffsetIsASliceOfTheWholeStream() {
        let key = NetaioCrypto.sha256(Array("test".utf8)), iv = Array(0..<16) as [UInt8]
        let whole = NetaioCrypto.keystream(key: key, iv: iv, length: 200)
        for start in [0, 1, 31, 32, 33, 63, 64, 100] {
            for length in [0, 1, 31, 32, 33, 99] where start + length <= 200 {
                #expect(NetaioCrypto.keystream(key: key, iv: iv, length: length, start: start) == Array(whole[start..<(start + length)]))
            }
        }
    }

    @Test func symcryptBothWays() {
        for v in Fixtures.vectors(kind: "crypto.symcrypt") {
            let input = v[object: "input"]
            let key = bytes(input["key_hex"]), iv = bytes(input["iv_hex"])
            #expect(NetaioCrypto.symcrypt(key: key, iv: iv, data: bytes(input["data_hex"])).hex == v["expected_hex"] as? String)
            #expect(NetaioCrypto.symcrypt(key: key, iv: iv, data: bytes(v["expected_hex"])) == bytes(input["data_hex"]))
        }
    }

    @Test func hmacAndCheck() {
        let vectors = Fixtures.vectors(kind: "crypto.hmac")
        #expect(vectors.count == 2)
        for v in vectors {
            let input = v[object: "input"]
            let key = bytes(input["key_hex"]), iv = bytes(input["iv_hex"]), message = bytes(input["message_hex"])
            let mac = NetaioCrypto.hmac(key: key, iv: iv, message: message)
            #expect(mac.hex == v["expected_hex"] as? String, "\(v.name)")
            #expect(NetaioCrypto.checkHMAC(key: key, iv: iv, message: message, mac: mac))
        }
        let checks = Fixtures.vectors(kind: "crypto.check_hmac")
        #expect(checks.count == 3)
        for v in checks {
            let input = v[object: "input"]
            let result = NetaioCrypto.checkHMAC(
                key: bytes(input["key_hex"]), iv: bytes(input["iv_hex"]),
                message: bytes(input["message_hex"]), mac: bytes(input["mac_hex"]))
            #expect(result == v["expected"] as? Bool, "\(v.name)")
        }
    }

    @Test func sealAndUnseal() throws {
        for v in Fixtures.vectors(kind: "crypto.seal") {
            let input = v[object: "input"]
            let key = bytes(input["key_hex"])
            let random = FixedRandomSource(bytes: bytes(input["iv_hex"]))
            let sealed = NetaioCrypto.seal(key: key, plaintext: bytes(input["plaintext_hex"]), random: random)
            #expect(sealed.hex == v["expected_hex"] as? String)
            #expect(try NetaioCrypto.unseal(key: key, sealed: sealed) == bytes(input["plaintext_hex"]))
            var tampered = sealed
            tampered[tampered.count - 1] ^= 1
            #expect(throws: NetaioCrypto.UnsealError.authenticationFailed) { try NetaioCrypto.unseal(key: key, sealed: tampered) }
            #expect(throws: NetaioCrypto.UnsealError.tooShort(length: 47)) { try NetaioCrypto.unseal(key: key, sealed: Array(sealed.prefix(47))) }
        }
    }

    @Test func constantTimeEquals() {
        #expect(NetaioCrypto.constantTimeEquals([], []))
        #expect(NetaioCrypto.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!NetaioCrypto.constantTimeEquals([1, 2, 3], [1, 2]))
        #expect(!NetaioCrypto.constantTimeEquals([1, 2, 3], [1, 2, 3, 0]))
        let a = [UInt8](repeating: 7, count: 32)
        for position in [0, 15, 31] {
            for bit in 0..<8 {
                var b = a
                b[position] ^= 1 << bit
                #expect(!NetaioCrypto.constantTimeEquals(a, b))
            }
        }
    }

    /// The MAC must be netaio's B = 136 construction, not RFC 2104 HMAC-SHA256.
    @Test func hmacIsNotStandardHMAC() {
        let mac = NetaioCrypto.hmac(key: [], iv: [], message: [])
        #expect(mac.hex == "c51a0978755bbc387770bb172c974a3eaa20f35553e2a8c139af0cf305378ce0")
        #expect(mac.hex != "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")  // HMAC-SHA256("", "")
    }
}
