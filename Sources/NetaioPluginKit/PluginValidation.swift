import Foundation
import NetaioPlugins

/// One-call entry points shared by `netaio validate-plugin` and the tests.
public enum PluginValidation {
    /// A Python plugin to validate: `module:Class`, its config, and optional overrides for
    /// the instances the kit derives (see BundledPlugins.alteredKeyMaterial).
    public struct PythonSpec {
        public var spec: String
        public var config: [String: Any]
        public var wrongConfig: [String: Any]?
        /// Peer-specific ciphers: the receiving instance's config.
        public var remoteConfig: [String: Any]?
        /// Peer-specific ciphers: each side's peer data (default: {"pubkey": X25519 key of seed_hex}).
        public var senderPeerData: [UInt8]?
        public var receiverPeerData: [UInt8]?
        /// Ciphers: deterministic by design (`cipher.fresh-iv` reports INFO, not FAIL).
        public var deterministicCipher: Bool

        public init(
            spec: String, config: [String: Any], wrongConfig: [String: Any]? = nil, remoteConfig: [String: Any]? = nil, senderPeerData: [UInt8]? = nil,
            receiverPeerData: [UInt8]? = nil, deterministicCipher: Bool = false
        ) {
            self.deterministicCipher = deterministicCipher
            self.spec = spec
            self.config = config
            self.wrongConfig = wrongConfig
            self.remoteConfig = remoteConfig
            self.senderPeerData = senderPeerData
            self.receiverPeerData = receiverPeerData
        }
    }

    /// Contract reports for a bundled Swift plugin.
    public static func validateSwift(_ kind: BundledPlugins.Kind, config: [String: Any]? = nil, options: ValidationOptions = ValidationOptions()) throws -> [ValidationReport] {
        let config = config ?? BundledPlugins.defaultConfig(kind)
        switch kind {
        case .hmac, .tapescript: return [AuthContract.validate(try BundledPlugins.authSubject(kind, config: config), options: options)]
        case .stream, .x25519: return [CipherContract.validate(try BundledPlugins.cipherSubject(kind, config: config), options: options)]
        case .peer: return [PeerContract.validate(BundledPlugins.peerSubject(), options: options)]
        }
    }

    /// Contract reports for a Python plugin, plus the cross-check against the bundled Swift
    /// plugin of the same class when there is one (and `crossCheck` is on).
    public static func validatePython(_ p: PythonSpec, adapter: PluginAdapterProcess, options: ValidationOptions = ValidationOptions(), crossCheck: Bool = true) throws -> [ValidationReport] {
        let main = try PythonPluginHandle.load(p.spec, config: p.config, in: adapter)
        let name = "python \(main.className)"
        let counterpart = crossCheck ? BundledPlugins.counterpart(ofPythonClass: main.className) : nil
        func load(_ config: [String: Any]?) throws -> PythonPluginHandle? {
            try config.map { try PythonPluginHandle.load(p.spec, config: $0, in: adapter) }
        }
        switch main.kind {
        case .auth:
            let wrong = try load(p.wrongConfig ?? BundledPlugins.alteredKeyMaterial(p.config, salt: "-wrong"))
            let subject = AuthSubject(
                name: name, plugin: PythonAuthPlugin(main), wrongKey: wrong.map(PythonAuthPlugin.init),
                maxPayload: counterpart == .tapescript ? BundledPlugins.tapescriptMaxPayload : Body.maximumPayload())
            var reports = [AuthContract.validate(subject, options: options)]
            if let counterpart, counterpart == .hmac || counterpart == .tapescript {
                reports.append(CrossCheck.auth(python: subject, swift: try BundledPlugins.authSubject(counterpart, config: p.config), options: options))
            }
            return reports
        case .cipher:
            var subject: CipherSubject
            if main.isPeerSpecific {
                let derived = try? BundledPlugins.peerSpecificConfigs(p.config)
                guard let remoteConfig = p.remoteConfig ?? derived?.remote else {
                    throw BundledPlugins.ConfigError("a peer-specific cipher needs --remote-config (no key material to derive one)")
                }
                let remote = try load(remoteConfig)!
                let wrong = try load(p.wrongConfig ?? derived?.wrong)
                func peer(_ data: [UInt8]?, _ config: [String: Any], _ id: String) throws -> Peer {
                    if let data { return Peer(id: Array(id.utf8), data: data) }
                    guard let seed = config["seed_hex"] as? String else {
                        throw BundledPlugins.ConfigError("give --sender-peer-data-hex/--receiver-peer-data-hex (no seed_hex to derive an X25519 pubkey from)")
                    }
                    return try BundledPlugins.x25519Peer(seedHex: seed, id: id)
                }
                subject = CipherSubject(
                    name: name, sender: PythonCipherPlugin(main), receiver: PythonCipherPlugin(remote),
                    receiverPeer: try peer(p.receiverPeerData, remoteConfig, "receiver"), senderPeer: try peer(p.senderPeerData, p.config, "sender"),
                    peerPlugin: DefaultPeerPlugin(), wrongKeyReceiver: wrong.map(PythonCipherPlugin.init))
            } else {
                let wrong = try load(p.wrongConfig ?? BundledPlugins.alteredKeyMaterial(p.config, salt: "-wrong"))
                subject = .symmetric(name: name, plugin: PythonCipherPlugin(main), wrongKey: wrong.map(PythonCipherPlugin.init))
            }
            subject.declaresDeterministic = p.deterministicCipher
            var reports = [CipherContract.validate(subject, options: options)]
            if let counterpart, counterpart == .stream || counterpart == .x25519 {
                reports.append(CrossCheck.cipher(python: subject, swift: try BundledPlugins.cipherSubject(counterpart, config: p.config), options: options))
            }
            return reports
        case .peer:
            let subject = PeerSubject(name: name, plugin: PythonPeerPlugin(main))
            var reports = [PeerContract.validate(subject, options: options)]
            if counterpart == .peer {
                reports.append(CrossCheck.peer(python: subject, swift: BundledPlugins.peerSubject(), options: options))
            }
            return reports
        }
    }

    /// The project's Python (`.venv/bin/python`) and adapter script, found from the
    /// working directory or from the executable's place in `.build/<config>/`.
    public static func locate(_ relative: String, executable: String = CommandLine.arguments.first ?? "") -> String? {
        var roots = [FileManager.default.currentDirectoryPath]
        var dir = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            roots.append(dir.path)
            dir = dir.deletingLastPathComponent()
        }
        return roots.map { URL(fileURLWithPath: $0).appendingPathComponent(relative).path }.first { FileManager.default.fileExists(atPath: $0) }
    }
}
