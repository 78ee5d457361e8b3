import Foundation

/// Byte code being read (Python's `Tape`). A reference type because tapescript shares
/// tapes: a definition made by OP_DEF is one object, re-run by every OP_CALL, whose
/// `callstackCount` persists between calls.
final class Tape {
    let data: [UInt8]
    var pointer = 0
    var callstackCount: Int
    var definitions: Definitions

    init(_ data: [UInt8], callstackCount: Int = 0, definitions: Definitions = Definitions()) {
        self.data = data
        self.callstackCount = callstackCount
        self.definitions = definitions
    }

    var hasTerminated: Bool { pointer >= data.count }

    func read(_ size: Int) throws(TapescriptError) -> ArraySlice<UInt8> {
        guard size >= 0, size <= data.count - pointer else { throw .sert("cannot read that many bytes") }
        defer { pointer += size }
        return data[pointer..<(pointer + size)]
    }

    func readByte() throws(TapescriptError) -> UInt8 {
        guard pointer < data.count else { throw .sert("cannot read that many bytes") }
        defer { pointer += 1 }
        return data[pointer]
    }

    func readUInt16() throws(TapescriptError) -> Int {
        let b = try read(2)
        return Int(b[b.startIndex]) << 8 | Int(b[b.startIndex + 1])
    }
}

/// A tape's definitions dict: shared by reference (OP_DEF, OP_LOOP) or copied
/// (`{**tape.definitions}` in OP_IF, OP_EVAL, ...), as in Python.
final class Definitions {
    var table: [UInt8: Tape]
    init(_ table: [UInt8: Tape] = [:]) { self.table = table }
    func copy() -> Definitions { Definitions(table) }
}

/// The tapescript 0.7.3 virtual machine: one run of one or more scripts over a shared
/// stack and cache. See docs/tapescript.md.
public final class TapescriptVM {
    public let limits: TapescriptLimits
    /// `int(time())` for OP_CHECK_TIMESTAMP / OP_CHECK_EPOCH.
    public let now: Int
    var stack: [[UInt8]] = []
    var cache: [CacheKey: CacheValue] = [:]
    var cacheBytes = 0
    var steps = 0
    var depth = 0
    let contracts: [[UInt8]: any Sendable]
    var random: any RandomNumberGenerator

    public init(
        limits: TapescriptLimits = .default, now: Int? = nil,
        contracts: [[UInt8]: any Sendable] = [:],
        random: any RandomNumberGenerator = SystemRandomNumberGenerator()
    ) {
        self.limits = limits
        self.now = now ?? Int(Date().timeIntervalSince1970)
        self.contracts = contracts
        self.random = random
    }

    // MARK: stack

    func get() throws(TapescriptError) -> [UInt8] {
        guard let item = stack.popLast() else { throw .emptyPop }
        return item
    }

    func put(_ item: [UInt8]) throws(TapescriptError) {
        guard item.count <= limits.stackMaxItemSize else { throw .sert("Stack item size too large") }
        guard stack.count < limits.stackMaxItems else { throw .sert("cannot put onto full Stack") }
        stack.append(item)
    }

    func put<S: Collection>(_ item: S) throws(TapescriptError) where S.Element == UInt8 {
        try put(Array(item))
    }

    func peek() throws(TapescriptError) -> [UInt8] {
        guard let item = stack.last else { throw .peekEmpty }
        return item
    }

    func getInt() throws(TapescriptError) -> TSInt {
        let item = try get()
        guard let v = TSInt(signedBigEndian: item) else { throw .vert("number must not be empty") }
        return v
    }

    func getFloat() throws(TapescriptError) -> Double {
        let item = try get()
        guard item.count == 4 else { throw .vert("number must be 4 bytes") }
        return Self.unpackFloat(item)
    }

    // MARK: cache

    func setCache(_ key: CacheKey, _ value: CacheValue) throws(TapescriptError) {
        let old = cache[key]?.byteCount ?? 0
        let new = value.byteCount
        guard cacheBytes - old + new <= limits.maxCacheBytes else {
            throw TapescriptError(.limit, "cache exceeds \(limits.maxCacheBytes) bytes")
        }
        cacheBytes += new - old
        cache[key] = value
    }

    func removeCache(_ key: CacheKey) {
        if let old = cache.removeValue(forKey: key) { cacheBytes -= old.byteCount }
    }

    var returned: Bool { cache[.str("returned")] != nil }

    func charge(_ n: Int) throws(TapescriptError) {
        steps += n
        guard steps <= limits.maxSteps else {
            throw TapescriptError(.limit, "step budget of \(limits.maxSteps) exhausted")
        }
    }

    // MARK: running

    /// `run_tape`.
    func run(_ tape: Tape) throws(TapescriptError) {
        depth += 1
        defer { depth -= 1 }
        guard depth <= limits.maxDepth else {
            throw TapescriptError(.limit, "sub-tapes nested deeper than \(limits.maxDepth)")
        }
        while !tape.hasTerminated {
            let code = try tape.readByte()
            try charge(1)
            try execute(code, tape)
        }
    }

    /// Python's `run_script` followed by further scripts as in `run_auth_scripts`:
    /// the first tape's definitions and callstack count carry over to the next.
    public func run(scripts: [[UInt8]], cache initial: [String: CacheValue]) throws(TapescriptError) -> TapescriptRun {
        stack = []
        cache = [:]
        cacheBytes = 0
        steps = 0
        try setCache(.str("timestamp"), .int(now))
        for (k, v) in initial { try setCache(.str(k), v) }
        var previous: Tape?
        for script in scripts {
            guard script.count <= limits.maxScriptSize else {
                throw TapescriptError(.limit, "script of \(script.count) bytes exceeds \(limits.maxScriptSize)")
            }
            let tape = Tape(script, callstackCount: previous?.callstackCount ?? 0,
                            definitions: previous?.definitions ?? Definitions())
            try run(tape)
            previous = tape
        }
        return TapescriptRun(stack: stack, cache: cache, steps: steps)
    }

    /// `run(scripts:cache:)` that also returns the stack and cache an error left behind
    /// (what a caller of Python's `run_tape` would see).
    public func runCapturing(scripts: [[UInt8]], cache initial: [String: CacheValue]) -> (TapescriptRun, TapescriptError?) {
        do {
            return (try run(scripts: scripts, cache: initial), nil)
        } catch {
            return (TapescriptRun(stack: stack, cache: cache, steps: steps), error)
        }
    }

    // MARK: float helpers

    static func unpackFloat(_ b: [UInt8]) -> Double {
        let bits = UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
        return Double(Float(bitPattern: bits))
    }

    /// `struct.pack('!f', x)`.
    static func packFloat(_ x: Double) throws(TapescriptError) -> [UInt8] {
        let f = Float(x)
        if f.isInfinite && !x.isInfinite { throw TapescriptError(.overflow, "float too large to pack with f format") }
        let bits = f.bitPattern
        return [UInt8(bits >> 24), UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 8), UInt8(truncatingIfNeeded: bits)]
    }

    /// Python's float `%`.
    static func pythonFloatMod(_ x: Double, _ y: Double) -> Double {
        var mod = fmod(x, y)
        if mod != 0 {
            if (y < 0) != (mod < 0) { mod += y }
        } else {
            mod = y.sign == .minus ? -0.0 : 0.0
        }
        return mod
    }

    static func bool(_ b: [UInt8]) -> Bool { b.contains { $0 != 0 } }
    static func bool(_ b: ArraySlice<UInt8>) -> Bool { b.contains { $0 != 0 } }
}
