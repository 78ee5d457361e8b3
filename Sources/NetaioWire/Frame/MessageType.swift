/// A netaio message type: the first byte of every frame.
///
/// The 19 standard values are constants here; custom values (31–255) come from a
/// `MessageTypeSet` made with `MessageTypeSet.make(custom:)`.
public struct MessageType: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    public static let requestURI = MessageType(0)
    public static let respondURI = MessageType(1)
    public static let createURI = MessageType(2)
    public static let updateURI = MessageType(3)
    public static let deleteURI = MessageType(4)
    public static let subscribeURI = MessageType(5)
    public static let unsubscribeURI = MessageType(6)
    public static let publishURI = MessageType(7)
    public static let notifyURI = MessageType(8)
    public static let advertisePeer = MessageType(9)
    public static let ok = MessageType(10)
    public static let confirmSubscribe = MessageType(11)
    public static let confirmUnsubscribe = MessageType(12)
    public static let peerDiscovered = MessageType(13)
    public static let error = MessageType(20)
    public static let authError = MessageType(23)
    public static let notFound = MessageType(24)
    public static let notPermitted = MessageType(25)
    public static let disconnect = MessageType(30)

    /// The standard types with netaio's names, in value order.
    public static let standard: [(name: String, type: MessageType)] = [
        ("REQUEST_URI", .requestURI), ("RESPOND_URI", .respondURI), ("CREATE_URI", .createURI),
        ("UPDATE_URI", .updateURI), ("DELETE_URI", .deleteURI), ("SUBSCRIBE_URI", .subscribeURI),
        ("UNSUBSCRIBE_URI", .unsubscribeURI), ("PUBLISH_URI", .publishURI), ("NOTIFY_URI", .notifyURI),
        ("ADVERTISE_PEER", .advertisePeer), ("OK", .ok), ("CONFIRM_SUBSCRIBE", .confirmSubscribe),
        ("CONFIRM_UNSUBSCRIBE", .confirmUnsubscribe), ("PEER_DISCOVERED", .peerDiscovered),
        ("ERROR", .error), ("AUTH_ERROR", .authError), ("NOT_FOUND", .notFound),
        ("NOT_PERMITTED", .notPermitted), ("DISCONNECT", .disconnect),
    ]

    /// Values 0–30 belong to the base protocol; custom types must be above.
    public static let reservedRange: ClosedRange<UInt8> = 0...30

    /// The standard name, or the number for a non-standard value.
    public var description: String { MessageTypeSet.standard.name(of: self) ?? "\(rawValue)" }

    public static func < (a: MessageType, b: MessageType) -> Bool { a.rawValue < b.rawValue }
}
