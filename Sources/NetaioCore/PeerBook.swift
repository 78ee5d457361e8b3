import OrderedCollections

/// The engine's known peers and which remote address belongs to which peer.
///
/// Records live in slots with stable indices and both maps point at slots. What every
/// received frame needs of its sender — `lastRx` and the record it last sent — sits in
/// one small per-slot value in raw memory (`SlotArray`), apart from the full records, so
/// the hot path is one address lookup (`AddressIndex`) and one line of slot state. Ids
/// keep first-seen order and addresses keep binding order, so everything the engine
/// emits from here is independent of hashing. Noncopyable, as its storage is.
struct PeerBook: ~Copyable {
    private var slotByID = OrderedDictionary<ByteKey, Int>()
    private var slotByAddress = AddressIndex()
    /// Full records; their `lastRx` is kept in `hot` (see `record(_:)`).
    private var records: [Peer] = []
    private var hot = SlotArray<HotSlot>()
    private var freeSlots: [Int] = []
    /// The last address looked up and its slot: a frame's sender is looked up when its
    /// `lastRx` is refreshed and again when its advertisement is processed.
    private var recent: (address: Address, slot: Int)?

    var count: Int { slotByID.count }
    /// Known peers in first-seen order.
    var peers: [Peer] { slotByID.values.map { record($0) } }

    func peer(id: ByteKey) -> Peer? { slotByID[id].map { record($0) } }
    func peer(at address: Address) -> Peer? { slotByAddress[address].map { record($0) } }

    /// The record in `slot` with its current `lastRx`.
    private func record(_ slot: Int) -> Peer {
        var peer = records[slot]
        peer.lastRx = hot[slot].lastRx
        return peer
    }

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

    /// Starts loading the index slot a lookup of `address` reads first (a hint).
    @inline(__always)
    func prefetchSlot(at address: Address) { slotByAddress.prefetch(address) }

    /// Starts loading the per-peer state of the peer at `address` (a hint; the lookup
    /// itself runs, so its index slot had better be in cache: `prefetchSlot` first).
    @inline(__always)
    func prefetchHotState(at address: Address) {
        if let slot = slotByAddress[address] { hot.prefetch(slot) }
    }

    /// Sets `lastRx` of the peer bound to `address`, if any.
    mutating func touch(at address: Address, lastRx: () -> Int) {
        guard let slot = slot(at: address) else { return }
        hot[slot].lastRx = lastRx()
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
        var peer = record(slot)
        body(&peer)
        hot[slot].lastRx = peer.lastRx
        records[slot] = peer
        return true
    }

    /// The known peer `id` was heard from `address`: its data and `lastRx` are updated and
    /// the address added to its addresses. Returns whether `address` already points at it
    /// (if not, the caller binds it), or nil when `id` is unknown.
    mutating func refresh(id: ByteKey, heardAt address: Address, data: [UInt8]?, lastRx: Int, record: BodyMemo) -> Bool? {
        guard let slot = slotByID[id] else { return nil }
        hot[slot] = HotSlot(lastRx: lastRx, record: record)
        if records[slot].data != data { records[slot].data = data }
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
        return bytesEqual(hot[slot].record?.content, bytes)
    }

    /// What the peer at `address` was last refreshed from, if anything is remembered.
    mutating func lastRecord(at address: Address) -> BodyMemo? {
        guard let slot = slot(at: address) else { return nil }
        return hot[slot].record
    }

    /// Forgets every remembered record (the peer plugin may have changed: parse again).
    mutating func forgetRecordBytes() {
        for i in hot.indices { hot[i].record = nil }
    }

    /// Records a new peer (after every known one). `id` must be unknown and equal `peer.id`.
    mutating func insert(_ peer: Peer, id: ByteKey, record: BodyMemo? = nil) {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            records[slot] = peer
            hot[slot] = HotSlot(lastRx: peer.lastRx, record: record)
        } else {
            slot = records.count
            records.append(peer)
            hot.append(HotSlot(lastRx: peer.lastRx, record: record))
        }
        slotByID[id] = slot
    }

    /// Forgets a peer and every address bound to it; returns its record.
    mutating func remove(id: ByteKey) -> Peer? {
        guard let slot = slotByID.removeValue(forKey: id) else { return nil }
        recent = nil
        let removed = record(slot)
        for address in removed.addrs where slotByAddress[address] == slot {
            slotByAddress.removeValue(forKey: address)
        }
        records[slot] = Peer()  // drop the arrays now; the slot is reused later
        hot[slot] = HotSlot(lastRx: 0, record: nil)
        freeSlots.append(slot)
        return removed
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
        slotByID.elements.filter { now - hot[$0.value].lastRx > timeout }.map(\.key)
    }

    /// Each peer's first-bound address, in binding order (UDP broadcast recipients).
    var firstAddresses: [Address] {
        var seen = Set<Int>()
        var out: [Address] = []
        for (address, slot) in slotByAddress.elements where seen.insert(slot).inserted { out.append(address) }
        return out
    }
}

/// What every frame from a peer reads or writes: its `lastRx` and the record it was last
/// refreshed from.
struct HotSlot {
    var lastRx: Int
    var record: BodyMemo?
}
