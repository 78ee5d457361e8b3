import NetaioPlugins

/// The peer plugin contract (docs/PROTOCOL.md §5.7, §10.2).
public enum PeerContract {
    public static func validate(_ subject: PeerSubject, options: ValidationOptions = ValidationOptions()) -> ValidationReport {
        let p = subject.plugin
        var results: [PropertyResult] = []
        let seed = Randomized.hexSeed(options.seed)

        func hex(_ v: PackifyValue) -> String { (try? Packify.encode(v)).map { Hex.encode($0) } ?? v.typeName }

        func randomPeer(_ g: inout SplitMix64) -> (Peer, PackifyValue) {
            var entries = [PackifyDictEntry("pubkey", .bytes(g.bytes(32)))]
            if g.chance(2) { entries.append(PackifyDictEntry("name", .string("node-\(g.int(in: 0...999))"))) }
            if g.chance(3) { entries.append(PackifyDictEntry("lock", .bytes(g.bytes(g.int(in: 0...40))))) }
            let value = PackifyValue.dict(entries)
            let data = try? p.encodeData(value, peerID: nil)
            return (Peer(id: g.chance(10) ? nil : g.bytes(g.int(in: 1...32)), data: data), value)
        }

        // pack/unpack and encode/parse round trips, and validate on what unpack returns.
        var g = SplitMix64(seed: options.seed)
        var roundTrip: PropertyResult?
        var parse: PropertyResult?
        var valid: PropertyResult?
        var deterministic: PropertyResult?
        for i in 0..<options.iterations {
            let (peer, value) = randomPeer(&g)
            let replay = "seed \(seed), iteration \(i)"
            do throws(PluginError) {
                let packed = try p.pack(peer)
                if deterministic == nil, (try? p.pack(peer)) != packed {
                    deterministic = PropertyResult(name: "peer.deterministic", title: "", verdict: .fail, message: "pack gave different bytes for the same peer", replay: replay)
                }
                let back = try p.unpack(packed)
                if roundTrip == nil, back.id != peer.id || back.data != peer.data {
                    roundTrip = PropertyResult(name: "peer.pack-unpack", title: "", verdict: .fail, message: "unpack(pack(peer)) changed id or data (id \(peer.id.map { Hex.encode($0) } ?? "None"))", replay: replay)
                }
                if valid == nil, peer.id != nil, !p.validate(back) {
                    valid = PropertyResult(name: "peer.validate", title: "", verdict: .fail, message: "validate rejected a peer with an id that unpack returned", replay: replay)
                }
            } catch {
                if roundTrip == nil { roundTrip = PropertyResult(name: "peer.pack-unpack", title: "", verdict: .fail, message: "pack/unpack threw on a well-formed peer: \(error)", replay: replay) }
            }
            if parse == nil, peer.data != nil {
                switch Result(catching: { () throws(PluginError) in try p.parseData(peer) }) {
                // Dicts compare as in Python (order-insensitive): by their canonical encoding.
                case .success(let parsed) where (try? Packify.encode(parsed)) == (try? Packify.encode(value)): break
                case .success(let parsed):
                    parse = PropertyResult(
                        name: "peer.encode-parse", title: "", verdict: .fail,
                        message: "parse_data(encode_data(v)) is packify \(hex(parsed)), not \(hex(value))", replay: replay)
                case .failure(let e): parse = PropertyResult(name: "peer.encode-parse", title: "", verdict: .fail, message: "parse_data of encode_data's output threw: \(e)", replay: replay)
                }
            }
        }
        func settled(_ r: PropertyResult?, _ name: String, _ title: String, _ ok: String) -> PropertyResult {
            var out = r ?? PropertyResult(name: name, title: title, verdict: .pass, message: ok)
            out.title = title
            return out
        }
        results.append(settled(roundTrip, "peer.pack-unpack", "unpack(pack(peer)) keeps id and data", "held for \(options.iterations) random peers"))
        results.append(settled(parse, "peer.encode-parse", "parse_data reads what encode_data wrote", "held for \(options.iterations) random peer data dicts"))
        results.append(settled(valid, "peer.validate", "validate accepts a peer with an id", "held for \(options.iterations) random peers"))
        results.append(settled(deterministic, "peer.deterministic", "pack is a function of the peer", "same bytes every time"))

        // Garbage: unpack / parse_data of random bytes and random packify values.
        var garbage: PropertyResult?
        for i in 0..<(options.iterations * 2) where garbage == nil {
            let bytes: [UInt8]
            if g.chance(2) { bytes = g.bytes(g.int(in: 0...64)) } else { bytes = (try? Packify.encode(Garbage.value(&g))) ?? [] }
            for (op, r) in [
                ("unpack", Result(catching: { () throws(PluginError) in _ = try p.unpack(bytes) })),
                ("parse_data", Result(catching: { () throws(PluginError) in _ = try p.parseData(Peer(id: [1], data: bytes)) })),
            ] {
                if case .failure(let e) = r, e.isCrash {
                    garbage = PropertyResult(name: "peer.garbage", title: "", verdict: .fail, message: "\(op) crashed on \(Hex.encode(bytes)): \(e)", replay: "seed \(seed), garbage case \(i)")
                }
            }
        }
        results.append(settled(garbage, "peer.garbage", "malformed records: a typed error or a value, never a trap", "\(options.iterations * 2) malformed inputs: no trap"))
        results += malformed(p, options)
        return ValidationReport(subject: subject.name, results: results)
    }

    /// Malformed peer records (issue 16): a peer without an id is refused by `validate`
    /// and undecodable records by `unpack` (strict: netaio 0.0.9's DefaultPeerPlugin does
    /// both); an empty id, data larger than a frame can carry, and data `parse_data`
    /// cannot read should be refused too, but netaio's own plugin accepts them, so for
    /// those acceptance is WARN with the reason.
    static func malformed(_ p: any PeerPlugin, _ options: ValidationOptions) -> [PropertyResult] {
        var g = SplitMix64(seed: options.seed ^ 0x7065_6572)
        let goodData = (try? p.encodeData(.dict([PackifyDictEntry("pubkey", .bytes(g.bytes(32)))]), peerID: nil)) ?? [0x40]
        var results: [PropertyResult] = []

        let noID = [Peer(id: nil, data: goodData), Peer(id: nil, data: nil)]
        let accepted = noID.filter { p.validate($0) }
        results.append(PropertyResult(
            name: "peer.validate-no-id", title: "validate refuses a peer without an id",
            verdict: accepted.isEmpty ? .pass : .fail,
            message: accepted.isEmpty ? "refused with and without data"
                : "accepted a peer without an id (\(accepted.map { $0.data == nil ? "no data" : "with data" }.joined(separator: ", "))): such a peer cannot be keyed in the peer table (netaio's DefaultPeerPlugin refuses it)"))

        // Records unpack must refuse: cut-off records, bytes that are no packify value,
        // nothing at all, and values that are not an (id, data) pair.
        var bad: [(String, [UInt8])] = [("empty input", []), ("bytes that are no packify value", [0xFF, 0xFE, 0xFD])]
        if let record = try? p.pack(Peer(id: g.bytes(8), data: goodData)), record.count > 4 {
            for cut in [record.count - 1, record.count / 2, 3] where cut > 0 { bad.append(("a record cut to \(cut) of \(record.count) bytes", Array(record.prefix(cut)))) }
        }
        for (what, value) in [("a 1-tuple", PackifyValue.tuple([.bytes([1])])), ("a 3-tuple", .tuple([.bytes([1]), .bytes([2]), .bytes([3])])), ("a bare bytes value", .bytes([1, 2, 3]))] {
            if let b = try? Packify.encode(value) { bad.append((what, b)) }
        }
        var problems: [String] = []
        for (what, bytes) in bad {
            switch Result(catching: { () throws(PluginError) in try p.unpack(bytes) }) {
            case .success(let peer): problems.append("\(what) (\(Hex.encode(bytes.prefix(24)))) unpacked to a peer with id \(peer.id.map { Hex.encode($0) } ?? "None")")
            case .failure(let e) where e.isCrash: problems.append("\(what) crashed the plugin: \(e)")
            case .failure: break
            }
        }
        results.append(PropertyResult(
            name: "peer.unpack-undecodable", title: "unpack refuses undecodable records with a typed error",
            verdict: problems.isEmpty ? .pass : .fail,
            message: problems.isEmpty ? "\(bad.count) undecodable records refused" : problems.joined(separator: "; ")))

        func lenient(_ name: String, _ title: String, _ peer: Peer, why: String) -> PropertyResult {
            p.validate(peer)
                ? PropertyResult(name: name, title: title, verdict: .warn, message: "accepted: \(why)")
                : PropertyResult(name: name, title: title, verdict: .pass, message: "refused")
        }
        results.append(lenient(
            "peer.validate-empty-id", "validate refuses a peer with an empty id", Peer(id: [], data: goodData),
            why: "every node advertising an empty id shares one peer-table slot; netaio 0.0.9's DefaultPeerPlugin accepts it too (validate only checks `id is not None`)"))
        let oversized = (try? Packify.encode(.bytes([UInt8](repeating: 0x61, count: Body.maximumPayload())))) ?? []
        results.append(lenient(
            "peer.validate-oversized-data", "validate refuses peer data larger than one frame can carry", Peer(id: Array("kit-big".utf8), data: oversized),
            why: "\(oversized.count) bytes of data cannot travel in one ADVERTISE_PEER frame; netaio 0.0.9's DefaultPeerPlugin accepts any size"))
        results.append(lenient(
            "peer.validate-undecodable-data", "validate refuses peer data parse_data cannot read", Peer(id: Array("kit-bad".utf8), data: [0xFF, 0xFE, 0xFD]),
            why: "parse_data will fail later; netaio 0.0.9's DefaultPeerPlugin does not look at the data in validate"))
        return results
    }
}
