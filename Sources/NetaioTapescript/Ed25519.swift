import CSodium
import Crypto

/// The Ed25519 and hash primitives tapescript uses, on libsodium through the same
/// functions PyNaCl binds, with PyNaCl's argument checks and error messages.
enum Ed {
    static let ready: Bool = sodium_init() >= 0

    static func sha256(_ data: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: data)) }
    static func sha512(_ data: [UInt8]) -> [UInt8] { Array(SHA512.hash(data: data)) }

    static func shake256(_ data: [UInt8], count: Int) -> [UInt8] {
        Keccak.shake256(data, outputLength: count)
    }

    // MARK: PyNaCl-checked bindings

    static func isValidPoint(_ p: [UInt8]) throws(TapescriptError) -> Bool {
        guard p.count == 32 else {
            throw TapescriptError(.type, "Point must be a crypto_core_ed25519_BYTES long bytes sequence")
        }
        return crypto_core_ed25519_is_valid_point(p) == 1
    }

    static func add(_ p: [UInt8], _ q: [UInt8]) throws(TapescriptError) -> [UInt8] {
        try pointOp(p, q, crypto_core_ed25519_add)
    }

    static func sub(_ p: [UInt8], _ q: [UInt8]) throws(TapescriptError) -> [UInt8] {
        try pointOp(p, q, crypto_core_ed25519_sub)
    }

    private static func pointOp(
        _ p: [UInt8], _ q: [UInt8],
        _ f: (UnsafeMutablePointer<UInt8>, UnsafePointer<UInt8>, UnsafePointer<UInt8>) -> Int32
    ) throws(TapescriptError) -> [UInt8] {
        guard p.count == 32, q.count == 32 else {
            throw TapescriptError(.type, "Each point must be a crypto_core_ed25519_BYTES long bytes sequence")
        }
        var r = [UInt8](repeating: 0, count: 32)
        guard f(&r, p, q) == 0 else { throw TapescriptError(.runtime, "Unexpected library error") }
        return r
    }

    static func scalarAdd(_ p: [UInt8], _ q: [UInt8]) throws(TapescriptError) -> [UInt8] {
        try scalarOp(p, q, crypto_core_ed25519_scalar_add)
    }

    static func scalarSub(_ p: [UInt8], _ q: [UInt8]) throws(TapescriptError) -> [UInt8] {
        try scalarOp(p, q, crypto_core_ed25519_scalar_sub)
    }

    static func scalarMul(_ p: [UInt8], _ q: [UInt8]) throws(TapescriptError) -> [UInt8] {
        try scalarOp(p, q, crypto_core_ed25519_scalar_mul)
    }

    private static func scalarOp(
        _ p: [UInt8], _ q: [UInt8],
        _ f: (UnsafeMutablePointer<UInt8>, UnsafePointer<UInt8>, UnsafePointer<UInt8>) -> Void
    ) throws(TapescriptError) -> [UInt8] {
        guard p.count == 32, q.count == 32 else {
            throw TapescriptError(.type, "Each integer must be a crypto_core_ed25519_SCALARBYTES long bytes sequence")
        }
        var r = [UInt8](repeating: 0, count: 32)
        f(&r, p, q)
        return r
    }

    /// `crypto_core_ed25519_scalar_reduce` of a 64-byte value.
    static func scalarReduce(_ s: [UInt8]) -> [UInt8] {
        var r = [UInt8](repeating: 0, count: 32)
        crypto_core_ed25519_scalar_reduce(&r, s)
        return r
    }

    static func scalarmultBaseNoclamp(_ n: [UInt8]) throws(TapescriptError) -> [UInt8] {
        guard n.count == 32 else {
            throw TapescriptError(.type, "Input must be a crypto_scalarmult_ed25519_SCALARBYTES long bytes sequence")
        }
        var q = [UInt8](repeating: 0, count: 32)
        guard crypto_scalarmult_ed25519_base_noclamp(&q, n) == 0 else {
            throw TapescriptError(.runtime, "Unexpected library error")
        }
        return q
    }

    static func scalarmultNoclamp(_ n: [UInt8], _ p: [UInt8]) throws(TapescriptError) -> [UInt8] {
        guard n.count == 32 else {
            throw TapescriptError(.type, "Input must be a crypto_scalarmult_ed25519_SCALARBYTES long bytes sequence")
        }
        guard p.count == 32 else {
            throw TapescriptError(.type, "Input must be a crypto_scalarmult_ed25519_BYTES long bytes sequence")
        }
        var q = [UInt8](repeating: 0, count: 32)
        guard crypto_scalarmult_ed25519_noclamp(&q, n, p) == 0 else {
            throw TapescriptError(.runtime, "Unexpected library error")
        }
        return q
    }

    /// `SigningKey(seed).sign(message).signature` for a 32-byte seed.
    static func sign(seed: [UInt8], message: [UInt8]) -> [UInt8] {
        var pk = [UInt8](repeating: 0, count: 32)
        var sk = [UInt8](repeating: 0, count: 64)
        defer { sodium_memzero(&sk, sk.count) }
        crypto_sign_seed_keypair(&pk, &sk, seed)
        var sig = [UInt8](repeating: 0, count: 64)
        crypto_sign_detached(&sig, nil, message, UInt64(message.count), sk)
        return sig
    }

    /// `SigningKey(seed).verify_key` for a 32-byte seed.
    static func verifyKey(seed: [UInt8]) -> [UInt8] {
        var pk = [UInt8](repeating: 0, count: 32)
        var sk = [UInt8](repeating: 0, count: 64)
        defer { sodium_memzero(&sk, sk.count) }
        crypto_sign_seed_keypair(&pk, &sk, seed)
        return pk
    }

    /// `VerifyKey(vkey).verify(message, sig)` for a 32-byte key and 64-byte signature.
    static func verify(key: [UInt8], message: [UInt8], signature: [UInt8]) -> Bool {
        crypto_sign_verify_detached(signature, message, UInt64(message.count), key) == 0
    }

    // MARK: tapescript's helpers (functions.py)

    /// `clamp_scalar(scalar, from_private_key)` for bytes input (32 or more bytes).
    static func clampScalar(_ scalar: [UInt8], fromPrivateKey: Bool) throws(TapescriptError) -> [UInt8] {
        guard scalar.count >= 32 else { throw .vert("not a SigningKey and not 32+ bytes scalar") }
        var x = Array(scalar[0..<32])
        if fromPrivateKey {
            x[0] &= 0b1111_1000
            x[31] |= 0b0100_0000
        }
        x[31] &= 0b0111_1111
        return x
    }

    static func hBig(_ parts: [UInt8]...) -> [UInt8] { sha512(parts.flatMap { $0 }) }
    static func hSmall(_ parts: [UInt8]...) -> [UInt8] { scalarReduce(sha512(parts.flatMap { $0 })) }

    /// `derive_key_from_seed`: the clamped first half of SHA-512(seed).
    static func deriveKey(seed: [UInt8]) -> [UInt8] {
        var x = Array(sha512(seed)[0..<32])
        x[0] &= 0b1111_1000
        x[31] |= 0b0100_0000
        x[31] &= 0b0111_1111
        return x
    }

    /// `aggregate_points` (every point validated first).
    static func aggregatePoints(_ points: [[UInt8]]) throws(TapescriptError) -> [UInt8] {
        for p in points where !(try isValidPoint(p)) {
            throw .vert("each point must be a valid ed25519 point")
        }
        guard var sum = points.first else { throw TapescriptError(.index, "list index out of range") }
        for p in points.dropFirst() { sum = try add(sum, p) }
        return sum
    }

    /// `sign_with_scalar(scalar, message)` (Schnorr over Ed25519 with a derived nonce).
    static func signWithScalar(_ x: [UInt8], _ m: [UInt8]) throws(TapescriptError) -> [UInt8] {
        guard x.count == 32 else { throw .vert("scalar must be a valid ed25519 scalar") }
        let seed = hSmall(x + m)
        let nonce = Array(hBig(seed)[32...])
        let X = try scalarmultBaseNoclamp(x)
        let r = try clampScalar(hSmall(hBig(nonce, m)), fromPrivateKey: false)
        let R = try scalarmultBaseNoclamp(r)
        let c = try clampScalar(hSmall(R, X, m), fromPrivateKey: false)
        let s = try scalarAdd(r, scalarMul(c, x))
        return R + s
    }
}

/// SHAKE256 (FIPS 202), for `OP_SHAKE256` and the locks that hash with it.
enum Keccak {
    private static let rc: [UInt64] = [
        0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
        0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
        0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
        0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
        0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
        0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
    ]
    private static let rotations: [UInt64] = [
        0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14,
    ]

    private static func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 { n == 0 ? x : (x << n) | (x >> (64 - n)) }

    private static func permute(_ a: inout [UInt64]) {
        var b = [UInt64](repeating: 0, count: 25)
        var c = [UInt64](repeating: 0, count: 5)
        for round in 0..<24 {
            for x in 0..<5 { c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] }
            for x in 0..<5 {
                let d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1)
                for y in 0..<5 { a[x + 5 * y] ^= d }
            }
            for x in 0..<5 {
                for y in 0..<5 {
                    b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y], rotations[x + 5 * y])
                }
            }
            for x in 0..<5 {
                for y in 0..<5 {
                    a[x + 5 * y] = b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y])
                }
            }
            a[0] ^= rc[round]
        }
    }

    static func shake256(_ input: [UInt8], outputLength: Int) -> [UInt8] {
        let rate = 136
        var state = [UInt64](repeating: 0, count: 25)
        var padded = input
        padded.append(0x1F)
        while padded.count % rate != 0 { padded.append(0) }
        padded[padded.count - 1] |= 0x80
        for blockStart in stride(from: 0, to: padded.count, by: rate) {
            for i in 0..<(rate / 8) {
                var lane: UInt64 = 0
                for k in 0..<8 { lane |= UInt64(padded[blockStart + 8 * i + k]) << (8 * UInt64(k)) }
                state[i] ^= lane
            }
            permute(&state)
        }
        var out: [UInt8] = []
        out.reserveCapacity(outputLength)
        while out.count < outputLength {
            for i in 0..<(rate / 8) where out.count < outputLength {
                for k in 0..<8 where out.count < outputLength {
                    out.append(UInt8(truncatingIfNeeded: state[i] >> (8 * UInt64(k))))
                }
            }
            if out.count < outputLength { permute(&state) }
        }
        return out
    }
}
