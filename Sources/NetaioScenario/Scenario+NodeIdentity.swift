import NetaioTapescript
import NetaioCore

/// What a scenario gives each node — peer id, peer data, X25519 keys, plugins — in one
/// place, so the simulator run and the real-transport run build the very same nodes.
extension Scenario {
    /// A restarted node gets a new id (`name#incarnation`) unless it keeps its id.
    public func peerID(node: Int, incarnation: Int) -> [UInt8] {
        let spec = nodes[node]
        return Array((spec.keepID || incarnation <= 1 ? spec.name : "\(spec.name)#\(incarnation)").utf8)
    }

    /// For `never_peer` expectations: node → (peer id it must never add → expectation
    /// index). A peer named without an incarnation stands for its first 16 starts' ids.
    public func forbiddenPeerIDs() -> [Int: [[UInt8]: Int]] {
        var forbidden: [Int: [[UInt8]: Int]] = [:]
        for (i, e) in expectations.enumerated() {
            guard case .neverPeer(let nodes, let peers) = e.kind else { continue }
            for n in nodes {
                for p in peers {
                    let incs = p.incarnation.map { [$0] } ?? Array(1...16)
                    for k in incs { forbidden[n, default: [:]][peerID(node: p.node, incarnation: k)] = i }
                }
            }
        }
        return forbidden
    }

    public func x25519Seed(node: Int, incarnation: Int) -> [UInt8] {
        NetaioCrypto.sha256(Array("x25519:\(nodes[node].name)#\(incarnation)".utf8))
    }

    func usesX25519(_ spec: NodeSpec) -> Bool { spec.cipher == .x25519 || spec.peers?.cipher == .x25519 }

    /// Peer data: packify `{"name": …}`, plus `"pubkey"` when the node uses X25519.
    public func peerData(node: Int, incarnation: Int) -> [UInt8] {
        let spec = nodes[node]
        var entries = [PackifyDictEntry(.string("name"), .string(spec.name))]
        if usesX25519(spec), let keys = try? CurveKeys(seed: x25519Seed(node: node, incarnation: incarnation)) {
            entries.append(PackifyDictEntry(.string("pubkey"), .bytes(keys.publicKey)))
        }
        return (try? Packify.encode(.dict(entries))) ?? Array(spec.name.utf8)
    }

    public func authPlugin(_ spec: PluginSpec?) -> (any AuthPlugin)? {
        switch spec {
        case .hmac(let secret, let maxAge, let skew, let hmacField, let nonceField, let tsField)?:
            let freshness = (maxAge != nil || skew != nil) ? HMACFreshness(maxAge: maxAge ?? 60, maxFutureSkew: skew ?? 5) : nil
            return HMACAuthPlugin(secret: secret, hmacField: hmacField, nonceField: nonceField, tsField: tsField, freshness: freshness)
        case .tapescript(let seed, let lock, let nonceField, let tsField, let witnessField)?:
            guard let lock = lock ?? (try? Tapescript.makeSingleSigLock(pubkey: Tapescript.verifyKey(seed: seed))) else { return nil }
            return TapescriptAuthPlugin(lock: lock, seed: seed, nonceField: nonceField, tsField: tsField, witnessField: witnessField)
        default:
            return nil
        }
    }

    public func cipherPlugin(_ spec: PluginSpec?, node: Int, incarnation: Int) -> (any CipherPlugin)? {
        switch spec {
        case .sha256Stream(let key, let encryptURI, let ivField)?: return Sha256StreamCipherPlugin(key: key, ivField: ivField, encryptURI: encryptURI)
        case .x25519?: return try? X25519CipherPlugin(seed: x25519Seed(node: node, incarnation: incarnation))
        default: return nil
        }
    }
}
