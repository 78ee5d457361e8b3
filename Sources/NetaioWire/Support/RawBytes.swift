#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body` on the contiguous bytes of any byte collection (copying only when the
/// collection is not contiguous), keeping the body's typed error.
@inline(__always)
func withRawBytes<R, E: Error>(
    _ bytes: some Collection<UInt8>, _ body: (UnsafeRawBufferPointer) throws(E) -> R
) throws(E) -> R {
    if let r = bytes.withContiguousStorageIfAvailable({ b in
        Result { () throws(E) in try body(UnsafeRawBufferPointer(b)) }
    }) {
        return try r.get()
    }
    return try Array(bytes).withUnsafeBytes { b in Result { () throws(E) in try body(b) } }.get()
}

/// Whether `buf` holds exactly `bytes` (one `memcmp`; `elementsEqual` walks both
/// generically, byte by byte).
@inline(__always)
func holdsExactly(_ buf: UnsafeRawBufferPointer, _ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { b in buf.count == b.count && (b.count == 0 || memcmp(buf.baseAddress!, b.baseAddress!, b.count) == 0) }
}

/// A byte array copied from raw memory. `Array(_:)` of a raw buffer is specialized all the
/// way down; `init(unsafeUninitializedCapacity:)` went through the unspecialized buffer
/// allocator (a runtime metadata lookup per array) and measured twice as slow for the
/// 10-100 byte fields every frame carries.
@inline(__always)
func copyBytes(_ source: UnsafeRawBufferPointer) -> [UInt8] {
    Array(source)
}

/// `source` as an array: `known` itself when it holds the same bytes (a receiver that sees
/// the same uri or payload again shares one buffer instead of allocating), else a copy.
/// `reused` tells whether `known` was returned.
func copyBytes(_ source: UnsafeRawBufferPointer, reusing known: [UInt8]?, reused: inout Bool) -> [UInt8] {
    if let known, holdsExactly(source, known) {
        reused = true
        return known
    }
    reused = false
    return Array(source)
}
