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
        return nil
    }
}
