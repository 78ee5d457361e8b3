import Foundation
/// netaio-bench: release-mode throughput benchmarks, printed as JSON lines so
/// scripts/bench-codec and scripts/bench-plugins can set them beside the Python reference.
let usage = """
    usage: netaio-bench <codec|plugins|sim|all> [--quick]

      codec     frame encode/decode (16 B, 1 KiB, 60 KiB bodies) and packify of an auth dict
      plugins   HMAC make+check and SHA-256 stream cipher encrypt+decrypt on 1 KiB
      sim       simulator: events/s, wall time of the 1,000-node 10-minute discovery
                scenario, memory per simulated node (run from the repository root)
      all       codec, plugins and sim
      server-load --port P ...   load generator for a netaio TCP server (scripts/bench server;
                run with no further arguments for its usage)
      --quick   short repetitions (a smoke run, not a measurement)
      --only S  run only the rows whose name contains S
      sim --scenario FILE   time your own scenario file instead of the two fixtures (its
                expectations need not pass; the row says whether they did)

    Build in release mode first: swift build -c release --product netaio-bench
    Compare with Python: scripts/bench-codec, scripts/bench-plugins
    """

var arguments = Array(CommandLine.arguments.dropFirst())
let quick = arguments.contains("--quick")
arguments.removeAll { $0 == "--quick" }
if let i = arguments.firstIndex(of: "--only"), i + 1 < arguments.count {
    onlyRowsContaining = arguments[i + 1]
    arguments.removeSubrange(i...(i + 1))
}
if let i = arguments.firstIndex(of: "--scenario"), i + 1 < arguments.count {
    simScenarioFile = arguments[i + 1]
    arguments.removeSubrange(i...(i + 1))
}
let harness = quick ? Harness.quick : Harness.standard

do {
    switch arguments.first {
    case "codec": try CodecBench.run(harness)
    case "plugins": try PluginBench.run(harness)
    case "sim": try SimBench.run(harness, quick: quick)
    case "all":
        try CodecBench.run(harness)
        try PluginBench.run(harness)
        try SimBench.run(harness, quick: quick)
    case "server-load":
        #if canImport(Glibc)
        try ServerLoad(arguments: Array(arguments.dropFirst())).run()
        #else
        print("netaio-bench: server-load needs Linux (epoll)")
        exit(1)
        #endif
    case "-h", "--help":
        print(usage)
    default:
        print(usage)
        exit(64)
    }
} catch {
    print("netaio-bench: \(error)")
    exit(1)
}
