import Testing
@testable import NetaioCore
import NetaioWire

/// The engine's internal keyed storage: byte keys compare and hash by content (inline or
/// spilled), and the peer book keeps ids and addresses consistent through rebinding and
/// removal, in first-seen order.
@Suite struct KeyedStorageTests {
    @Test func byteKeysAreTheirBytes() {
        let samples: [[UInt8]] = [[], [0], [0, 0], [1], Array(0..<8), Array(0..<9), Array(0..<32), Array(0..<33), Array(repeating: 7, count: 100)]
        for a in samples {
            #expect(ByteKey(a).bytes == a)
            for b in samples {
                #expect((ByteKey(a) == ByteKey(b)) == (a == b), "\(a) vs \(b)")
            }
        }
        // Trailing zero bytes are not padding: [1] and [1, 0] are different keys.
        var table: [ByteKey: Int] = [:]
        for (i, s) in samples.enumerated() { table[ByteKey(s)] = i }
        #expect(table.count == samples.count)
        for (i, s) in samples.enumerated() { #expect(table[ByteKey(s)] == i) }
    }

    @Test func handlerTableKeysFollowHandlerKeys() {
        let host = Address(host: "10.0.0.1", port: 8888)
        let keys = [HandlerKey(.ok), HandlerKey(.ok, uri: "a"), HandlerKey(.ok, uri: Array("a".utf8), host: host), HandlerKey(.ok, uri: ""), HandlerKey(.error, uri: "a")]
        for a in keys {
            for b in keys { #expect((HandlerTableKey(a) == HandlerTableKey(b)) == (a == b)) }
        }
    }

    @Test func peerBookRebindsAndRemoves() {
        let a1 = Address(host: "10.0.0.1", port: 1), a2 = Address(host: "10.0.0.2", port: 1)
        let idA = ByteKey(Array("a".utf8)), idB = ByteKey(Array("b".utf8))
        var book = PeerBook()
        book.insert(Peer(addrs: [a1], id: Array("a".utf8), lastRx: 5), id: idA)
        book.bind(a1, to: idA)
        book.insert(Peer(addrs: [a2], id: Array("b".utf8), lastRx: 6), id: idB)
        book.bind(a2, to: idB)
        #expect(book.peers.map(\.id) == [Array("a".utf8), Array("b".utf8)])
        #expect(book.id(at: a2) == idB)
        book.touch(at: a1) { 50 }
        #expect(book.peer(id: idA)?.lastRx == 50)
        #expect(book.silent(for: 10, now: 55) == [idB])
        // b is heard at a1: a1 still points at a until rebound.
        let record: [UInt8] = [1, 2, 3]
        let advertisement = Message(type: .advertisePeer, uri: Array("netaio".utf8), content: record)
        let boundAtRefresh = book.refresh(id: idB, heardAt: a1, data: [9], lastRx: 60, record: BodyMemo(remembering: advertisement))
        #expect(boundAtRefresh == false)
        #expect(book.peer(id: idB)?.lastRx == 60 && book.peer(id: idB)?.data == [9])
        // a1 still belongs to a: b's unchanged record from a1 must take the full path.
        let unchangedFromOthersAddress = book.isUnchanged(at: a1, recordBytes: record)
        #expect(!unchangedFromOthersAddress)
        #expect(book.unbind(a1) == idA)
        book.bind(a1, to: idB)
        let rebound = book.isBound(a1, to: idB)
        #expect(rebound)
        let unchangedAfterRebind = book.isUnchanged(at: a1, recordBytes: record)
        #expect(unchangedAfterRebind)
        let changedRecord = book.isUnchanged(at: a1, recordBytes: [1, 2, 4])
        #expect(!changedRecord)
        let emptyRecord = book.isUnchanged(at: a1, recordBytes: [])
        #expect(!emptyRecord)
        #expect(book.firstAddresses == [a2])  // one address per peer, in binding order
        // The remembered record carries the checksum of the body it came in.
        let remembered = book.lastRecord(at: a1)
        #expect(remembered?.content == record && remembered?.uri == Array("netaio".utf8))
        #expect(remembered?.checksum == CRC32.checksum(advertisement.body.encode()))
        // Changing a record in place keeps its lastRx unless the change sets it.
        book.modify(id: idB) { $0.data = [8] }
        #expect(book.peer(id: idB)?.lastRx == 60 && book.peer(id: idB)?.data == [8])
        book.modify(id: idB) { $0.lastRx = 70 }
        #expect(book.peer(id: idB)?.lastRx == 70)
        let removed = book.remove(id: idB)
        #expect(removed?.addrs.count == 2 && removed?.lastRx == 70)
        #expect(!book.isBound(a1) && !book.isBound(a2))
        // The freed slot is reused without disturbing first-seen order.
        book.insert(Peer(addrs: [], id: Array("c".utf8)), id: ByteKey(Array("c".utf8)))
        #expect(book.peers.map(\.id) == [Array("a".utf8), Array("c".utf8)])
    }

    /// The address index against an ordered dictionary model: random inserts, updates and
    /// removals over colliding ports and hosts (growth, holes, compaction) give the same
    /// lookups and the same insertion order.
    @Test(arguments: [UInt64(3), 99])
    func addressIndexMatchesAnOrderedModel(seed: UInt64) {
        var state = seed
        func next() -> UInt64 {  // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let hosts = (0..<40).map { "10.0.\($0 / 8).\($0 % 8)" } + ["::1", "fe80::1", "host.example", ""]
        var index = AddressIndex()
        var model: [(key: Address, value: Int)] = []
        for step in 0..<6_000 {
            let a = Address(host: hosts[Int(next() % UInt64(hosts.count))], port: UInt16(8000 + next() % 3))
            let slot = model.firstIndex { $0.key == a }
            if next() % 3 == 0 {
                index[a] = nil
                if let slot { model.remove(at: slot) }
            } else {
                index[a] = step
                if let slot { model[slot].value = step } else { model.append((a, step)) }
            }
            #expect(index[a] == model.first { $0.key == a }?.value)
            if step % 500 == 0 || step == 5_999 {
                #expect(index.count == model.count)
                // Removal shifts entries back: every key must still be found at its value.
                for (key, value) in model { #expect(index[key] == value) }
                #expect(index.elements.map(\.key) == model.map(\.key) && index.elements.map(\.value) == model.map(\.value))
            }
        }
        let missing = index.removeValue(forKey: Address(host: "not.there", port: 1))
        #expect(missing == nil)
    }

    /// Insertion numbers are 32-bit: when they run out, the live entries are numbered
    /// again and keep their order.
    @Test func addressIndexKeepsOrderWhenInsertionNumbersRunOut() {
        var index = AddressIndex()
        let addresses = (0..<20).map { Address(host: "10.0.0.\($0)", port: 1) }
        for (i, a) in addresses.prefix(10).enumerated() { index[a] = i }
        index[addresses[3]] = nil
        index.setNextInsertionNumberForTesting(UInt32.max - 2)
        for (i, a) in addresses.suffix(10).enumerated() { index[a] = 10 + i }
        let expected = addresses.enumerated().filter { $0.offset != 3 }
        #expect(index.elements.map(\.key) == expected.map(\.element))
        #expect(index.elements.map(\.value) == expected.map(\.offset))
    }
}
