/// Key delegation of tapescript's tools.py: a root key signs certificates that let a
/// delegate key (and, if allowed, its own delegates) sign for it within a time window.
/// Used by netaio's test of a custom witness function (tests/test_plugins.py).
public struct DelegateCertificate: Sendable, Equatable {
    public var delegatePubkey: [UInt8]
    public var beginTS: Int
    public var endTS: Int
    public var canFurtherDelegate: Bool
    public var signature: [UInt8]

    /// `delegate pubkey ‖ begin ts (4) ‖ end ts (4) ‖ 0xff|0x00`: what the root signs.
    public static func preimage(delegatePubkey: [UInt8], beginTS: Int, endTS: Int, canFurtherDelegate: Bool) throws(TapescriptError) -> [UInt8] {
        guard delegatePubkey.count == 32 else { throw TapescriptError(.value, "delegate_pubkey must be 32 bytes") }
        let range = 0..<(1 << 31)
        guard range.contains(beginTS) else { throw TapescriptError(.value, "begin_ts must be int between 0 and 2^31-1") }
        guard range.contains(endTS) else { throw TapescriptError(.value, "end_ts must be int between 0 and 2^31-1") }
        func be4(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * (3 - $0))) } }
        return delegatePubkey + be4(beginTS) + be4(endTS) + [canFurtherDelegate ? 0xff : 0x00]
    }

    /// The 105-byte form carried in witnesses: preimage ‖ signature.
    public var packed: [UInt8] {
        ((try? Self.preimage(
            delegatePubkey: delegatePubkey, beginTS: beginTS, endTS: endTS, canFurtherDelegate: canFurtherDelegate)) ?? [])
            + signature
    }
}

extension Tapescript {
    /// `make_delegate_key_cert(root_seed, delegate_pubkey, begin_ts, end_ts, can)`.
    public static func makeDelegateKeyCert(
        rootSeed: [UInt8], delegatePubkey: [UInt8], beginTS: Int, endTS: Int, canFurtherDelegate: Bool = true
    ) throws(TapescriptError) -> DelegateCertificate {
        guard rootSeed.count == 32 else { throw TapescriptError(.value, "prvkey must be the 32 byte prvkey") }
        let preimage = try DelegateCertificate.preimage(
            delegatePubkey: delegatePubkey, beginTS: beginTS, endTS: endTS, canFurtherDelegate: canFurtherDelegate)
        return DelegateCertificate(
            delegatePubkey: delegatePubkey, beginTS: beginTS, endTS: endTS, canFurtherDelegate: canFurtherDelegate,
            signature: Ed.sign(seed: rootSeed, message: preimage))
    }

    /// `make_delegate_key_chain_lock(root_pubkey, sigflags)`: definition 0 takes the
    /// authorising key, a cert and below it a marker (true: another cert follows) or the
    /// signature; it checks the cert's time window against the cache timestamp and its
    /// signature by the authorising key, then either recurses with the delegate key (when
    /// the cert allows it and a cert follows) or checks the signature with it.
    public static func makeDelegateKeyChainLock(rootPubkey: [UInt8], sigflags: UInt8 = 0) throws(TapescriptError) -> [UInt8] {
        guard rootPubkey.count == 32 else { throw TapescriptError(.value, "pubkey must be the 32 byte pubkey") }
        typealias O = Opcode
        func write(_ key: Unicode.Scalar) -> [UInt8] { [O.WRITE_CACHE.rawValue, 1, UInt8(ascii: key), 1] }
        func read(_ key: Unicode.Scalar) -> [UInt8] { [O.READ_CACHE.rawValue, 1, UInt8(ascii: key)] }
        func splitAt(_ n: UInt8) -> [UInt8] { [O.PUSH0.rawValue, n, O.SPLIT.rawValue] }
        var body: [UInt8] = write("r")                                   // authorising pubkey
        body += splitAt(41) + write("s")                                 // cert signature
        body += [O.DUP.rawValue] + splitAt(40) + write("c")              // can delegate further
        body += splitAt(36) + write("e")                                 // end ts
        body += splitAt(32) + write("b") + write("d")                    // begin ts, delegate pubkey
        body += read("b") + [O.CHECK_TIMESTAMP_VERIFY.rawValue]
        body += read("e") + [O.CHECK_TIMESTAMP.rawValue, O.NOT.rawValue, O.VERIFY.rawValue]
        body += read("s") + [O.SWAP2.rawValue] + read("r") + [O.CHECK_SIG_STACK.rawValue, O.VERIFY.rawValue]
        body += read("c") + [O.AND.rawValue]
        let recurse = read("d") + [O.CALL.rawValue, 0]
        let terminal = read("d") + [O.CHECK_SIG.rawValue, sigflags]
        body += [O.IF_ELSE.rawValue, 0, UInt8(recurse.count)] + recurse + [0, UInt8(terminal.count)] + terminal
        return [O.DEF.rawValue, 0, UInt8(body.count >> 8), UInt8(body.count & 0xff)] + body
            + [O.PUSH1.rawValue, 32] + rootPubkey + [O.CALL.rawValue, 0]
    }

    /// `make_delegate_key_chain_witness(seed, certs, sigfields, sigflags)`: the delegate's
    /// signature, `false`, then the certs from the one authorising this key up to the one
    /// the root signed, each after a `true`.
    public static func makeDelegateKeyChainWitness(
        seed: [UInt8], certs: [DelegateCertificate], sigfields: [String: [UInt8]], sigflags: UInt8 = 0
    ) throws(TapescriptError) -> [UInt8] {
        guard seed.count == 32 else { throw TapescriptError(.value, "prvkey must be the 32 byte prvkey") }
        let script = [Opcode.PUSH1.rawValue, 32] + seed + [Opcode.SIGN.rawValue, sigflags]
        guard let sig = try run([script], sigfields: sigfields).stack.last, var out = push(sig) else {
            throw TapescriptError(.index, "pop from an empty deque")
        }
        out.append(Opcode.FALSE.rawValue)
        for (i, cert) in certs.enumerated() {
            if i > 0 { out.append(Opcode.TRUE.rawValue) }
            guard let p = push(cert.packed) else { throw TapescriptError(.value, "certificate too large") }
            out += p
        }
        return out
    }
}
