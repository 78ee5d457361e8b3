import NetaioTestSupport
import Testing
import NetaioPlugins

/// DefaultPeerPlugin refuses malformed peer records with typed errors.
@Suite struct PeerPluginBadInputTests {
    let plugin = DefaultPeerPlugin()

    func unpackCode(_ value: PackifyValue) throws -> String? {
        let bytes = try Packify.encode(value)
        do { _ = try plugin.unpack(bytes); return nil } catch { return error.code }
    }

    @Test func unpackRequiresTwoBytesOrNoneMembers() throws {
        #expect(try unpackCode(.tuple([.bytes([1]), .none])) == nil)
        #expect(try unpackCode(.list([.none, .bytearray([2])])) == nil, "a list works as in Python")
        #expect(try unpackCode(.tuple([])) == "malformed_peer_record")
        #expect(try unpackCode(.tuple([.bytes([1])])) == "malformed_peer_record")
        #expect(try unpackCode(.tuple([.bytes([1]), .bytes([2]), .bytes([3])])) == "malformed_peer_record")
        #expect(try unpackCode(.int(5)) == "malformed_peer_record")
        #expect(try unpackCode(.bytes([1, 2])) == "malformed_peer_record", "Python would unpack 2 bytes as ints")
        #expect(try unpackCode(.set([.bytes([1]), .bytes([2])])) == "malformed_peer_record")
        // Q11: Python accepts these members and crashes later; we refuse them here.
        #expect(try unpackCode(.tuple([.int(1), .bytes([2])])) == "malformed_peer_record")
        #expect(try unpackCode(.tuple([.bytes([1]), .string("data")])) == "malformed_peer_record")
        #expect(try unpackCode(.tuple([.list([]), .none])) == "malformed_peer_record")
    }

    @Test func unpackGarbage() {
        for garbage in [[], [0xff], [0x4c, 0x40, 0x02], SeededRandomSource(seed: 3).bytes(64)] as [[UInt8]] {
            #expect { try plugin.unpack(garbage) } throws: { ($0 as? PluginError)?.code == "invalid_peer_data" }
        }
    }

    @Test func parseData() throws {
        #expect(throws: PluginError.peerDataMissing) { try plugin.parseData(Peer(id: [1])) }
        #expect { try plugin.parseData(Peer(data: [])) } throws: { ($0 as? PluginError)?.code == "invalid_peer_data" }
        // packify ignores bytes after the value; so do we.
        #expect(try plugin.parseData(Peer(data: try Packify.encode(.int(7)) + [0xff])) == .int(7))
    }
}
