import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What this host's network stack allows, probed once with plain sockets, for tests that
/// need it: `@Test(.enabled(if: HostNetwork.ipv6Loopback, HostNetwork.noIPv6Loopback))`.
/// A test whose condition is false is reported as skipped with the reason; when the
/// condition holds, the test runs and any failure is a failure.
public enum HostNetwork {
    /// A TCP socket can listen on `[::1]:0`.
    public static let ipv6Loopback: Bool = probeIPv6Loopback()
    public static let noIPv6Loopback: Comment = "this host cannot listen on ::1 (no IPv6 loopback)"

    /// A datagram sent to 239.255.77.77 comes back to a socket on this host that joined the
    /// group on the default interface (`lo` has no MULTICAST flag on Linux, so this needs
    /// a default route and the kernel's multicast loopback, on by default).
    public static let multicastLoopback: Bool = probeMulticastLoopback(group: "239.255.77.77")
    /// The same for 224.0.0.1, the group netaio advertises peers to.
    public static let allHostsMulticastLoopback: Bool = probeMulticastLoopback(group: "224.0.0.1")
    public static let noMulticastLoopback: Comment =
        "no multicast comes back to this host (cannot join the group on the default interface, or no multicast loopback)"

    static func probeIPv6Loopback() -> Bool {
        let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_addr = in6addr_loopback
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
        return bound == 0 && listen(fd, 1) == 0
    }

    static func probeMulticastLoopback(group: String) -> Bool {
        let receiver = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        let sender = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer {
            if receiver >= 0 { close(receiver) }
            if sender >= 0 { close(sender) }
        }
        guard receiver >= 0, sender >= 0 else { return false }
        var any = sockaddr_in()
        any.sin_family = sa_family_t(AF_INET)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &any) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(receiver, $0, length) == 0 && getsockname(receiver, $0, &length) == 0
            }
        }
        guard bound else { return false }
        var request = ip_mreq()
        guard inet_pton(AF_INET, group, &request.imr_multiaddr) == 1 else { return false }
        request.imr_interface.s_addr = INADDR_ANY
        guard setsockopt(receiver, Int32(IPPROTO_IP), IP_ADD_MEMBERSHIP, &request, socklen_t(MemoryLayout<ip_mreq>.size)) == 0 else {
            return false
        }
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = any.sin_port
        target.sin_addr = request.imr_multiaddr
        var byte: UInt8 = 0
        for _ in 0..<5 {
            let sent = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(sender, [UInt8(1)], 1, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard sent == 1 else { return false }
            var poller = pollfd(fd: receiver, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 200) == 1, recv(receiver, &byte, 1, 0) == 1 { return true }
        }
        return false
    }
}
