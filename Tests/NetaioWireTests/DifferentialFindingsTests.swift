import Testing
import NetaioTestSupport
@testable import NetaioWire

/// Disagreements with packify 0.4.0 that differential fuzzing (scripts/fuzz
/// --differential) found in our decoder, fixed; the expected results are what CPython
/// 3.11 with packify 0.4.0 gives (live-checked below when the oracle runs).
@Suite struct DifferentialFindingsTests {
    /// DECIMAL "      000000961504481      _": CPython strips white space before dropping
    /// underscores, so the trailing "_" keeps the inner spaces and Decimal() refuses it.
    @Test func decimalWhiteSpaceIsStrippedBeforeUnderscoresAreDropped() throws {
        let text = "      000000961504481      _"
        #expect(throws: PackifyError.self) { try Packify.decode([0x48, UInt8(text.utf8.count)] + Array(text.utf8)) }
        for refused in ["1 _", "_ 1", "1\u{3000}_", "_"] { #expect(!DecimalSyntax.isValid(refused), "\(refused)") }
        for accepted in [" 1_ ", "_1", "1_", "\u{1C}1\u{1C}", "1_\u{3000}", "\u{85}1", "1_000"] {
            #expect(DecimalSyntax.isValid(accepted), "\(accepted)")
        }
    }

    /// A set holding two NaN Decimals keeps both: NaN equals nothing and hashes by identity.
    @Test func nanDecimalsAreNeverMergedInSetsOrDicts() throws {
        let nan = PackifyValue.decimal("NaN")
        let set = try Packify.decode(try Packify.encode(.list([nan, nan])).replacingTypeCode(with: 0x0B))
        #expect(set == .set([nan, nan]))
        let tuples = PackifyValue.set([.tuple([nan, .none]), .tuple([nan, .none])])
        #expect(try Packify.decode(Packify.encode(tuples)) == tuples)
        let dict = try Packify.decode(Packify.encode(.dict([PackifyDictEntry(nan, 1), PackifyDictEntry(nan, 2)])))
        #expect(dict.dictEntries?.count == 2)
    }

    @Test(.enabled(if: PythonOracle.enabled, PythonOracle.skipReason))
    func pythonAgrees() throws {
        let oracle = try PythonOracle.start()
        let text = Array("      000000961504481      _".utf8)
        #expect(throws: PythonOracle.PythonError.self) { try oracle.call("unpack", ["hex": Hex.encode([0x48, UInt8(text.count)] + text)]) }
        let nan = PackifyValue.decimal("NaN")
        let encoded = try Packify.encode(.set([.tuple([nan, .none]), .tuple([nan, .none])]))
        let result = try oracle.call("unpack", ["hex": Hex.encode(encoded)]) as? [String: Any]
        #expect(try TypedValue.decode(result?["value"]).sameValue(as: Packify.decode(encoded)))
    }
}

private extension Array where Element == UInt8 {
    /// The same container bytes with another type code (keeping the length category bits).
    func replacingTypeCode(with code: UInt8) -> [UInt8] {
        var copy = self
        copy[0] = (copy[0] & 0xC0) | code
        return copy
    }
}
