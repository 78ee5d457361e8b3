extension FuzzCheck {
    /// Every check of the codec layer (NetaioWire only), in the order `scripts/fuzz --all` runs them.
    public static let wire: [FuzzCheck] = [
        .packifyDecode, .headerDecode, .bodyDecode, .authFieldsDecode, .frameDecode, .messageTypeSet,
    ]
}
