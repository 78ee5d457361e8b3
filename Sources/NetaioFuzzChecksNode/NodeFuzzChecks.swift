import NetaioFuzzChecks

extension FuzzCheck {
    /// Every check of the plugin and node layers, in the order `scripts/fuzz --all` runs them.
    public static let node: [FuzzCheck] = [
        .hmacAuth, .streamCipher, .x25519, .peerPlugin, .nodeTCPServer, .nodeUDP, .tapescript,
    ]
}
