/// Resource bounds for running untrusted scripts. tapescript itself bounds the stack
/// (1024 items of at most 1024 bytes) and the call depth (128); the rest are ours, so
/// that a hostile lock or witness costs bounded time and memory. Exceeding one of ours
/// is a `.limit` error, which `OP_TRY_EXCEPT` cannot catch.
public struct TapescriptLimits: Sendable, Equatable {
    /// tapescript's `stack_max_items`.
    public var stackMaxItems: Int = 1024
    /// tapescript's `stack_max_item_size`.
    public var stackMaxItemSize: Int = 1024
    /// tapescript's `callstack_limit` (OP_CALL count, OP_EVAL depth, OP_LOOP iterations).
    public var callstackLimit: Int = 128
    /// Ours: the largest script (lock or witness) accepted, in bytes.
    public var maxScriptSize: Int = 65_536
    /// Ours: the step budget of one run. Every opcode costs 1, every stack item an opcode
    /// walks over 1 more, every Ed25519 operation 64, hashing 1 per 64 bytes.
    public var maxSteps: Int = 250_000
    /// Ours: how deeply sub-tapes (IF, IF_ELSE, TRY_EXCEPT, LOOP, CALL, EVAL, MERKLEVAL,
    /// TAPROOT) may nest. Python stops only at its recursion limit (about 490 levels).
    public var maxDepth: Int = 256
    /// Ours: the live bytes the cache may hold (OP_WRITE_CACHE, OP_POP*, errors, ...).
    public var maxCacheBytes: Int = 8 << 20

    public init() {}

    public static let `default` = TapescriptLimits()
}

/// A cache key: Python's cache mixes `str` keys (sigfields, `timestamp`, `returned`)
/// with `bytes` keys (everything a script writes). The two never collide.
public enum CacheKey: Hashable, Sendable {
    case str(String)
    case bytes([UInt8])
}

/// A cache value as tapescript stores it.
public enum CacheValue: Equatable, Sendable {
    /// What OP_POP*, OP_WRITE_CACHE and OP_TRY_EXCEPT store (items in pop order).
    case list([[UInt8]])
    /// A single value (`s`, `x`, `X`, `R`, ... and the sigfields).
    case bytes([UInt8])
    case int(Int)
    case bool(Bool)
    case string(String)

    /// Python's `len()` of the value (OP_READ_CACHE_SIZE); nil where Python raises.
    var pythonLength: Int? {
        switch self {
        case .list(let l): l.count
        case .bytes(let b): b.count
        case .string(let s): s.unicodeScalars.count
        case .int, .bool: nil
        }
    }

    var byteCount: Int {
        switch self {
        case .list(let l): l.reduce(0) { $0 + $1.count + 16 }
        case .bytes(let b): b.count
        case .string(let s): s.utf8.count
        case .int, .bool: 8
        }
    }
}

/// A contract `OP_INVOKE` can call (Python's `CanBeInvoked`).
public protocol TapescriptInvokable: Sendable {
    /// Return values go onto the stack; nil returns nothing.
    func abi(_ args: [[UInt8]]) -> [[UInt8]]?
}

/// A contract `OP_CHECK_TRANSFER` can consult (Python's `CanCheckTransfer`).
public protocol TapescriptTransferChecker: Sendable {
    func verifyTxnProof(_ proof: [UInt8]) -> Bool
    func verifyTransfer(_ proof: [UInt8], source: [UInt8], destination: [UInt8]) -> Bool
    func verifyTxnConstraint(_ proof: [UInt8], constraint: [UInt8]) -> Bool
    /// Aggregate amount moved to `destination` by the proofs.
    func aggregate(_ proofs: [[UInt8]], destination: [UInt8]) -> Int
}

/// What a finished `run` left behind.
public struct TapescriptRun: Sendable {
    /// Stack items, bottom first.
    public var stack: [[UInt8]]
    public var cache: [CacheKey: CacheValue]
    /// Steps spent (see `TapescriptLimits.maxSteps`).
    public var steps: Int
}
