/// A property a fuzz target checks on one input. The libFuzzer executables in Fuzz/ and
/// the corpus replay test (Tests/NetaioFuzzReplayTests) call the same checks, so every
/// corpus and regression input is judged the same way with and without libFuzzer.
public struct FuzzCheck: Sendable {
    /// The fuzz target's name, also its corpus folder: Fixtures/corpus/<name>/.
    public let name: String
    public let run: @Sendable ([UInt8]) throws(FuzzFailure) -> Void

    public init(_ name: String, _ run: @escaping @Sendable ([UInt8]) throws(FuzzFailure) -> Void) {
        self.name = name
        self.run = run
    }

    /// The libFuzzer entry point's body: a broken property becomes a crash (libFuzzer
    /// then writes the input out as a reproducer); anything else returns 0.
    public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
        let input = Array(UnsafeBufferPointer(start: data, count: size))
        do {
            try run(input)
        } catch {
            fatalError("\(name): \(error.description)")
        }
        return 0
    }
}

/// A broken property: what was expected and what happened.
public struct FuzzFailure: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Fails the check with `message` unless `condition` holds.
@inline(__always)
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(FuzzFailure) {
    if !condition { throw FuzzFailure(message()) }
}
