/// The opcodes of tapescript 0.7.3, numbered as in its `opcodes` list; 92-255 are NOPs.
/// Each implementation pops, reads and fails in the same order as Python, so the stack
/// and cache left behind by an error (visible through OP_TRY_EXCEPT) match too.
public enum Opcode: UInt8, CaseIterable, Sendable {
    case FALSE = 0, TRUE, PUSH0, PUSH1, PUSH2, GET_MESSAGE, POP0, POP1, SIZE, WRITE_CACHE
    case READ_CACHE, READ_CACHE_SIZE, READ_CACHE_STACK, READ_CACHE_STACK_SIZE, ADD_INTS
    case SUBTRACT_INTS, MULT_INTS, DIV_INT, DIV_INTS, MOD_INT, MOD_INTS, ADD_FLOATS
    case SUBTRACT_FLOATS, DIV_FLOAT, DIV_FLOATS, MOD_FLOAT, MOD_FLOATS, ADD_POINTS, COPY, DUP
    case SHA256, SHAKE256, VERIFY, EQUAL, EQUAL_VERIFY, CHECK_SIG, CHECK_SIG_VERIFY
    case CHECK_TIMESTAMP, CHECK_TIMESTAMP_VERIFY, CHECK_EPOCH, CHECK_EPOCH_VERIFY, DEF, CALL
    case IF, IF_ELSE, EVAL, NOT, RANDOM, RETURN, SET_FLAG, UNSET_FLAG, DEPTH, SWAP, SWAP2
    case REVERSE, CONCAT, SPLIT, CONCAT_STR, SPLIT_STR, CHECK_TRANSFER, MERKLEVAL, TRY_EXCEPT
    case LESS, LESS_OR_EQUAL, GET_VALUE, FLOAT_LESS, FLOAT_LESS_OR_EQUAL, INT_TO_FLOAT
    case FLOAT_TO_INT, LOOP, CHECK_MULTISIG, CHECK_MULTISIG_VERIFY, SIGN, SIGN_STACK
    case CHECK_SIG_STACK, DERIVE_SCALAR, CLAMP_SCALAR, ADD_SCALARS, SUBTRACT_SCALARS
    case DERIVE_POINT, SUBTRACT_POINTS, MAKE_ADAPTER_SIG_PUBLIC, MAKE_ADAPTER_SIG_PRIVATE
    case CHECK_ADAPTER_SIG, DECRYPT_ADAPTER_SIG, INVOKE, XOR, OR, AND, CHECK_TEMPLATE
    case CHECK_TEMPLATE_VERIFY, TAPROOT

    public var name: String { "OP_\(self)" }
}

/// Cost of one Ed25519 operation in steps.
private let cryptoCost = 64

extension TapescriptVM {
    func execute(_ code: UInt8, _ tape: Tape) throws(TapescriptError) {
        guard let op = Opcode(rawValue: code) else { return try nop(tape) }
        switch op {
        case .FALSE: try put([0x00])
        case .TRUE: try put([0xff])
        case .PUSH0: try put(tape.read(1))
        case .PUSH1: let n = try tape.readByte(); try put(tape.read(Int(n)))
        case .PUSH2: let n = try tape.readUInt16(); try put(tape.read(n))
        case .GET_MESSAGE: try getMessage(tape)
        case .POP0: try setCache(.bytes([0x50]), .list([get()]))
        case .POP1:
            let n = Int(try tape.readByte())
            try charge(n)
            var items: [[UInt8]] = []
            for _ in 0..<n { items.append(try get()) }
            try setCache(.bytes([0x50]), .list(items))
        case .SIZE: try put(TSInt(get().count).tapescriptBytes)
        case .WRITE_CACHE:
            let size = Int(try tape.readByte())
            let key = Array(try tape.read(size))
            let n = Int(try tape.readByte())
            try charge(n)
            var items: [[UInt8]] = []
            for _ in 0..<n { items.append(try get()) }
            try setCache(.bytes(key), .list(items))
        case .READ_CACHE:
            let size = Int(try tape.readByte())
            let key = Array(try tape.read(size))
            guard let value = cache[.bytes(key)] else { throw .sert("OP_READ_CACHE key not in cache") }
            try putCacheItems(value)
        case .READ_CACHE_SIZE:
            let size = Int(try tape.readByte())
            let key = Array(try tape.read(size))
            try putCacheSize(cache[.bytes(key)])
        case .READ_CACHE_STACK:
            let key = try get()
            guard let value = cache[.bytes(key)] else { throw .sert("OP_READ_CACHE_STACK key not in cache") }
            try putCacheItems(value)
        case .READ_CACHE_STACK_SIZE:
            let key = try get()
            try putCacheSize(cache[.bytes(key)])
        case .ADD_INTS:
            let n = Int(try tape.readByte())
            try charge(n)
            var total = TSInt.zero
            for _ in 0..<n { total = total + (try getInt()) }
            try put(total.tapescriptBytes)
        case .SUBTRACT_INTS:
            let n = Int(try tape.readByte())
            try charge(n)
            var total = try getInt()
            if n > 1 { for _ in 0..<(n - 1) { total = total - (try getInt()) } }
            try put(total.tapescriptBytes)
        case .MULT_INTS: try multInts(tape)
        case .DIV_INT, .MOD_INT:
            let size = Int(try tape.readByte())
            guard let divisor = TSInt(signedBigEndian: Array(try tape.read(size))) else {
                throw .vert("number must not be empty")
            }
            let dividend = try getInt()
            try putDivMod(dividend, divisor, mod: op == .MOD_INT)
        case .DIV_INTS, .MOD_INTS:
            let dividend = try getInt()
            let divisor = try getInt()
            try putDivMod(dividend, divisor, mod: op == .MOD_INTS)
        case .ADD_FLOATS:
            let n = Int(try tape.readByte())
            try charge(n)
            var total = 0.0
            for _ in 0..<n { total += try getMalformedFloat("OP_ADD_FLOATS") }
            guard !total.isNaN else { throw .vert("OP_ADD_FLOATS nan encountered") }
            try put(Self.packFloat(total))
        case .SUBTRACT_FLOATS:
            let n = Int(try tape.readByte())
            try charge(n)
            var total = try getMalformedFloat("OP_SUBTRACT_FLOATS")
            if n > 1 { for _ in 0..<(n - 1) { total -= try getMalformedFloat("OP_SUBTRACT_FLOATS") } }
            guard !total.isNaN else { throw .vert("OP_SUBTRACT_FLOATS nan encountered") }
            try put(Self.packFloat(total))
        case .DIV_FLOAT, .MOD_FLOAT:
            let divisor = Self.unpackFloat(Array(try tape.read(4)))
            let name = op == .DIV_FLOAT ? "OP_DIV_FLOAT" : "OP_MOD_FLOAT"
            let dividend = try getMalformedFloat(name)
            try putFloatDivMod(dividend, divisor, mod: op == .MOD_FLOAT, name: name)
        case .DIV_FLOATS:
            let dividend = try getMalformedFloat("OP_DIV_FLOATS")
            let divisor = try getMalformedFloat("OP_DIV_FLOATS")
            try putFloatDivMod(dividend, divisor, mod: false, name: "OP_DIV_FLOATS")
        case .MOD_FLOATS:
            let divisor = try getMalformedFloat("OP_MOD_FLOATS")
            let dividend = try getMalformedFloat("OP_MOD_FLOATS")
            try putFloatDivMod(dividend, divisor, mod: true, name: "OP_MOD_FLOATS")
        case .ADD_POINTS:
            let n = Int(try tape.readByte())
            var points: [[UInt8]] = []
            for _ in 0..<n { points.append(try get()) }
            try charge(n * cryptoCost * 2)
            for p in points where !(try Ed.isValidPoint(p)) { throw .vert("OP_ADD_POINTS invalid point encountered") }
            try put(Ed.aggregatePoints(points))
        case .COPY:
            let n = Int(try tape.readByte())
            try charge(n)
            let item = try get()
            for _ in 0...n { try put(item) }
        case .DUP: let item = try get(); try put(item); try put(item)
        case .SHA256:
            let item = try get()
            try charge(item.count / 64)
            try put(Ed.sha256(item))
        case .SHAKE256:
            let size = Int(try tape.readByte())
            let item = try get()
            try charge(item.count / 64 + size / 64)
            try put(Ed.shake256(item, count: size))
        case .VERIFY: try verify()
        case .EQUAL: try equal()
        case .EQUAL_VERIFY: try equal(); try verify()
        case .CHECK_SIG: try checkSig(tape)
        case .CHECK_SIG_VERIFY: try checkSig(tape); try verify()
        case .CHECK_TIMESTAMP: try checkTimestamp()
        case .CHECK_TIMESTAMP_VERIFY: try checkTimestamp(); try verify()
        case .CHECK_EPOCH: try checkEpoch()
        case .CHECK_EPOCH_VERIFY: try checkEpoch(); try verify()
        case .DEF:
            let handle = try tape.readByte()
            let size = try tape.readUInt16()
            let data = Array(try tape.read(size))
            tape.definitions.table[handle] = Tape(data, definitions: tape.definitions)
        case .CALL: try call(tape)
        case .IF:
            let size = try tape.readUInt16()
            let data = Array(try tape.read(size))
            if Self.bool(try get()) {
                try run(Tape(data, callstackCount: tape.callstackCount, definitions: tape.definitions.copy()))
                if returned { try opReturn(tape) }
            }
        case .IF_ELSE:
            let ifSize = try tape.readUInt16()
            let ifData = Array(try tape.read(ifSize))
            let elseSize = try tape.readUInt16()
            let elseData = Array(try tape.read(elseSize))
            let branch = Self.bool(try get()) ? ifData : elseData
            try run(Tape(branch, callstackCount: tape.callstackCount, definitions: tape.definitions.copy()))
            if returned { try opReturn(tape) }
        case .EVAL: try eval(tape)
        case .NOT: try put(get().map { ~$0 })
        case .RANDOM: try randomBytes()
        case .RETURN: try opReturn(tape)
        case .SET_FLAG:
            // The flag read from the tape is bytes; tapescript's flag table has only str
            // and int keys, so no flag is ever recognised.
            let size = Int(try tape.readByte())
            _ = try tape.read(size)
            throw .sert("OP_SET_FLAG unrecognized flag")
        case .UNSET_FLAG:
            // Likewise never matches a flag: a no-op that consumes its operand.
            let size = Int(try tape.readByte())
            _ = try tape.read(size)
        case .DEPTH: try put(TSInt(stack.count).tapescriptBytes)
        case .SWAP:
            let first = Int(try tape.readByte())
            let second = Int(try tape.readByte())
            if first == second { return }
            guard stack.count > max(first, second) else { throw .sert("OP_SWAP stack size exceeded by index") }
            stack.swapAt(stack.count - first - 1, stack.count - second - 1)
        case .SWAP2:
            let first = try get(), second = try get()
            try put(first); try put(second)
        case .REVERSE:
            let n = Int(try tape.readByte())
            guard stack.count >= n else { throw .sert("OP_REVERSE stack size exceeded") }
            try charge(n)
            stack[(stack.count - n)...].reverse()
        case .CONCAT:
            let second = try get(), first = try get()
            try put(first + second)
        case .SPLIT:
            let index = try getInt()
            let item = try get()
            guard !index.isNegative else { throw .sert("OP_SPLIT negative index is invalid") }
            guard let i = index.intValue, i < item.count else { throw .sert("OP_SPLIT item len exceeded by index") }
            try put(item[..<i]); try put(item[i...])
        case .CONCAT_STR:
            let second = try decodeUTF8(get())
            let first = try decodeUTF8(get())
            try put(Array((first + second).utf8))
        case .SPLIT_STR:
            let index = try getInt()
            let item = Array(try decodeUTF8(get()).unicodeScalars)
            guard !index.isNegative else { throw .sert("OP_SPLIT_STR negative index is invalid") }
            guard let i = index.intValue, i < item.count else { throw .sert("OP_SPLIT_STR item len exceeded by index") }
            var first = String.UnicodeScalarView(), second = String.UnicodeScalarView()
            first.append(contentsOf: item[..<i]); second.append(contentsOf: item[i...])
            try put(Array(String(first).utf8)); try put(Array(String(second).utf8))
        case .CHECK_TRANSFER: try checkTransfer()
        case .MERKLEVAL: try merkleval(tape)
        case .TRY_EXCEPT: try tryExcept(tape)
        case .LESS, .LESS_OR_EQUAL:
            let v1 = try getInt(), v2 = try getInt()
            try put([(op == .LESS ? v1 < v2 : v1 <= v2) ? 0xff : 0x00])
        case .GET_VALUE: try getValue(tape)
        case .FLOAT_LESS, .FLOAT_LESS_OR_EQUAL:
            let v1 = try getFloat(), v2 = try getFloat()
            try put([(op == .FLOAT_LESS ? v1 < v2 : v1 <= v2) ? 0xff : 0x00])
        case .INT_TO_FLOAT:
            guard let d = try getInt().doubleValue else { throw TapescriptError(.overflow, "int too large to convert to float") }
            try put(Self.packFloat(d))
        case .FLOAT_TO_INT:
            let v = try getFloat()
            if v.isNaN { throw .vert("cannot convert float NaN to integer") }
            if v.isInfinite { throw TapescriptError(.overflow, "cannot convert float infinity to integer") }
            try put(TSInt(truncating: v).tapescriptBytes)
        case .LOOP: try loop(tape)
        case .CHECK_MULTISIG: try checkMultisig(tape)
        case .CHECK_MULTISIG_VERIFY: try checkMultisig(tape); try verify()
        case .SIGN: try sign(tape)
        case .SIGN_STACK:
            let seed = try get(), msg = try get()
            guard seed.count == 32 else { throw .vert("") }
            try charge(cryptoCost)
            let sig = Ed.sign(seed: seed, message: msg)
            try setCache(.bytes([0x73]), .bytes(sig))
            try put(sig)
        case .CHECK_SIG_STACK:
            let vkey = try get()
            guard vkey.count == 32 else { throw .vert("invalid vkey") }
            let msg = try get(), sig = try get()
            guard sig.count == 64 else { throw .vert("invalid signature") }
            try charge(cryptoCost)
            try put([Ed.verify(key: vkey, message: msg, signature: sig) ? 0xff : 0x00])
        case .DERIVE_SCALAR:
            let seed = try get()
            let x = Ed.deriveKey(seed: seed)
            try setCache(.bytes([0x78]), .bytes(x))
            try put(x)
        case .CLAMP_SCALAR:
            let isKey = Self.bool(try tape.read(1))
            try put(Ed.clampScalar(get(), fromPrivateKey: isKey))
        case .ADD_SCALARS:
            let n = Int(try tape.readByte())
            try charge(n)
            var scalars: [[UInt8]] = []
            for _ in 0..<n { scalars.append(try get()) }
            guard var sum = scalars.first else { throw TapescriptError(.index, "list index out of range") }
            for s in scalars.dropFirst() { sum = try Ed.scalarAdd(sum, s) }
            try put(sum)
        case .SUBTRACT_SCALARS:
            let n = Int(try tape.readByte())
            try charge(n)
            var total = try get()
            if n > 1 { for _ in 0..<(n - 1) { total = try Ed.scalarSub(total, get()) } }
            try put(total)
        case .DERIVE_POINT:
            try charge(cryptoCost)
            let X = try Ed.scalarmultBaseNoclamp(get())
            try setCache(.bytes([0x58]), .bytes(X))
            try put(X)
        case .SUBTRACT_POINTS:
            let n = Int(try tape.readByte())
            try charge(n * cryptoCost)
            var total = try get()
            if n > 1 { for _ in 0..<(n - 1) { total = try Ed.sub(total, get()) } }
            try put(total)
        case .MAKE_ADAPTER_SIG_PUBLIC: try makeAdapterSigPublic()
        case .MAKE_ADAPTER_SIG_PRIVATE: try makeAdapterSigPrivate()
        case .CHECK_ADAPTER_SIG: try checkAdapterSig()
        case .DECRYPT_ADAPTER_SIG: try decryptAdapterSig()
        case .INVOKE: try invoke()
        case .XOR, .OR, .AND:
            var a = try get(), b = try get()
            if a.count < b.count { a += [UInt8](repeating: 0, count: b.count - a.count) }
            if b.count < a.count { b += [UInt8](repeating: 0, count: a.count - b.count) }
            let f: (UInt8, UInt8) -> UInt8 = op == .XOR ? { $0 ^ $1 } : op == .OR ? { $0 | $1 } : { $0 & $1 }
            try put(zip(a, b).map(f))
        case .CHECK_TEMPLATE: try checkTemplate(tape)
        case .CHECK_TEMPLATE_VERIFY: try checkTemplate(tape); try verify()
        case .TAPROOT: try taproot(tape)
        }
    }

    // MARK: helpers

    private func nop(_ tape: Tape) throws(TapescriptError) {
        let count = Int(Int8(bitPattern: try tape.readByte()))
        guard count >= 0 else { throw .sert("NOP count must not be negative") }
        try charge(count)
        for _ in 0..<count { _ = try get() }
    }

    private func verify() throws(TapescriptError) {
        guard Self.bool(try get()) else { throw .sert("OP_VERIFY check failed") }
    }

    private func equal() throws(TapescriptError) {
        let a = try get(), b = try get()
        try put([a == b ? 0xff : 0x00])
    }

    func opReturn(_ tape: Tape) throws(TapescriptError) {
        tape.pointer = tape.data.count
        try setCache(.str("returned"), .bool(true))
    }

    private func putCacheItems(_ value: CacheValue) throws(TapescriptError) {
        switch value {
        case .list(let items):
            try charge(items.count)
            for item in items { try put(item) }
        case .bytes(let b): try put(b)
        case .int, .bool, .string: throw .tert("Stack item must be bytes")
        }
    }

    private func putCacheSize(_ value: CacheValue?) throws(TapescriptError) {
        guard let value else { return try put(TSInt.zero.tapescriptBytes) }
        guard let n = value.pythonLength else {
            throw .tert("object of type '\(value.pythonTypeName)' has no len()")
        }
        try put(TSInt(n).tapescriptBytes)
    }

    private func getMalformedFloat(_ name: String) throws(TapescriptError) -> Double {
        let item = try get()
        guard item.count == 4 else { throw .tert("\(name) malformed float") }
        return Self.unpackFloat(item)
    }

    private func putDivMod(_ a: TSInt, _ b: TSInt, mod: Bool) throws(TapescriptError) {
        guard let (q, r) = TSInt.floorDivMod(a, b) else {
            throw TapescriptError(.zeroDivision, mod ? "integer modulo by zero" : "integer division or modulo by zero")
        }
        try put((mod ? r : q).tapescriptBytes)
    }

    private func putFloatDivMod(_ a: Double, _ b: Double, mod: Bool, name: String) throws(TapescriptError) {
        guard b != 0 else {
            throw TapescriptError(.zeroDivision, mod ? "float modulo" : "float division by zero")
        }
        let result = mod ? Self.pythonFloatMod(a, b) : a / b
        guard !result.isNaN else { throw .vert("\(name) nan encountered") }
        try put(Self.packFloat(result))
    }

    private func multInts(_ tape: Tape) throws(TapescriptError) {
        let n = Int(try tape.readByte())
        try charge(n)
        var total = try getInt()
        // Once the product is far past the stack item size it can only come back by a
        // zero factor; stop multiplying (bounded work) and remember whether one came.
        let cap = limits.stackMaxItemSize * 8 + 64
        var tooBig = false, sawZero = total.isZero
        if n > 1 {
            for _ in 0..<(n - 1) {
                let f = try getInt()
                if f.isZero { sawZero = true }
                if !tooBig {
                    total = total * f
                    if total.bitWidth > cap { tooBig = true }
                }
            }
        }
        if sawZero { total = .zero } else if tooBig { throw .sert("Stack item size too large") }
        try put(total.tapescriptBytes)
    }

    private func decodeUTF8(_ bytes: [UInt8]) throws(TapescriptError) -> String {
        switch pythonUTF8Decode(bytes) {
        case .success(let s): return s
        case .failure(let e): throw e
        }
    }

    private func randomBytes() throws(TapescriptError) {
        let size = try getInt()
        guard !size.isNegative else { throw .vert("negative argument not allowed") }
        guard let n = size.intValue else {
            throw TapescriptError(.overflow, "Python int too large to convert to C ssize_t")
        }
        guard n <= limits.stackMaxItemSize else { throw .sert("Stack item size too large") }
        var out = [UInt8](repeating: 0, count: n)
        for i in 0..<n { out[i] = UInt8.random(in: 0...255, using: &random) }
        try put(out)
    }

    // MARK: signatures

    /// The message OP_GET_MESSAGE builds for a sigflag byte: the sigfields present in
    /// the cache, in order, skipping those whose flag bit is set.
    func message(flags: UInt8) throws(TapescriptError) -> [UInt8] {
        var m: [UInt8] = []
        for i in 0..<8 where flags & (1 << UInt8(i)) == 0 {
            switch cache[.str("sigfield\(i + 1)")] {
            case nil: continue
            case .bytes(let b)?: m += b
            case .string?: throw .tert("can't concat str to bytes")
            case let other?: throw .tert("can't concat \(other.pythonTypeName) to bytes")
            }
        }
        return m
    }

    private func getMessage(_ tape: Tape) throws(TapescriptError) {
        let flags = try tape.readByte()
        try put(message(flags: flags))
    }

    /// OP_CHECK_SIG with the allowable sigflags read from `tape`.
    func checkSig(_ tape: Tape) throws(TapescriptError) {
        let allowable = try tape.readByte()
        let vkey = try get(), sig = try get()
        guard vkey.count == 32 else { throw .vert("OP_CHECK_SIG invalid vkey encountered") }
        guard sig.count == 64 || sig.count == 65 else { throw .vert("OP_CHECK_SIG invalid sig encountered") }
        let flag: UInt8 = sig.count == 64 ? 0 : sig[64]
        if flag & ~allowable != 0 { throw .sert("disallowed sigflag") }
        // Python pushes the message and pops it again: the size limit applies.
        let m = try message(flags: flag)
        try put(m)
        _ = try get()
        try charge(cryptoCost)
        try put([Ed.verify(key: vkey, message: m, signature: Array(sig[0..<64])) ? 0xff : 0x00])
    }

    private func sign(_ tape: Tape) throws(TapescriptError) {
        let flag = try tape.readByte()
        let seed = try get()
        guard seed.count == 32 else { throw .vert("invalid signing key; must be 32 bytes") }
        let m = try message(flags: flag)
        try put(m)
        _ = try get()
        try charge(cryptoCost)
        var sig = Ed.sign(seed: seed, message: m)
        if flag != 0 { sig.append(flag) }
        try setCache(.bytes([0x73]), .bytes(sig))
        try put(sig)
    }

    private func checkMultisig(_ tape: Tape) throws(TapescriptError) {
        let allowable = try tape.readByte()
        let m = Int(try tape.readByte())
        let n = Int(try tape.readByte())
        try charge(n + m)
        var vkeys: [[UInt8]] = []
        for _ in 0..<n { vkeys.append(try get()) }
        var sigs: [[UInt8]] = []
        for _ in 0..<m { sigs.append(try get()) }
        var confirmed = Set<[UInt8]>()
        for sig in sigs {
            for (index, vkey) in vkeys.enumerated() {
                try put(sig)
                try put(vkey)
                try checkSig(Tape([allowable]))
                if Self.bool(try get()) {
                    vkeys.remove(at: index)
                    confirmed.insert(sig)
                    break
                }
            }
        }
        // Python's set: a repeated signature counts once, so it cannot fill the quorum.
        try put([confirmed.count == sigs.count ? 0xff : 0x00])
    }

    private func checkTimestamp() throws(TapescriptError) {
        let c = try get()
        guard !c.isEmpty else { throw .sert("OP_CHECK_TIMESTAMP malformed constraint encountered") }
        let constraint = TSInt(unsignedBigEndian: c)
        guard let tsValue = cache[.str("timestamp")] else { throw .sert("OP_CHECK_TIMESTAMP cache missing timestamp") }
        guard case .int(let ts) = tsValue else { throw .sert("OP_CHECK_TIMESTAMP malformed cache timestamp") }
        let threshold = 60
        if TSInt(ts) < constraint {
            try put([0x00])
        } else if TSInt(ts) - TSInt(now) >= TSInt(threshold) {
            try put([0x00])
        } else {
            try put([0xff])
        }
    }

    private func checkEpoch() throws(TapescriptError) {
        let c = try get()
        guard !c.isEmpty else { throw .sert("OP_CHECK_EPOCH malformed constraint encountered") }
        let constraint = TSInt(unsignedBigEndian: c)
        let threshold = 60
        try put([constraint - TSInt(now) >= TSInt(threshold) ? 0x00 : 0xff])
    }

    // MARK: control flow

    private func call(_ tape: Tape) throws(TapescriptError) {
        guard tape.callstackCount < limits.callstackLimit else { throw .sert("callstack limit exceeded") }
        let handle = try tape.readByte()
        tape.callstackCount += 1
        guard let sub = tape.definitions.table[handle] else {
            throw TapescriptError(.key, pythonBytesRepr([handle]))
        }
        let saved = sub.pointer
        sub.callstackCount = tape.callstackCount
        sub.pointer = 0
        try run(sub)
        sub.pointer = saved
        removeCache(.str("returned"))
    }

    func eval(_ tape: Tape) throws(TapescriptError) {
        guard tape.callstackCount < limits.callstackLimit else { throw .sert("callstack limit exceeded") }
        let script = try get()
        guard !script.isEmpty else { throw .vert("OP_EVAL encountered empty script") }
        try run(Tape(script, callstackCount: tape.callstackCount + 1, definitions: tape.definitions.copy()))
        // The eval_return flag is never set, so a return inside ends only the eval.
        removeCache(.str("returned"))
    }

    private func loop(_ tape: Tape) throws(TapescriptError) {
        let size = try tape.readUInt16()
        let body = Array(try tape.read(size))
        var condition = try peek()
        var count = 0
        let sub = Tape(body, callstackCount: tape.callstackCount, definitions: tape.definitions)
        while Self.bool(condition) {
            guard count < limits.callstackLimit else { throw .sert("OP_LOOP limit exceeded") }
            try run(sub)
            if returned { return }
            sub.pointer = 0
            count += 1
            condition = try peek()
        }
    }

    private func tryExcept(_ tape: Tape) throws(TapescriptError) {
        let trySize = try tape.readUInt16()
        let tryData = Array(try tape.read(trySize))
        let exceptSize = try tape.readUInt16()
        let exceptData = Array(try tape.read(exceptSize))
        do {
            try run(Tape(tryData, callstackCount: tape.callstackCount, definitions: tape.definitions.copy()))
        } catch {
            if error.kind == .limit { throw error }
            try setCache(.bytes([0x45]), .list([Array(error.serialized.utf8)]))
            try run(Tape(exceptData, callstackCount: tape.callstackCount, definitions: tape.definitions.copy()))
        }
        if returned { try opReturn(tape) }
    }

    private func merkleval(_ tape: Tape) throws(TapescriptError) {
        let root = Array(try tape.read(32))
        let item = try get(); try put(item); try put(item)                      // DUP
        try put(Ed.sha256(get()))                                               // SHA256
        try put(Ed.sha256(get()))                                               // SHA256
        guard stack.count > 2 else { throw .sert("OP_SWAP stack size exceeded by index") }
        stack.swapAt(stack.count - 2, stack.count - 3)                          // SWAP 1 2
        let first = try get(), second = try get(); try put(first); try put(second) // SWAP2
        try put(Ed.sha256(get()))                                               // SHA256
        var a = try get(), b = try get()                                        // XOR
        if a.count < b.count { a += [UInt8](repeating: 0, count: b.count - a.count) }
        if b.count < a.count { b += [UInt8](repeating: 0, count: a.count - b.count) }
        try put(zip(a, b).map { $0 ^ $1 })
        try put(root)
        try equal(); try verify()                                               // EQUAL_VERIFY
        try eval(tape)
    }

    private func taproot(_ tape: Tape) throws(TapescriptError) {
        let allowable = try tape.readByte()
        let root = try get()
        guard root.count == 32 else { throw .sert("OP_TAPROOT: supplied root was not 32 bytes") }
        if try peek().count == 32 {
            let pubkey = try get()
            let script = try get()
            try charge(3 * cryptoCost)
            let scalar = try Ed.clampScalar(Ed.sha256(pubkey + Ed.sha256(script)), fromPrivateKey: false)
            let point = try Ed.aggregatePoints([Ed.scalarmultBaseNoclamp(scalar), pubkey])
            guard point == root else { return try put([0x00]) }
            try put(script)
            try eval(tape)
        } else {
            try put(root)
            try checkSig(Tape([allowable]))
        }
    }

    private func checkTemplate(_ tape: Tape) throws(TapescriptError) {
        let flags = try tape.readByte()
        var allValid = true
        for i in 0..<8 where flags & (1 << UInt8(i)) != 0 {
            let template = try get()
            let name = "sigfield\(i + 1)"
            guard let field = cache[.str(name)] else { throw TapescriptError(.key, "'\(name)'") }
            guard case .bytes(let value) = field else { throw .tert("Stack item must be bytes") }
            // Python copies the sigfield onto a fresh default-sized Stack first.
            guard value.count <= 1024 else { throw .sert("Stack item size too large") }
            allValid = allValid && template == value
        }
        try put([allValid ? 0xff : 0x00])
    }

    private func getValue(_ tape: Tape) throws(TapescriptError) {
        let size = Int(try tape.readByte())
        let key = try decodeUTF8(Array(tape.read(size)))
        guard let value = cache[.str(key)] else { throw .sert("OP_GET_VALUE key \"\(key)\" not in cache") }
        switch value {
        case .list(let items): for item in items { try put(item) }
        case .bytes(let b): try put(b)
        case .string(let s): try put(Array(s.utf8))
        case .int(let i): try put(TSInt(i).tapescriptBytes)
        case .bool: break  // type(True) is bool, not int: nothing is pushed
        }
    }

    // MARK: contracts

    private func checkTransfer() throws(TapescriptError) {
        let contractID = try get()
        let amount = try getInt()
        let constraint = try get()
        let destination = try get()
        let countItem = try get()
        let count = TSInt(unsignedBigEndian: countItem)
        guard let n = count.intValue, n <= stack.count else {
            try charge(stack.count)
            stack.removeAll()
            throw .emptyPop
        }
        try charge(2 * n)
        var sources: [[UInt8]] = [], proofs: [[UInt8]] = []
        for _ in 0..<n { sources.append(try get()) }
        for _ in 0..<n { proofs.append(try get()) }
        guard let contract = contracts[contractID] else { throw .sert("OP_CHECK_TRANSFER missing contract") }
        guard let checker = contract as? any TapescriptTransferChecker else {
            throw .sert("contract must implement the CanCheckTransfer interface")
        }
        var valid = true
        for i in 0..<n {
            if !checker.verifyTxnProof(proofs[i]) { valid = false }
            if !checker.verifyTransfer(proofs[i], source: sources[i], destination: destination) { valid = false }
            if !constraint.isEmpty && !checker.verifyTxnConstraint(proofs[i], constraint: constraint) { valid = false }
        }
        let aggregate = TSInt(checker.aggregate(proofs, destination: destination))
        try put([valid && amount <= aggregate ? 0xff : 0x00])
    }

    private func invoke() throws(TapescriptError) {
        let contractID = try get()
        let argcount = try getInt()
        guard !argcount.isNegative else { throw .sert("OP_INVOKE invalid argcount encountered") }
        guard let n = argcount.intValue, n <= stack.count else {
            try charge(stack.count)
            stack.removeAll()
            throw .emptyPop
        }
        try charge(n)
        var args: [[UInt8]] = []
        for _ in 0..<n { args.append(try get()) }
        guard let contract = contracts[contractID] else { throw .sert("OP_INVOKE unknown contract") }
        guard let invokable = contract as? any TapescriptInvokable else {
            throw .sert("contract must implement the CanBeInvoked interface")
        }
        if let result = invokable.abi(args) {
            for r in result { try put(r) }
            try setCache(.bytes([0x49, 0x52]), .list(result))
        }
    }

    // MARK: adapter signatures

    private func makeAdapterSigPublic() throws(TapescriptError) {
        let T = try get(), m = try get(), seed = try get()
        try charge(4 * cryptoCost)
        let x = Ed.deriveKey(seed: seed)
        let X = try Ed.scalarmultBaseNoclamp(x)
        let nonce = Array(Ed.hBig(seed)[32...])
        let r = try Ed.clampScalar(Ed.hSmall(Ed.hBig(nonce, m)), fromPrivateKey: false)
        let R = try Ed.scalarmultBaseNoclamp(r)
        let RT = try Ed.aggregatePoints([R, T])
        let ca = try Ed.clampScalar(Ed.hSmall(RT, X, m), fromPrivateKey: false)
        let sa = try Ed.scalarAdd(r, Ed.scalarMul(ca, x))
        try setCache(.bytes([0x72]), .bytes(r))
        try setCache(.bytes([0x52]), .bytes(R))
        try setCache(.bytes([0x54]), .bytes(T))
        try setCache(.bytes([0x73, 0x61]), .bytes(sa))
        try put(R); try put(sa)
    }

    private func makeAdapterSigPrivate() throws(TapescriptError) {
        let seed = try get()
        let t = try Ed.clampScalar(get(), fromPrivateKey: false)
        let m = try get()
        try charge(4 * cryptoCost)
        let x = Ed.deriveKey(seed: seed)
        let X = try Ed.scalarmultBaseNoclamp(x)
        let T = try Ed.scalarmultBaseNoclamp(t)
        let nonce = Array(Ed.hBig(seed)[32...])
        let r = try Ed.clampScalar(Ed.hSmall(nonce, m), fromPrivateKey: false)
        let R = try Ed.scalarmultBaseNoclamp(r)
        let c = try Ed.clampScalar(Ed.hSmall(R, X, m), fromPrivateKey: false)
        let tr = try Ed.scalarAdd(t, r)
        let sa = try Ed.scalarAdd(tr, Ed.scalarMul(c, x))
        try setCache(.bytes([0x52]), .bytes(R))
        try setCache(.bytes([0x74]), .bytes(t))
        try setCache(.bytes([0x54]), .bytes(T))
        try setCache(.bytes([0x73, 0x61]), .bytes(sa))
        try put(T); try put(R); try put(sa)
    }

    private func checkAdapterSig() throws(TapescriptError) {
        let X = try get(), T = try get(), m = try get(), R = try get(), sa = try get()
        try charge(5 * cryptoCost)
        let saG = try Ed.scalarmultBaseNoclamp(sa)
        let RT = try Ed.aggregatePoints([R, T])
        let ca = try Ed.clampScalar(Ed.hSmall(RT, X, m), fromPrivateKey: false)
        let caX = try Ed.scalarmultNoclamp(ca, X)
        let RcaX = try Ed.aggregatePoints([R, caX])
        try put([saG == RcaX ? 0xff : 0x00])
    }

    private func decryptAdapterSig() throws(TapescriptError) {
        let t = try Ed.clampScalar(get(), fromPrivateKey: false)
        let R = try get(), sa = try get()
        try charge(3 * cryptoCost)
        let T = try Ed.scalarmultBaseNoclamp(t)
        let RT = try Ed.aggregatePoints([R, T])
        let s = try Ed.scalarAdd(sa, t)
        try setCache(.bytes([0x52, 0x54]), .bytes(RT))
        try setCache(.bytes([0x73]), .bytes(s))
        try put(RT); try put(s)
    }
}

extension CacheValue {
    var pythonTypeName: String {
        switch self {
        case .list: "list"
        case .bytes: "bytes"
        case .int: "int"
        case .bool: "bool"
        case .string: "str"
        }
    }
}
