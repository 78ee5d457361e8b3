/// netaio's message helper constructors (`make_ok_msg`, `make_error_msg`, ...). All make
/// messages with empty auth fields.
extension Message {
    public static func respondURI(content: [UInt8], uri: [UInt8]) -> Message {
        Message(type: .respondURI, uri: uri, content: content)
    }

    public static func ok(content: [UInt8] = [], uri: [UInt8] = []) -> Message {
        Message(type: .ok, uri: uri, content: content)
    }

    public static func notFound(_ text: String = "not found", uri: [UInt8] = []) -> Message {
        Message(type: .notFound, uri: uri, content: Array(text.utf8))
    }

    public static func notPermitted(_ text: String = "not permitted", uri: [UInt8] = []) -> Message {
        Message(type: .notPermitted, uri: uri, content: Array(text.utf8))
    }

    /// `make_error_msg`: with no type given, the type comes from the text (case-sensitive,
    /// first match wins): "not found" → NOT_FOUND, "auth" → AUTH_ERROR, "not permitted" →
    /// NOT_PERMITTED, else ERROR. As in Python, REQUEST_URI (0) counts as "not given".
    public static func error(_ text: String, uri: [UInt8] = Array("ERROR".utf8), type: MessageType? = nil) -> Message {
        Message(type: errorType(for: text, given: type), uri: uri, content: Array(text.utf8))
    }

    static func errorType(for text: String, given: MessageType?) -> MessageType {
        if let given, given.rawValue != 0 { return given }
        if text.contains("not found") { return .notFound }
        if text.contains("auth") { return .authError }
        if text.contains("not permitted") { return .notPermitted }
        return .error
    }
}
