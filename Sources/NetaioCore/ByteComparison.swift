#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether two arrays are one storage (an array is a single reference): an identity test
/// that reads neither array's memory. False for equal contents in different storage.
@inline(__always)
func sameStorage(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    unsafeBitCast(a, to: UnsafeRawPointer.self) == unsafeBitCast(b, to: UnsafeRawPointer.self)
}

/// `a == b` for the byte arrays the receive path compares per frame (uris, records):
/// one storage is equal without a look, else one `memcmp`. The standard `==` compares
/// element by element through generic code, several times the instructions for a uri.
/// (NetaioWire's `holdsExactly` does the same, but a call into another module is not
/// inlined and retains its arguments: measured +1 retain per frame, so this stays local.)
@inline(__always)
func bytesEqual(_ a: [UInt8]?, _ b: [UInt8]) -> Bool {
    guard let a else { return false }
    if sameStorage(a, b) { return true }
    return a.withUnsafeBytes { x in
        b.withUnsafeBytes { y in x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0) }
    }
}
