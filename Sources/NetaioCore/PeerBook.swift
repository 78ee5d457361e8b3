import OrderedCollections

/// The engine's known peers and which remote address belongs to which peer.
///
/// Records live in slots with stable indices and both maps point at slots, so the hot
/// path (every frame that passes the outer layers refreshes its sender's `lastRx`) is one
/// address lookup (`AddressIndex`: no SipHash per frame) and an array write. Ids keep
/// first-seen order and addresses keep binding order, so everything the engine emits
/// from here is independent of hashing.
struct PeerBook {
    private var slotByID = OrderedDictionary<ByteKey, Int>()
    private var slotByAddress = AddressIndex()
    private var records: [Peer] = []
    /// The peer record bytes each slot was last refreshed from (see `isUnchanged`).
    private var recordBytes: [[UInt8]] = []
    private var freeSlots: [Int] = []
    /// The last address looked up and its slot: a frame's sender is looked up when its
    /// `lastRx` is refreshed and again when its advertisement is processed.
    private var recent: (address: Address, slot: Int)?

    var count: Int { slotByID.count }
    /// Known peers in first-seen order.
    var peers: [Peer] { slotByID.values.map { records[$0] } }

    func peer(id: ByteKey) -> Peer? { slotByID[id].map { records[$0] } }
    func peer(at address: Address) -> Peer? { slotByAddress[address].map { records[$0] } }

    /// The id of the peer bound to `address`.
    func id(at address: Address) -> ByteKey? {
        guard let slot = slotByAddress[address] else { return nil }
        return records[slot].id.map(ByteKey.init)
    }

    /// Whether `address` is bound to the peer `id`.
    func isBound(_ address: Address, to id: ByteKey) -> Bool {
        guard let slot = slotByAddress[address] else { return false }
        return slotByID[id] == slot
    }

    func isBound(_ address: Address) -> Bool { slotByAddress[address] != nil }

    /// Sets `lastRx` of the peer bound to `address`, if any.
    mutating func touch(at address: Address, lastRx: () -> Int) {
        guard let slot = slot(at: address) else { return }
        records[slot].lastRx = lastRx()
    }

    private mutating func slot(at address: Address) -> Int? {
        if let recent, recent.address == address { return recent.slot }
        guard let slot = slotByAddress[address] else { return nil }
        recent = (address, slot)
        return slot
    }

    /// Changes a known peer in place; false when `id` is unknown.
    @discardableResult
    mutating func modify(id: ByteKey, _ body: (inout Peer) -> Void) -> Bool {
        guard let slot = slotByID[id] else { return false }
        body(&records[slot])
        return true
    }

    /// The known peer `id` was heard from `address`: its data and `lastRx` are updated and
    /// the address added to its addresses. Returns whether `address` already points at it
    /// (if not, the caller binds it), or nil when `id` is unknown.
    mutating func refresh(id: ByteKey, heardAt address: Address, data: [UInt8]?, lastRx: Int, recordBytes bytes: [UInt8]) -> Bool? {
        guard let slot = slotByID[id] else { return nil }
        recordBytes[slot] = bytes
        if records[slot].data != data { records[slot].data = data }
        records[slot].lastRx = lastRx
        records[slot].addrs.insert(address)
        return slotByAddress[address] == slot
    }

    /// Whether `address` belongs to a peer last refreshed from exactly these record bytes:
    /// parsing them again would give the same id and data, and the address is already one
    /// of the peer's, so there is nothing to change (`lastRx` was refreshed by `touch` when
    /// the frame arrived). Only for a peer plugin whose parsing is a pure function of the
    /// bytes; the caller decides.
    mutating func isUnchanged(at address: Address, recordBytes bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty, let slot = slot(at: address) else { return false }
        return recordBytes[slot] == bytes
    }

    /// The record bytes the peer at `address` was last refreshed from (empty when none).
    mutating func recordBytes(at address: Address) -> [UInt8]? {
        guard let slot = slot(at: address) else { return nil }
        return recordBytes[slot]
    }

    /// Forgets every remembered record (the peer plugin may have changed: parse again).
    mutating func forgetRecordBytes() {
        for i in recordBytes.indices { recordBytes[i] = [] }
    }

    /// Records a new peer (after every known one). `id` must be unknown and equal `peer.id`.
    mutating func insert(_ peer: Peer, id: ByteKey, recordBytes bytes: [UInt8] = []) {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            records[slot] = peer
            recordBytes[slot] = bytes
        } else {
            slot = records.count
            records.append(peer)
            recordBytes.append(bytes)
        }
        slotByID[id] = slot
    }

    /// Forgets a peer and every address bound to it; returns its record.
    mutating func remove(id: ByteKey) -> Peer? {
        guard let slot = slotByID.removeValue(forKey: id) else { return nil }
        recent = nil
        let record = records[slot]
        for address in record.addrs where slotByAddress[address] == slot {
            slotByAddress.removeValue(forKey: address)
        }
        records[slot] = Peer()  // drop the arrays now; the slot is reused later
        recordBytes[slot] = []
        freeSlots.append(slot)
        return record
    }

    /// Points `address` at the known peer `id` (replacing any earlier binding of it).
    mutating func bind(_ address: Address, to id: ByteKey) {
        guard let slot = slotByID[id] else { return }
        recent = nil
        slotByAddress[address] = slot
    }

    /// Removes the binding of `address`; returns the id it pointed at.
    mutating func unbind(_ address: Address) -> ByteKey? {
        guard let id = id(at: address) else { return nil }
        recent = nil
        slotByAddress.removeValue(forKey: address)
        return id
    }

    /// Ids of peers whose `lastRx` is more than `timeout` seconds before `now`, first-seen order.
    func silent(for timeout: Int, now: Int) -> [ByteKey] {
        slotByID.elements.filter { now - records[$0.value].lastRx > timeout }.map(\.key)
    }

    /// Each peer's first-bound address, in binding order (UDP broadcast recipients).
    var firstAddresses: [Address] {
        var seen = Set<Int>()
        var out: [Address] = []
        for (address, slot) in slotByAddress.elements where seen.insert(slot).inserted { out.append(address) }
        return out
    }
}
