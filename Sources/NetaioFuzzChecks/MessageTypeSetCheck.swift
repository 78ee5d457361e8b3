import NetaioWire

extension FuzzCheck {
    /// Custom message-type sets: `make` accepts exactly the tables netaio's rules allow
    /// (computed independently here), an accepted set knows every entry by name and value,
    /// and a header decodes with it exactly when its type is in the set.
    ///
    /// Input: count byte, then per entry a name (a standard name or short text) and a value
    /// in -10...289; then a frame decoded with the resulting set.
    public static let messageTypeSet = FuzzCheck("FuzzMessageTypeSet") { input throws(FuzzFailure) in
        var reader = FuzzInput(input)
        let standard = MessageType.standard
        var custom: [(name: String, value: Int)] = []
        for _ in 0..<(reader.byte() % 8) {
            let choice = reader.byte()
            let name = choice < 32
                ? standard[Int(choice) % standard.count].name
                : String(decoding: reader.shortBytes(max: 12), as: UTF8.self)
            custom.append((name, reader.uint16() % 300 - 10))
        }
        let frame = reader.rest()

        let standardNames = Set(standard.map(\.name))
        let names = custom.map(\.name), values = custom.map(\.value)
        let allowed = names.allSatisfy { !$0.isEmpty && !standardNames.contains($0) }
            && values.allSatisfy { (31...255).contains($0) }
            && Set(names).count == names.count && Set(values).count == values.count

        let set: MessageTypeSet
        do {
            set = try MessageTypeSet.make(custom: custom)
        } catch {
            try require(!allowed, "a valid table was refused: \(error)")
            return
        }
        try require(allowed, "an invalid table was accepted: \(custom)")
        try require(set.entries.count == standard.count + custom.count, "entry count is wrong")
        try require(zip(set.entries, set.entries.dropFirst()).allSatisfy { $0.type < $1.type }, "entries are not sorted by value")
        for (name, type) in standard + custom.map({ ($0.name, MessageType(UInt8($0.value))) }) {
            try require(set.contains(type) && set.name(of: type) == name && set.type(named: name) == type, "\(name) = \(type) is not in the set")
            try require(set.isErrorType(type) == name.uppercased().contains("ERROR"), "isErrorType is wrong for \(name)")
        }
        // The same table passes full validation, as netaio's validate_message_type_class.
        let full = set.entries.map { (name: $0.name, value: Int($0.type.rawValue)) }
        try require((try? MessageTypeSet.validate(name: set.name, entries: full)) == set, "make and validate disagree")

        let known = !frame.isEmpty && set.contains(rawValue: frame[0])
        let header = try? Header.decode(frame, types: set)
        try require((header != nil) == (known && frame.count >= Header.size), "header acceptance ignores the set")
        if let decoded = try? Message.decode(frame, types: set) {
            try require(set.contains(decoded.type), "decoded a type outside the set")
        }
    }
}
