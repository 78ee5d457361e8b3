/// The netaio node engine: a sans-I/O state machine shared by the TCP server, TCP client
/// and UDP node roles.
///
/// Drive it with inputs (`accepted`, `connect`/`connected`, `received`, `closed`,
/// `timerFired`) and commands (`send`, `request`, `notify`, `managePeers`, …); each call
/// queues `Action`s, which `takeActions()` hands out in order. It has no sockets, threads,
/// wall clock or system randomness of its own: time and randomness come from the
/// configuration's `clock` and `random`. Call it from one thread at a time.
public final class NodeEngine {
    /// A class so that handing an entry out (every frame) is one retain, not three.
    final class HandlerEntry {
        let handler: Handler
        let authPlugin: (any AuthPlugin)?
        let cipherPlugin: (any CipherPlugin)?
        /// No inner plugin: `run` skips the inner layers without testing the optionals.
        let isPlain: Bool
        /// Set for the engine's own peer-management handlers, which `run` calls directly
        /// (`handler` does the same, for anyone holding the entry).
        let builtin: BuiltinHandler?

        init(handler: @escaping Handler, authPlugin: (any AuthPlugin)? = nil, cipherPlugin: (any CipherPlugin)? = nil,
             builtin: BuiltinHandler? = nil) {
            self.handler = handler
            self.authPlugin = authPlugin
            self.cipherPlugin = cipherPlugin
            isPlain = authPlugin == nil && cipherPlugin == nil
            self.builtin = builtin
        }
    }

    /// The peer-management handlers (`managePeers`).
    enum BuiltinHandler {
        /// Learn the sender; answer PEER_DISCOVERED under this app id.
        case advertisePeer(appID: [UInt8])
        case peerDiscovered
        case disconnect
    }

    struct Connection {
        var remote: Address
        var isOpen: Bool
        var pendingOutput: [[UInt8]] = []
    }

    struct PendingRequest {
        var uri: [UInt8]
        var type: MessageType
        var endpoint: Endpoint
        var remote: Address
        var timer: TimerID
        var timeout: Double
        var options: SendOptions

        /// netaio's ephemeral keys: AUTH_ERROR, ERROR, the success type, NOT_FOUND unless CREATE.
        /// SUBSCRIBE_URI / UNSUBSCRIBE_URI wait for their CONFIRM_* (netaio would wait for OK);
        /// NOT_PERMITTED with the request's uri fails it (netaio has no key for it: timeout).
        var successType: MessageType {
            switch type {
            case .requestURI: .respondURI
            case .subscribeURI: .confirmSubscribe
            case .unsubscribeURI: .confirmUnsubscribe
            default: .ok
            }
        }
        func accepts(_ t: MessageType) -> Bool {
            t == successType || t == .authError || t == .error || t == .notPermitted || (t == .notFound && type != .createURI)
        }
    }

    struct PeerManagement {
        var appID: [UInt8]
        var advertiseEvery: Double
        var peerTimeout: Int
        var authPlugin: (any AuthPlugin)?
        var cipherPlugin: (any CipherPlugin)?
        var timer: TimerID?
        var options: SendOptions { SendOptions(authPlugin: authPlugin, cipherPlugin: cipherPlugin) }
    }

    enum TimerPurpose {
        case request(RequestID)
        case advertise([UInt8])
    }

    // Field order matters. A simulated run touches thousands of engines in turn, so each
    // frame begins with cache misses on its engine: the fields every received frame reads
    // come first, in a few adjacent cache lines, and the configuration (~500 bytes, read
    // mostly at set-up) comes last; `deriveFromConfiguration` copies up the few facts a
    // frame asks of it. Dynamic exclusivity checks are off for these properties: they are
    // touched a dozen times per frame, always in short accesses that never span a call
    // into user code, from one thread at a time, and the checks cost ~8% of a run.
    @exclusivity(unchecked) var peerBook = PeerBook()
    /// The uri of the last frame decoded: the next one usually has the same, and then
    /// shares this array instead of allocating its own.
    @exclusivity(unchecked) var lastURI: [UInt8] = []
    /// Permanent handlers recently found by (type, uri), see `takeHandler`.
    @exclusivity(unchecked) var handlerMemo = HandlerMemo()
    @exclusivity(unchecked) var ephemeralHandlers: [HandlerTableKey: HandlerEntry] = [:]
    /// How many keys of both tables have the (type, uri, host) form.
    @exclusivity(unchecked) var hostKeyedHandlers = 0
    @exclusivity(unchecked) var outbox: [Action] = []
    @exclusivity(unchecked) var spareOutbox: [Action] = []
    /// The peer plugin's pack of the local peer, made once per configuration.
    @exclusivity(unchecked) var localPeerPack: [UInt8]?
    /// The last message encoded without any plugin, and its bytes: replies such as
    /// PEER_DISCOVERED or a resource answer repeat, and encoding includes a CRC pass.
    @exclusivity(unchecked) var lastPlainFrame: EncodedFrame?
    /// PEER_DISCOVERED for `discoveredReplyAppID`, encoded without plugins (empty: none
    /// yet): the answer to every advertisement heard (`answerAdvertisement`).
    @exclusivity(unchecked) var discoveredReplyBytes: [UInt8] = []
    @exclusivity(unchecked) var discoveredReplyAppID: [UInt8] = []
    @exclusivity(unchecked) var requests = OrderedMap<RequestID, PendingRequest>()

    // Copies of configuration facts read per frame (see `deriveFromConfiguration`).
    /// The clock, in a struct so that `prefetchFrameState` can find the object behind it.
    @exclusivity(unchecked) var time: TimeSource
    @exclusivity(unchecked) private(set) var messageTypes: MessageTypeSet
    @exclusivity(unchecked) private var isSilentType: (MessageType, MessageTypeSet) -> Bool
    /// `localAddress` while `ignoreOwnIP` holds: datagrams from its host are dropped.
    @exclusivity(unchecked) private(set) var ownAddressToIgnore: Address?
    /// The local peer id as a key (compared with every advertised id).
    @exclusivity(unchecked) var localPeerKey: ByteKey?
    @exclusivity(unchecked) private(set) var sendsReplies = false
    /// Whether the peer plugin's unpack and validate depend on the bytes alone (netaio's
    /// default plugin), so an unchanged record need not be parsed again.
    @exclusivity(unchecked) var peerRecordsArePure = false
    @exclusivity(unchecked) var outerAuthActive = false
    @exclusivity(unchecked) var outerCipherActive = false
    /// False only with the planted bug `noLastSeenRefresh` (a Bool beside the others: read per frame).
    @exclusivity(unchecked) var refreshesLastSeen = true

    // Read on connection, timer and set-up paths, not per datagram.
    @exclusivity(unchecked) private var counter: UInt64 = 0
    @exclusivity(unchecked) var handlers: [HandlerTableKey: HandlerEntry] = [:] {
        didSet { handlerMemo.clear() }
    }
    @exclusivity(unchecked) var connections = OrderedMap<ConnectionID, Connection>()
    @exclusivity(unchecked) var buffers: [ConnectionID: StreamBuffer] = [:]
    @exclusivity(unchecked) var subscriptions = OrderedMap<ByteKey, [Endpoint]>()
    @exclusivity(unchecked) var timers: [TimerID: TimerPurpose] = [:]
    @exclusivity(unchecked) var peerManagement = OrderedMap<ByteKey, PeerManagement>()
    /// Called when a request times out, before its `requestFailed` event (netaio's
    /// timeout error handler; may e.g. `connect` again).
    public var requestTimeoutHandler: ((RequestTimeout, NodeEngine) -> Void)?

    @exclusivity(unchecked) public var configuration: NodeConfiguration {
        didSet {
            localPeerPack = nil
            discoveredReplyBytes = []
            peerBook.forgetRecordBytes()
            lastPlainFrame = nil
            deriveFromConfiguration()
        }
    }

    public init(_ configuration: NodeConfiguration) {
        time = TimeSource(clock: configuration.clock)
        messageTypes = configuration.messageTypes
        isSilentType = configuration.isSilentType
        self.configuration = configuration
        deriveFromConfiguration()
    }

    /// The facts every frame asks of the configuration, kept as plain fields near the top
    /// of the object (the clock, message types, reply switches, the local id as a key,
    /// whether records parse purely, whether the outer layers run at all).
    private func deriveFromConfiguration() {
        time = TimeSource(clock: configuration.clock)
        messageTypes = configuration.messageTypes
        isSilentType = configuration.isSilentType
        ownAddressToIgnore = configuration.ignoreOwnIP ? configuration.localAddress : nil
        sendsReplies = configuration.sendsReplies
        localPeerKey = configuration.localPeer?.id.map(ByteKey.init)
        peerRecordsArePure = configuration.peerPlugin is DefaultPeerPlugin
        outerAuthActive = configuration.useAuth && configuration.authPlugin != nil
        outerCipherActive = configuration.useCipher && configuration.cipherPlugin != nil
        refreshesLastSeen = !configuration.plantedBugs.contains(.noLastSeenRefresh)
    }

    /// The actions queued since the last call, oldest first.
    public func takeActions() -> [Action] {
        defer { outbox.removeAll() }
        return outbox
    }

    /// Whether actions are queued (a driver drains until none are left).
    public var hasPendingActions: Bool { !outbox.isEmpty }

    /// Hands the queued actions to `body`, oldest first, without allocating a new array
    /// per call (the simulator drains after every input). Actions queued by `body` itself
    /// are left for the next drain.
    public func drainActions(_ body: (Action) -> Void) {
        guard !outbox.isEmpty else { return }
        var batch = spareOutbox
        spareOutbox = []
        swap(&batch, &outbox)
        for i in batch.indices { body(batch[i]) }
        // Usually one or two actions: removing them one by one is cheaper than the
        // generic range removal of `removeAll(keepingCapacity:)`.
        while !batch.isEmpty { batch.removeLast() }
        spareOutbox = batch
    }

    // MARK: - State queries

    public var role: Role { configuration.role }
    /// Known peers in the order they were first seen.
    public var peers: [Peer] { peerBook.peers }
    public func peer(id: [UInt8]) -> Peer? { peerBook.peer(id: ByteKey(id)) }
    /// The peer recorded at a remote address (how netaio finds the peer for plugins).
    public func peer(at address: Address) -> Peer? { peerBook.peer(at: address) }
    public var openConnections: [ConnectionID] { Array(connections.keys) }
    public func remoteAddress(of connection: ConnectionID) -> Address? { connections[connection]?.remote }
    /// TCP client: the connection to a server, by the address given to `connect`.
    public func connection(to server: Address) -> ConnectionID? {
        connections.keys.first { connections[$0]!.remote == server }
    }
    public func subscribers(of topic: [UInt8]) -> [Endpoint] { subscriptions[topic] ?? [] }
    /// The topics `endpoint` is subscribed to, in subscription order of the topics.
    public func topics(subscribedBy endpoint: Endpoint) -> [[UInt8]] {
        subscriptions.keys.filter { subscriptions[$0]?.contains(endpoint) == true }.map(\.bytes)
    }
    public var pendingRequests: [RequestID] { Array(requests.keys) }
    public var managedAppIDs: [[UInt8]] { peerManagement.keys.map(\.bytes) }

    // MARK: - Handlers

    /// Registers a permanent handler (netaio `on`/`add_handler`); replaces one with the same key.
    public func on(_ key: HandlerKey, authPlugin: (any AuthPlugin)? = nil, cipherPlugin: (any CipherPlugin)? = nil, _ handler: @escaping Handler) {
        on(key, HandlerEntry(handler: handler, authPlugin: authPlugin, cipherPlugin: cipherPlugin))
    }

    func on(_ key: HandlerKey, _ entry: HandlerEntry) {
        if handlers.updateValue(entry, forKey: HandlerTableKey(key)) == nil, key.host != nil { hostKeyedHandlers += 1 }
    }

    /// Registers a handler used once (netaio `once`/`add_ephemeral_handler`). For the same
    /// key it wins over the permanent one; it is consumed even if its inner checks fail.
    public func once(_ key: HandlerKey, authPlugin: (any AuthPlugin)? = nil, cipherPlugin: (any CipherPlugin)? = nil, _ handler: @escaping Handler) {
        let entry = HandlerEntry(handler: handler, authPlugin: authPlugin, cipherPlugin: cipherPlugin)
        if ephemeralHandlers.updateValue(entry, forKey: HandlerTableKey(key)) == nil, key.host != nil { hostKeyedHandlers += 1 }
    }

    public func removeHandler(_ key: HandlerKey) {
        if handlers.removeValue(forKey: HandlerTableKey(key)) != nil, key.host != nil { hostKeyedHandlers -= 1 }
    }

    public func removeEphemeralHandler(_ key: HandlerKey) {
        if ephemeralHandlers.removeValue(forKey: HandlerTableKey(key)) != nil, key.host != nil { hostKeyedHandlers -= 1 }
    }

    // MARK: - Connection inputs

    /// TCP server: a client connected from `remote`.
    public func accepted(from remote: Address) -> ConnectionID {
        let id = ConnectionID(rawValue: nextID())
        connections[id] = Connection(remote: remote, isOpen: true)
        buffers[id] = StreamBuffer()
        return id
    }

    /// TCP client: asks the driver to connect to `server` (action `.open`). Sends made
    /// before `connected` are held. With peer management on, ADVERTISE_PEER is queued first.
    public func connect(to server: Address) -> ConnectionID {
        let id = ConnectionID(rawValue: nextID())
        connections[id] = Connection(remote: server, isOpen: false)
        buffers[id] = StreamBuffer()
        outbox.append(.open(id, to: server))
        if role == .tcpClient {
            for app in peerManagement.values { sendPeerMessage(.advertisePeer, app, to: .connection(id)) }
        }
        return id
    }

    /// TCP client: the connection the engine asked for is established.
    public func connected(_ id: ConnectionID) {
        guard var conn = connections[id], !conn.isOpen else { return }
        conn.isOpen = true
        let pending = conn.pendingOutput
        conn.pendingOutput = []
        connections[id] = conn
        for bytes in pending { outbox.append(.send(bytes, to: .connection(id))) }
    }

    /// Bytes arrived on a connection, in any chunking. Complete frames are processed at once.
    public func received(_ bytes: some Sequence<UInt8>, on id: ConnectionID) {
        guard let remote = connections[id]?.remote, buffers[id] != nil else {
            drop(.unknownEndpoint, .connection(id))
            return
        }
        buffers[id]!.append(bytes)
        while buffers[id] != nil, let length = buffers[id]!.frameLength() {
            if refusedAsTooLarge(length, on: id) { return }
            guard buffers[id]!.available >= length else { return }
            let frame = buffers[id]!.take(length)
            frame.withUnsafeBytes { handleFrame($0, from: .connection(id), remote: remote, stream: true) }
        }
    }

    /// One whole frame from a connection, already cut from the stream by the driver with
    /// `FrameDecoder.frameLength` (no copy into the engine's stream buffer). Must not be
    /// mixed with partial input given to `received(_:on:)` on the same connection.
    public func received(frame bytes: UnsafeRawBufferPointer, on id: ConnectionID) {
        guard let remote = connections[id]?.remote else {
            drop(.unknownEndpoint, .connection(id))
            return
        }
        if refusedAsTooLarge(bytes.count, on: id) { return }
        handleFrame(bytes, from: .connection(id), remote: remote, stream: true)
    }

    /// A frame announced longer than `maxFrameLength` closes its connection (framing
    /// cannot be trusted past it). Returns whether it did.
    private func refusedAsTooLarge(_ length: Int, on id: ConnectionID) -> Bool {
        guard length > configuration.maxFrameLength else { return false }
        drop(.frameTooLarge(length), .connection(id))
        close(id)
        return true
    }

    /// The driver saw the connection end (EOF, reset, failed connect). Bytes of an
    /// incomplete frame are discarded; the peer recorded at its address loses it.
    public func closed(_ id: ConnectionID) { forget(id) }

    /// Closes a connection from this side. A TCP client with peer management sends
    /// DISCONNECT first (netaio `close`).
    public func close(_ id: ConnectionID) {
        guard connections[id] != nil else { return }
        if role == .tcpClient {
            for app in peerManagement.values { sendPeerMessage(.disconnect, app, to: .connection(id)) }
        }
        forget(id)
        outbox.append(.close(id))
    }

    private func forget(_ id: ConnectionID) {
        guard let conn = connections.removeValue(forKey: id) else { return }
        buffers[id] = nil
        removeSubscriptions(of: .connection(id))
        for rid in requests.keys where requests[rid]?.endpoint == .connection(id) {
            finish(rid, .failure(.connectionClosed))
        }
        // Q18: a TCP peer goes with its connection.
        if !connections.values.contains(where: { $0.remote == conn.remote }) {
            unbindAddress(conn.remote, reason: .connectionClosed)
        }
    }

    // MARK: - Datagram input

    /// UDP: one datagram from `source`. Bytes after the frame are ignored (as netaio).
    public func received(datagram: [UInt8], from source: Address) {
        var noMemo: BodyMemo?
        received(datagram: datagram, from: source, sharing: &noMemo)
    }

    /// The same, with the driver's memo of what this sender's last datagram decoded to
    /// (see `BodyMemo`): a driver delivering one datagram to many engines keeps one memo
    /// per sender, so the receivers share one copy of the body instead of one each.
    public func received(datagram: [UInt8], from source: Address, sharing memo: inout BodyMemo?) {
        if let local = ownAddressToIgnore, local.hasSameHost(as: source) {
            drop(.ownAddress, .address(source))
            return
        }
        datagram.withUnsafeBytes { handleFrame($0, from: .address(source), remote: source, stream: false, sharing: &memo) }
    }

    // MARK: - Timers

    public func timerFired(_ id: TimerID) {
        guard let purpose = timers.removeValue(forKey: id) else { return }
        switch purpose {
        case .request(let rid):
            guard let r = requests[rid] else { return }
            let info = RequestTimeout(id: rid, uri: r.uri, type: r.type, endpoint: r.endpoint, remote: r.remote, timeout: r.timeout)
            requests[rid] = nil
            requestTimeoutHandler?(info, self)
            outbox.append(.event(.requestFailed(rid, info.error)))
        case .advertise(let appID):
            guard var app = peerManagement[appID] else { return }
            app.timer = nil
            peerManagement[appID] = app
            advertise(appID)
        }
    }

    func armTimer(after seconds: Double, _ purpose: TimerPurpose) -> TimerID {
        let id = TimerID(rawValue: nextID())
        timers[id] = purpose
        outbox.append(.armTimer(id, deadline: now + max(0, seconds)))
        return id
    }

    func cancelTimer(_ id: TimerID?) {
        guard let id, timers.removeValue(forKey: id) != nil else { return }
        outbox.append(.cancelTimer(id))
    }

    // MARK: - Helpers

    func nextID() -> UInt64 {
        counter += 1
        return counter
    }

    var now: Double { time.clock.now() }

    /// `int(time())`; a broken clock reads as 0.
    var nowSeconds: Int {
        let t = now
        guard t.isFinite, t > -9.2e18, t < 9.2e18 else { return 0 }
        return Int(t.rounded(.towardZero))
    }

    var pluginContext: PluginContext {
        PluginContext(random: configuration.random, clock: configuration.clock, localPeer: configuration.localPeer)
    }

    func drop(_ reason: DropReason, _ endpoint: Endpoint?) {
        outbox.append(.event(.dropped(Drop(reason, endpoint: endpoint))))
    }

    func isSilent(_ type: MessageType) -> Bool { isSilentType(type, messageTypes) }

    func remoteAddress(of endpoint: Endpoint) -> Address? {
        switch endpoint {
        case .connection(let id): connections[id]?.remote
        case .address(let a): a
        }
    }

    /// Endpoints that reach `address`: the address itself (UDP) or connections from/to it.
    func endpoints(at address: Address) -> [Endpoint] {
        if role == .udpNode { return [.address(address)] }
        return connections.keys.filter { connections[$0]!.remote == address }.map { .connection($0) }
    }
}
