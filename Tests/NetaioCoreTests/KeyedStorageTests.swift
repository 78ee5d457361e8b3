import Testing
@testable import NetaioCore

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
        #expect(book.refresh(id: idB, heardAt: a1, data: [9], lastRx: 60, recordBytes: record) == false)
        // a1 still belongs to a: b's unchanged record from a1 must take the full path.
        let unchangedFromOthersAddress = book.isUnchanged(at: a1, recordBytes: record)
        #expect(!unchangedFromOthersAddress)
        #expect(book.unbind(a1) == idA)
        book.bind(a1, to: idB)
        #expect(book.isBound(a1, to: idB))
        let unchangedAfterRebind = book.isUnchanged(at: a1, recordBytes: record)
        #expect(unchangedAfterRebind)
        let changedRecord = book.isUnchanged(at: a1, recordBytes: [1, 2, 4])
        #expect(!changedRecord)
        let emptyRecord = book.isUnchanged(at: a1, recordBytes: [])
        #expect(!emptyRecord)
        #expect(book.firstAddresses == [a2])  // one address per peer, in binding order
        let removed = book.remove(id: idB)
        #expect(removed?.addrs.count == 2)
        #expect(!book.isBound(a1) && !book.isBound(a2))
        // The freed slot is reused without disturbing first-seen order.
        book.insert(Peer(addrs: [], id: Array("c".utf8)), id: ByteKey(Array("c".utf8)))
        #expect(book.peers.map(\.id) == [Array("a".utf8), Array("c".utf8)])
    }
}
