import NetaioWire

extension FuzzCheck {
    /// Packify decoding never traps, and whatever decodes has a canonical encoding that is
    /// a fixpoint: encode(decode(encode(decode(x)))) == encode(decode(x)).
    public static let packifyDecode = FuzzCheck("FuzzPackifyDecode") { input throws(FuzzFailure) in
        guard let value = try? Packify.decode(input) else { return }
        guard let canonical = try? Packify.encode(value) else {
            throw FuzzFailure("decoded value cannot be re-encoded: \(value)")
        }
        guard let again = try? Packify.decode(canonical) else {
            throw FuzzFailure("canonical encoding \(Hex.encode(canonical)) does not decode")
        }
        try require((try? Packify.encode(again)) == canonical, "canonical encoding is not a fixpoint for \(value)")
        // Trailing bytes are ignored, as in packify.
        try require((try? Packify.decode(canonical + [0xFF])) == again, "a trailing byte changes the decoded value")
    }
}
