import Foundation
import NetaioCore
import NetaioNIO
import NetaioPlugins
import NetaioTestSupport
import NetaioWire
import Testing

/// UDP peer management between a Swift node and a real Python netaio UDPNode: discovery
/// (ADVERTISE_PEER by unicast to `--peer` or by multicast, PEER_DISCOVERED back),
/// DISCONNECT on a clean stop, and removal after the peer timeout when a node dies
/// without a word. Two nodes on one host cannot share a port, so netaio's "multicast to
/// the group at my own port" reaches another node only when told its port.
@Suite(.enabled(if: PythonOracle.enabled, PythonOracle.skipReason))
struct PeerDiscoveryInteropTests {
    static func hex(_ id: String) -> String { Hex.encode(Array(id.utf8)) }

    /// The Swift `netaio node` advertises to a Python node.py by unicast (`--peer`); the
    /// Python node prints its peer table. A Swift node killed without a word is removed
    /// after the peer timeout. (A clean stop multicasts DISCONNECT, as netaio does; that
    /// path is checked over real multicast in the next test.)
    @Test func swiftNodeDiscoveredByPythonNodeThenTimesOut() throws {
        let python = try PeerProcess(Implementation.python.node, [
            "--host", "127.0.0.1", "--port", "0", "--manage-peers", "--print-peers", "--peer-id", "py-node",
            "--advertise-every", "0.3", "--peer-timeout", "1",
        ])
        defer { python.stop() }
        let pyPort = try python.listeningPort()
        let swift = try PeerProcess(Implementation.swift.node, [
            "--host", "127.0.0.1", "--port", "0", "--peer", "127.0.0.1:\(pyPort)", "--peer-id", "swift-node",
            "--advertise-every", "0.3", "--peer-timeout", "1", "--no-multicast",
        ])
        defer { swift.stop() }
        let swiftPort = try swift.listeningPort()
        let up = try python.waitForLine("peer up swift-node") {
            $0 == "peer up \(Self.hex("swift-node")) 127.0.0.1:\(swiftPort)"
        }
        // The Swift node answers netaio's requests on the same socket meanwhile.
        CommandLineInteropTests.expect(
            try Implementation.python.run("create", "udp://127.0.0.1:\(swiftPort)", "k", ["--content", "v"]), Exit.ok, "OK")
        kill(swift.pid, SIGKILL)
        // netaio counts whole seconds: removed once floor(now) - last_rx > 1.
        try python.waitForLine(from: up.index + 1, timeout: 5, "peer down swift-node (timeout)") {
            $0 == "peer down \(Self.hex("swift-node"))"
        }
    }

    /// Real multicast: a Swift NetaioUDPNode multicasts its ADVERTISE_PEERs to 224.0.0.1
    /// at the Python node's port (netaio multicasts to the group at its own port; the
    /// Python node is the one listening there), and on shutdown it multicasts DISCONNECT,
    /// which removes it long before the 60 s timeout. `lo` has no MULTICAST flag here, so
    /// the group is used on the default interface and the kernel's multicast loopback
    /// brings it back; on a host without that the test is skipped.
    @Test(.enabled(if: HostNetwork.allHostsMulticastLoopback, HostNetwork.noMulticastLoopback))
    func swiftNodeOverMulticastThenDisconnect() async throws {
        let python = try PeerProcess(Implementation.python.node, [
            "--host", "0.0.0.0", "--port", "0", "--manage-peers", "--print-peers", "--peer-id", "py-node",
            "--advertise-every", "0.3",
        ])
        defer { python.stop() }
        let pyPort = try python.listeningPort()
        let local = Peer(id: Array("swift-multicast".utf8), data: try Packify.encode(.dict([])))
        let node = try await NetaioUDPNode.bind(
            host: "0.0.0.0", port: 0, options: NodeOptions(localPeer: local), multicastGroup: "224.0.0.1",
            multicastPort: pyPort, joinMulticast: false)
        let up: (index: Int, line: String)
        do {
            try await node.managePeers(advertiseEvery: 0.3, peerTimeout: 60)
            up = try python.waitForLine(timeout: 3, "peer up swift-multicast") {
                $0.hasPrefix("peer up \(Self.hex("swift-multicast")) ")
            }
            // It answered with PEER_DISCOVERED by unicast, so the Swift node knows it too.
            #expect(try await eventually { try await node.peers().contains { $0.id == Array("py-node".utf8) } })
        } catch {
            try await node.shutdown()
            throw error
        }
        try await node.shutdown()
        try python.waitForLine(from: up.index + 1, timeout: 3, "peer down swift-multicast (DISCONNECT)") {
            $0 == "peer down \(Self.hex("swift-multicast"))"
        }
    }

    /// A Python node.py advertises to a Swift NetaioUDPNode; the Swift node's peer table
    /// gains it, answers PEER_DISCOVERED (so Python learns the Swift node too), and drops
    /// it on the DISCONNECT node.py sends when stopped.
    @Test func pythonNodeDiscoveredBySwiftNodeThenDisconnects() async throws {
        let local = Peer(id: Array("swift-node".utf8), data: try Packify.encode(.dict([])))
        let node = try await NetaioUDPNode.bind(
            host: "127.0.0.1", port: 0, options: NodeOptions(localPeer: local), joinMulticast: false)
        do {
            try await node.managePeers(advertiseEvery: 0.3, peerTimeout: 5)
            try await node.withEngine { ResourceService().install(on: $0) }
            let python = try PeerProcess(Implementation.python.node, [
                "--host", "127.0.0.1", "--port", "0", "--print-peers", "--peer-id", "py-node",
                "--peer", "127.0.0.1:\(node.localAddress.port)", "--advertise-every", "0.3",
            ])
            defer { python.stop() }
            let pyPort = try python.listeningPort()
            #expect(try await eventually {
                try await node.peers().contains { $0.id == Array("py-node".utf8) }
            })
            try python.waitForLine("peer up swift-node") {
                $0 == "peer up \(Self.hex("swift-node")) 127.0.0.1:\(node.localAddress.port)"
            }
            // Requests from the Swift node to the Python node over the same sockets.
            let target = Address(host: "127.0.0.1", port: UInt16(pyPort))
            #expect(try await node.create("shared", content: Array("from swift".utf8), to: target, timeout: 5).type == .ok)
            let reply = try await node.request("shared", to: target, timeout: 5)
            #expect(String(decoding: reply.content, as: UTF8.self) == "from swift")
            #expect(python.stop() == 0)
            #expect(try await eventually(timeout: 3) {
                try await node.peers().allSatisfy { $0.id != Array("py-node".utf8) }
            }, "DISCONNECT from node.py removes it long before the 5 s timeout")
        } catch {
            try await node.shutdown()
            throw error
        }
        try await node.shutdown()
    }
}
