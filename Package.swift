// swift-tools-version:6.1
import PackageDescription

// Layering (see docs/ARCHITECTURE.md): NetaioWire is pure codec code with no I/O and no
// dependency but zlib, so its fuzzers link only what they test. Plugins add crypto.
let package = Package(
    name: "netaio-swift",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "NetaioWire", targets: ["NetaioWire"]),
        .library(name: "NetaioPlugins", targets: ["NetaioPlugins"]),
        .library(name: "NetaioCore", targets: ["NetaioCore"]),
        .library(name: "NetaioNIO", targets: ["NetaioNIO"]),
        .library(name: "NetaioPluginKit", targets: ["NetaioPluginKit"]),
        .library(name: "NetaioTapescript", targets: ["NetaioTapescript"]),
        .library(name: "NetaioConformance", targets: ["NetaioConformance"]),
        .executable(name: "netaio", targets: ["NetaioCLI"]),
        .executable(name: "netaio-bench", targets: ["NetaioBench"]),
        .executable(name: "netaio-fuzz-diff", targets: ["NetaioFuzzDiff"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CSodium", pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]),
        .target(name: "NetaioWire", dependencies: ["CZlib"]),
        // A cache-prefetch hint for the engine's receive path (NodeEngine+Prefetch.swift).
        .target(name: "CPrefetch"),
        .target(
            name: "NetaioPlugins",
            dependencies: [
                "NetaioWire", "CSodium",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // The tapescript 0.7.3 VM and netaio.asymmetric's TapescriptAuthPlugin (docs/tapescript.md).
        .target(
            name: "NetaioTapescript",
            dependencies: [
                "NetaioPlugins", "CSodium",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .target(
            name: "NetaioCore",
            dependencies: ["NetaioWire", "NetaioPlugins", "CPrefetch", .product(name: "OrderedCollections", package: "swift-collections")]),
        // Real sockets: SwiftNIO channel handlers driving NodeEngine, and the async API.
        .target(
            name: "NetaioNIO",
            dependencies: [
                "NetaioCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        // The deterministic network simulator and scenario files (docs/scenarios.md).
        .target(
            name: "NetaioSim",
            dependencies: ["NetaioCore", "CPrefetch", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "NetaioScenario",
            dependencies: ["NetaioSim", "NetaioCore", "NetaioTapescript", .product(name: "Yams", package: "Yams")]),
        // Swarm exploration, shrinking and planted-bug proofs over the simulator (docs/exploring.md).
        .target(
            name: "NetaioExplore",
            dependencies: ["NetaioScenario", "NetaioSim", "NetaioCore", .product(name: "Yams", package: "Yams")]),
        // The same scenario files on real loopback sockets (`scenario run --transport real`).
        .target(
            name: "NetaioScenarioReal",
            dependencies: ["NetaioScenario", "NetaioSim", "NetaioNIO", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")]),
        // Plugin validation kit: contract properties for any auth/cipher/peer plugin, and
        // Python plugins driven through scripts/python/plugin_adapter.py (docs/plugin-validation.md).
        .target(name: "NetaioPluginKit", dependencies: ["NetaioWire", "NetaioPlugins", "NetaioTapescript"]),
        // Conformance suite: numbered cases driving any implementation over real sockets
        // with its own byte-level client (docs/conformance.md).
        .target(name: "NetaioConformance", dependencies: ["NetaioWire", "NetaioPlugins", "NetaioTapescript"]),
        // The `netaio` reference command line (README, each subcommand's --help).
        .executableTarget(
            name: "NetaioCLI",
            dependencies: [
                "NetaioWire", "NetaioPlugins", "NetaioTapescript", "NetaioCore", "NetaioNIO", "NetaioSim", "NetaioScenario", "NetaioScenarioReal", "NetaioExplore", "NetaioPluginKit", "NetaioConformance",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "NetaioBench", dependencies: ["NetaioWire", "NetaioPlugins", "NetaioTapescript", "NetaioSim", "NetaioScenario"]),
        // libFuzzer targets (docs/fuzzing.md): harmless no-op executables in a normal build;
        // built with --sanitize=fuzzer per product in their own scratch path.
        // The properties live in two check libraries, shared with the corpus replay test;
        // the codec one links NetaioWire only, which keeps those fuzzers fast.
        .target(name: "NetaioFuzzChecks", dependencies: ["NetaioWire"]),
        .target(name: "NetaioFuzzChecksNode", dependencies: ["NetaioCore", "NetaioTapescript", "NetaioFuzzChecks"]),
        .target(name: "NetaioFuzzChecksScenario", dependencies: ["NetaioScenario", "NetaioExplore", "NetaioFuzzChecks"]),
        .executableTarget(name: "FuzzPackifyDecode", dependencies: ["NetaioFuzzChecks"], path: "Fuzz/FuzzPackifyDecode"),
        .executableTarget(name: "FuzzHeaderDecode", dependencies: ["NetaioFuzzChecks"], path: "Fuzz/FuzzHeaderDecode"),
        .executableTarget(name: "FuzzBodyDecode", dependencies: ["NetaioFuzzChecks"], path: "Fuzz/FuzzBodyDecode"),
        .executableTarget(name: "FuzzAuthFieldsDecode", dependencies: ["NetaioFuzzChecks"], path: "Fuzz/FuzzAuthFieldsDecode"),
        .executableTarget(name: "FuzzFrameDecode", dependencies: ["NetaioFuzzChecks"], path: "Fuzz/FuzzFrameDecode"),
        .executableTarget(name: "FuzzMessageTypeSet", dependencies: ["NetaioFuzzChecks"], path: "Fuzz/FuzzMessageTypeSet"),
        .executableTarget(name: "FuzzHMACAuth", dependencies: ["NetaioFuzzChecksNode"], path: "Fuzz/FuzzHMACAuth"),
        .executableTarget(name: "FuzzStreamCipher", dependencies: ["NetaioFuzzChecksNode"], path: "Fuzz/FuzzStreamCipher"),
        .executableTarget(name: "FuzzX25519Decrypt", dependencies: ["NetaioFuzzChecksNode"], path: "Fuzz/FuzzX25519Decrypt"),
        .executableTarget(name: "FuzzPeerPlugin", dependencies: ["NetaioFuzzChecksNode"], path: "Fuzz/FuzzPeerPlugin"),
        .executableTarget(name: "FuzzNodeTCPServer", dependencies: ["NetaioFuzzChecksNode"], path: "Fuzz/FuzzNodeTCPServer"),
        .executableTarget(name: "FuzzNodeUDP", dependencies: ["NetaioFuzzChecksNode"], path: "Fuzz/FuzzNodeUDP"),
        .executableTarget(name: "FuzzTapescript", dependencies: ["NetaioFuzzChecksNode"], path: "Fuzz/FuzzTapescript"),
        .executableTarget(name: "FuzzScenarioParse", dependencies: ["NetaioFuzzChecksScenario"], path: "Fuzz/FuzzScenarioParse"),
        .executableTarget(name: "FuzzSimulation", dependencies: ["NetaioFuzzChecksScenario"], path: "Fuzz/FuzzSimulation"),
        // Differential fuzzing: our reference readers against Python netaio (scripts/fuzz --differential).
        .executableTarget(name: "NetaioFuzzDiff", dependencies: ["NetaioWire", "NetaioPlugins", "NetaioTapescript", "NetaioFuzzChecks", "NetaioTestSupport"]),
        // Shared by the test targets: fixture lookup, typed JSON values, the Python oracle.
        .target(
            name: "NetaioTestSupport",
            dependencies: ["NetaioWire", .product(name: "Crypto", package: "swift-crypto")],
            path: "Tests/NetaioTestSupport"),
        .testTarget(
            name: "NetaioWireTests",
            dependencies: ["NetaioWire", "NetaioTestSupport"]),
        .testTarget(
            name: "NetaioPluginsTests", dependencies: ["NetaioPlugins", "NetaioWire", "CSodium", "NetaioTestSupport"]),
        .testTarget(name: "NetaioTapescriptTests", dependencies: ["NetaioTapescript", "NetaioPlugins", "NetaioTestSupport"]),
        .testTarget(name: "NetaioCoreTests", dependencies: ["NetaioCore", "NetaioTestSupport"]),
        // Real loopback sockets: CRUD, subscribe/notify, timeouts, hardening limits.
        .testTarget(
            name: "NetaioNIOTests",
            dependencies: [
                "NetaioNIO", "NetaioTestSupport",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
            ]),
        .testTarget(name: "NetaioSimTests", dependencies: ["NetaioSim", "NetaioScenario", "NetaioCore", "NetaioTestSupport", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "NetaioPluginKitTests", dependencies: ["NetaioPluginKit", "NetaioPlugins", "NetaioTestSupport"]),
        .testTarget(name: "NetaioConformanceTests", dependencies: ["NetaioConformance", "NetaioPlugins", "NetaioTestSupport"]),
        // Runs the built `netaio` executable as a user would (exit codes, output).
        .testTarget(name: "NetaioCLITests", dependencies: ["NetaioWire", "NetaioPlugins", "NetaioTestSupport"]),
        .testTarget(name: "NetaioExploreTests", dependencies: ["NetaioExplore", "NetaioScenario", "NetaioCore", "NetaioTestSupport"]),
        .testTarget(name: "NetaioFuzzReplayTests", dependencies: ["NetaioFuzzChecks", "NetaioFuzzChecksNode", "NetaioFuzzChecksScenario"]),
        // Live interop with the real Python netaio 0.0.9 (scripts/python-peers) in both
        // directions, through the CLI and the async API; spawns and kills processes.
        .testTarget(
            name: "NetaioInteropTests",
            dependencies: ["NetaioWire", "NetaioPlugins", "NetaioTapescript", "NetaioCore", "NetaioNIO", "NetaioTestSupport"]),
    ]
)
