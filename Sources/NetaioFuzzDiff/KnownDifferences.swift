/// Disagreements docs/differences.md already explains; anything else is reported.
enum KnownDifferences {
    static func explain(swift: Outcome, python: Outcome) -> String? {
        // Nesting: we stop at 64 levels, Python at its recursion limit (docs/differences.md, wire decoding).
        if case .rejected(let why) = swift, why.contains("nest"), case .accepted = python {
            return "containers nested deeper than 64 levels"
        }
        if case .accepted(.stream(let s)) = swift, case .accepted(.stream(let p)) = python,
           s.count == p.count, let i = s.indices.first(where: { !s[$0].agrees(with: p[$0]) }),
           case .rejected(let why) = s[i], why.contains("nest") {
            return "containers nested deeper than 64 levels"
        }
        // Python hands plugins any auth value and any key; we refuse non-str names at decode.
        if case .rejected(let why) = swift, why.contains("auth field name is not a str") || why.contains("auth block is not a dict"),
           case .accepted = python {
            return "auth block that is not a str-keyed dict reaches Python's plugins"
        }
        // HMAC check of non-bytes fields: false where Python raises (docs/plugins.md).
        if case .accepted(.value(.bool(false))) = swift, case .rejected = python {
            return "HMAC check of malformed fields: false instead of an exception"
        }
        return nil
    }
}
