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

/// A byte array copied from raw memory with one memcpy.
@inline(__always)
func copyBytes(_ source: UnsafeRawBufferPointer) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: source.count) { dest, initialized in
        if let base = source.baseAddress, source.count > 0 {
            UnsafeMutableRawPointer(dest.baseAddress!).copyMemory(from: base, byteCount: source.count)
        }
        initialized = source.count
    }
}
