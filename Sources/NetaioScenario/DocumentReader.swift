import Yams

/// Turns untrusted bytes into a Yams node tree, refusing up front what could make the
/// YAML library recurse or allocate without bound: more than `maxBytes`, invalid UTF-8,
/// NUL bytes, anchors/aliases (an alias bomb expands exponentially), flow nesting deeper
/// than `maxFlowDepth`, and block nesting deeper than `maxIndent` columns or
/// `maxInlineIndicators` `- `/`? ` markers on one line (Yams composes recursively).
enum DocumentReader {
    static let maxBytes = 4 << 20
    static let maxFlowDepth = 32
    static let maxIndent = 160
    static let maxInlineIndicators = 24

    static func read(_ bytes: [UInt8]) throws(ScenarioError) -> Node {
        guard bytes.count <= maxBytes else { throw ScenarioError(.tooLarge, "the file is \(bytes.count) bytes; the limit is \(maxBytes)") }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ScenarioError(.notUTF8, "the file is not valid UTF-8", line: lineOf(byteOffset: firstInvalidUTF8(bytes), in: bytes))
        }
        try prescan(bytes)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw translate(error)
        } catch {
            throw ScenarioError(.syntax, "\(error)")
        }
        guard let root else { throw ScenarioError(.missingField, "the document is empty") }
        return root
    }

    private static func translate(_ error: YamlError) -> ScenarioError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return ScenarioError(.syntax, "YAML: \(what)", line: mark.line, column: mark.column)
        case .reader(let problem, let offset, _, _):
            return ScenarioError(.syntax, "YAML: \(problem)" + (offset.map { " at byte \($0)" } ?? ""))
        default:
            return ScenarioError(.syntax, "YAML: \(error)")
        }
    }

    /// One pass over the bytes, skipping quoted strings and comments.
    private static func prescan(_ b: [UInt8]) throws(ScenarioError) {
        var line = 1
        var flowDepth = 0
        var i = 0
        var atLineStart = true
        var indent = 0
        var indicators = 0
        var previous: UInt8 = 0x20
        while i < b.count {
            let c = b[i]
            if c == 0 { throw ScenarioError(.syntax, "NUL byte in the file", line: line) }
            if c == 0x0A {
                line += 1
                atLineStart = true
                indent = 0
                indicators = 0
                previous = 0x20
                i += 1
                continue
            }
            if atLineStart {
                if c == 0x20 {
                    indent += 1
                    if indent > maxIndent { throw ScenarioError(.tooDeep, "indentation beyond \(maxIndent) columns", line: line) }
                    i += 1
                    continue
                }
                atLineStart = false
            }
            let tokenStart = previous == 0x20 || previous == 0x09 || previous == 0x5B || previous == 0x7B || previous == 0x2C
            if c == 0x23 && (previous == 0x20 || previous == 0x09) {  // '#' comment to end of line
                while i < b.count && b[i] != 0x0A { i += 1 }
                continue
            }
            if (c == 0x22 || c == 0x27) && (tokenStart || previous == 0x3A) {  // quoted scalar
                let quote = c
                i += 1
                while i < b.count && b[i] != quote {
                    if b[i] == 0x0A { line += 1 }
                    if quote == 0x22 && b[i] == 0x5C { i += 1 }  // backslash escape
                    i += 1
                }
            } else if c == 0x5B || c == 0x7B {
                flowDepth += 1
                if flowDepth > maxFlowDepth { throw ScenarioError(.tooDeep, "brackets nested deeper than \(maxFlowDepth)", line: line) }
            } else if c == 0x5D || c == 0x7D {
                flowDepth = max(0, flowDepth - 1)
            } else if (c == 0x26 || c == 0x2A) && tokenStart {  // '&' anchor, '*' alias
                if i + 1 < b.count, b[i + 1] != 0x20, b[i + 1] != 0x0A {
                    throw ScenarioError(.unsupported, "anchors and aliases (& and *) are not supported", line: line)
                }
            } else if (c == 0x2D || c == 0x3F) && tokenStart {  // '- ' or '? ' block indicator
                if i + 1 < b.count, b[i + 1] == 0x20 {
                    indicators += 1
                    if indicators > maxInlineIndicators { throw ScenarioError(.tooDeep, "too many nested '- ' or '? ' on one line", line: line) }
                }
            }
            previous = i < b.count ? b[i] : 0x20
            i += 1
        }
    }

    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput, .error: return offset
            }
        }
    }

    private static func lineOf(byteOffset: Int, in bytes: [UInt8]) -> Int {
        1 + bytes.prefix(byteOffset).reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }
}
