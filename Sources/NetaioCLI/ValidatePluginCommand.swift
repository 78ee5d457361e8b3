import ArgumentParser
import Foundation
import NetaioPluginKit
import NetaioWire

/// `netaio validate-plugin`: runs the plugin contracts (docs/plugin-validation.md) on a
/// bundled Swift plugin or on a Python plugin class through scripts/python/plugin_adapter.py.
struct ValidatePluginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate-plugin",
        abstract: "Check an auth, cipher or peer plugin against netaio's plugin contracts.",
        discussion: """
            Python: --python MODULE:CLASS --config JSON loads the class in the project's Python \
            (.venv/bin/python, or --python-exe) through scripts/python/plugin_adapter.py and runs \
            the contract properties on it; when the class is one of netaio's own \
            (HMACAuthPlugin, Sha256StreamCipherPlugin, X25519CipherPlugin, DefaultPeerPlugin) \
            the bytes are also cross-checked both ways against our Swift plugin configured alike. \
            Config keys ending in _hex are passed to Python as bytes (seed_hex -> seed).
            Swift: --swift hmac|stream|x25519|tapescript|peer [--config JSON] runs the same properties on a \
            bundled plugin.
            Every property prints PASS, FAIL, WARN (non-strict: netaio 0.0.9 does it too), INFO \
            or SKIP with a message; randomized failures print the seed to replay and a shrunk case.
            Exit: 0 no failure, 1 a property failed, 64 bad arguments, 69 the Python adapter could \
            not start.

            Examples:
              netaio validate-plugin --swift stream --config '{"key": "k", "encrypt_uri": false}'
              netaio validate-plugin --python netaio:HMACAuthPlugin --config '{"secret": "s"}'
              netaio validate-plugin --swift tapescript --config '{"seed_hex": "<64 hex digits>"}'
              netaio validate-plugin --python mypkg.auth:MyAuth --config '{"key_hex": "00ff"}' --json
            """
    )

    @Option(help: "A Python plugin class, MODULE:CLASS (MODULE importable from the working directory or --python-path).")
    var python: String?

    @Option(help: "A bundled Swift plugin: hmac, stream, x25519, tapescript or peer.")
    var swift: String?

    @Option(help: "The plugin's config as a JSON object.")
    var config: String?

    @Option(name: .customLong("wrong-config"), help: "Config of a same-class instance with another key (default: the key material altered).")
    var wrongConfig: String?

    @Option(name: .customLong("remote-config"), help: "Peer-specific ciphers: config of the receiving instance (default: the key material altered).")
    var remoteConfig: String?

    @Option(name: .customLong("sender-peer-data-hex"), help: "Peer-specific ciphers: the sender's peer data (default: {pubkey} from seed_hex).")
    var senderPeerData: String?

    @Option(name: .customLong("receiver-peer-data-hex"), help: "Peer-specific ciphers: the receiver's peer data.")
    var receiverPeerData: String?

    @Flag(name: .customLong("deterministic-cipher"), help: "The cipher is deterministic by design (equal plaintexts, equal ciphertexts): cipher.fresh-iv reports INFO instead of FAIL.")
    var deterministicCipher = false

    @Flag(name: .customLong("no-cross-check"), help: "Skip the byte cross-check against the bundled Swift plugin.")
    var noCrossCheck = false

    @Option(help: "Seed of all random cases and injected randomness (decimal or 0x hex).")
    var seed: String?

    @Option(help: "Random cases per randomized property.")
    var iterations: Int = 100

    @Flag(help: "Print the reports as JSON instead of tables.")
    var json = false

    @Option(name: .customLong("python-exe"), help: "The Python interpreter (default: .venv/bin/python of the project).")
    var pythonExe: String?

    @Option(help: "The adapter script (default: scripts/python/plugin_adapter.py of the project).")
    var adapter: String?

    @Option(name: .customLong("python-path"), help: "A directory to add to the Python import path (repeatable).")
    var pythonPath: [String] = []

    func validate() throws {
        if (python == nil) == (swift == nil) { throw ValidationError("give exactly one of --python MODULE:CLASS or --swift KIND") }
        if let swift, BundledPlugins.Kind(rawValue: swift) == nil { throw ValidationError("--swift must be hmac, stream, x25519, tapescript or peer") }
        if let python, !python.contains(":") { throw ValidationError("--python must be MODULE:CLASS") }
        if deterministicCipher && swift != nil { throw ValidationError("--deterministic-cipher is for --python ciphers: the bundled Swift ciphers draw a fresh IV/nonce per message") }
        if iterations < 1 { throw ValidationError("--iterations must be at least 1") }
        _ = try parsedSeed()
    }

    func parsedSeed() throws -> UInt64 {
        guard let seed else { return ValidationOptions.defaultSeed }
        let value = seed.hasPrefix("0x") ? UInt64(seed.dropFirst(2), radix: 16) : UInt64(seed)
        guard let value else { throw ValidationError("--seed must be a decimal or 0x-hex 64-bit number") }
        return value
    }

    static func object(_ text: String?, _ flag: String) throws -> [String: Any]? {
        guard let text else { return nil }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw ValidationError("\(flag) must be a JSON object")
        }
        return object
    }

    static func hexBytes(_ text: String?, _ flag: String) throws -> [UInt8]? {
        guard let text else { return nil }
        guard let b = Hex.decode(text) else { throw ValidationError("\(flag) must be hex") }
        return b
    }

    func run() throws {
        let options = ValidationOptions(seed: try parsedSeed(), iterations: iterations)
        let reports: [ValidationReport]
        do {
            if let swift, let kind = BundledPlugins.Kind(rawValue: swift) {
                reports = try PluginValidation.validateSwift(kind, config: try Self.object(config, "--config"), options: options)
            } else {
                reports = try runPython(options)
            }
        } catch let e as ValidationError {
            throw e
        } catch let e as BundledPlugins.ConfigError {
            throw ValidationError(e.description)
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: ["passed": reports.allSatisfy(\.passed), "reports": reports.map(\.jsonObject)], options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(reports.map { $0.table() }.joined(separator: "\n\n"))
        }
        if !reports.allSatisfy(\.passed) { throw NetaioExit.errorReply }
    }

    func runPython(_ options: ValidationOptions) throws -> [ValidationReport] {
        guard let exe = pythonExe ?? PluginValidation.locate(".venv/bin/python") else {
            throw unavailable("no .venv/bin/python found (run scripts/setup, or pass --python-exe)")
        }
        guard let script = adapter ?? PluginValidation.locate("scripts/python/plugin_adapter.py") else {
            throw unavailable("scripts/python/plugin_adapter.py not found (pass --adapter)")
        }
        let process: PluginAdapterProcess
        do {
            process = try PluginAdapterProcess(python: exe, script: script, extraPaths: pythonPath)
        } catch {
            throw unavailable("\(error)")
        }
        defer { process.stop() }
        let spec = PluginValidation.PythonSpec(
            spec: python!, config: try Self.object(config, "--config") ?? [:], wrongConfig: try Self.object(wrongConfig, "--wrong-config"),
            remoteConfig: try Self.object(remoteConfig, "--remote-config"),
            senderPeerData: try Self.hexBytes(senderPeerData, "--sender-peer-data-hex"),
            receiverPeerData: try Self.hexBytes(receiverPeerData, "--receiver-peer-data-hex"), deterministicCipher: deterministicCipher)
        do {
            return try PluginValidation.validatePython(spec, adapter: process, options: options, crossCheck: !noCrossCheck)
        } catch let e as PluginAdapterProcess.CallError {
            throw unavailable("could not load \(python!): \(e)")
        }
    }

    func unavailable(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return NetaioExit.unavailable
    }
}

extension NetaioExit {
    /// A required service (the Python adapter) is unavailable (EX_UNAVAILABLE).
    static let unavailable = ExitCode(69)
}
