import NetaioWire

extension FuzzCheck {
    /// The auth block: accepted only as a str-keyed packify dict that fills the block;
    /// encode(decode(encode(f))) == encode(f) for what decodes.
    public static let authFieldsDecode = FuzzCheck("FuzzAuthFieldsDecode") { input throws(FuzzFailure) in
        guard let fields = try? AuthFields.decode(input) else { return }
        guard case .dict(let entries)? = try? Packify.decode(input) else {
            throw FuzzFailure("accepted an auth block that is not a packify dict")
        }
        try require(entries.count == fields.fields.count, "auth fields lost or invented entries")
        try require(entries.allSatisfy { $0.key.stringValue != nil }, "accepted a non-str field name")
        // Anything appended makes the block invalid (the dict must fill it).
        try require((try? AuthFields.decode(input + [0])) == nil, "accepted bytes after the auth dict")
        guard let encoded = try? fields.encode() else { throw FuzzFailure("decoded auth fields cannot be re-encoded") }
        guard let again = try? AuthFields.decode(encoded) else { throw FuzzFailure("re-encoded auth block does not decode") }
        try require((try? again.encode()) == encoded, "auth block encoding is not a fixpoint")
        try require(Set(again.names) == Set(fields.names), "field names changed in a round trip")
    }
}
