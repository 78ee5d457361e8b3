/// Why a plugin could not make, encrypt, decrypt or parse. Where Python netaio raises
/// (ValueError, TypeError, nacl's CryptoError, ...) we throw one of these; no input makes
/// a plugin trap.
public enum PluginError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A required auth field (e.g. the stream cipher's iv) is absent.
    case missingField(String)
    /// An auth field holds a packify value of the wrong type (Python raises TypeError).
    case fieldNotBytes(name: String, type: String)
    /// HMAC make: the timestamp (existing field or clock) does not fit a u32.
    case timestampOutOfRange(String)
    /// A peer-specific plugin was called without a peer or peer plugin.
    case peerRequired
    /// The peer record has no data to parse.
    case peerDataMissing
    case invalidPeerData(PackifyError)
    case unencodablePeerData(PackifyError)
    /// `parse_data(peer)` gave no dict with a `pubkey` entry.
    case peerPubkeyNotFound
    /// The peer's `pubkey` is not 32 bytes.
    case invalidPeerPubkey(String)
    /// An Ed25519 seed that is not 32 bytes.
    case invalidSeed(length: Int)
    /// A NaCl box shorter than its 24-byte nonce and 16-byte tag.
    case ciphertextTooShort(length: Int, minimum: Int)
    /// The box did not authenticate (wrong key, wrong sender, tampered bytes).
    case boxOpenFailed
    /// libsodium refused to box (e.g. a low-order peer public key).
    case boxSealFailed
    case sodiumUnavailable
    /// A peer record that `unpack` cannot read.
    case malformedPeerRecord(String)
    /// Building the output message failed (Body.prepare's length limit, encoding).
    case wire(WireError)
    /// For plugins outside this package.
    case rejected(plugin: String, reason: String)

    public var description: String {
        switch self {
        case .missingField(let n): "auth field \(n.debugDescription) is missing"
        case .fieldNotBytes(let n, let t): "auth field \(n.debugDescription) is a \(t), not bytes"
        case .timestampOutOfRange(let why): "timestamp cannot be encoded as a u32: \(why)"
        case .peerRequired: "peer and peer_plugin must be provided"
        case .peerDataMissing: "peer has no data"
        case .invalidPeerData(let e): "peer data is not valid packify: \(e)"
        case .unencodablePeerData(let e): "peer data cannot be encoded: \(e)"
        case .peerPubkeyNotFound: "peer pubkey not found"
        case .invalidPeerPubkey(let why): "peer pubkey is invalid: \(why)"
        case .invalidSeed(let n): "seed must be 32 bytes, got \(n)"
        case .ciphertextTooShort(let n, let m): "ciphertext of \(n) bytes is shorter than the \(m)-byte minimum"
        case .boxOpenFailed: "decryption failed: the box did not authenticate"
        case .boxSealFailed: "encryption failed: libsodium refused the key"
        case .sodiumUnavailable: "libsodium failed to initialise"
        case .malformedPeerRecord(let why): "malformed peer record: \(why)"
        case .wire(let e): e.description
        case .rejected(let plugin, let reason): "\(plugin): \(reason)"
        }
    }

    /// A short stable identifier, for logs and tests.
    public var code: String {
        switch self {
        case .missingField: "missing_field"
        case .fieldNotBytes: "field_not_bytes"
        case .timestampOutOfRange: "timestamp_out_of_range"
        case .peerRequired: "peer_required"
        case .peerDataMissing: "peer_data_missing"
        case .invalidPeerData: "invalid_peer_data"
        case .unencodablePeerData: "unencodable_peer_data"
        case .peerPubkeyNotFound: "peer_pubkey_not_found"
        case .invalidPeerPubkey: "invalid_peer_pubkey"
        case .invalidSeed: "invalid_seed"
        case .ciphertextTooShort: "ciphertext_too_short"
        case .boxOpenFailed: "box_open_failed"
        case .boxSealFailed: "box_seal_failed"
        case .sodiumUnavailable: "sodium_unavailable"
        case .malformedPeerRecord: "malformed_peer_record"
        case .wire: "wire"
        case .rejected: "rejected"
        }
    }
}
