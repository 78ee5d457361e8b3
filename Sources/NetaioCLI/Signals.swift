import Dispatch
import Foundation

/// SIGINT / SIGTERM: the clean-stop signals of `serve`, `node` and `subscribe`.
enum StopSignal {
    /// Calls `handler` once, on a private queue, at the first SIGINT or SIGTERM.
    static func install(_ handler: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "netaio.signals")
        let once = Once()
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { if once.first() { handler(sig) } }
            source.resume()
            Keep.alive(source)
        }
    }

    /// Installs the handlers now (before the `listening on` line, so an early signal is
    /// not fatal) and returns something to wait on.
    static func waiter() -> StopWaiter { StopWaiter() }

    private final class Once: @unchecked Sendable {
        private let lock = NSLock()
        private var done = false
        func first() -> Bool {
            lock.lock()
            defer { done = true; lock.unlock() }
            return !done
        }
    }

    /// Signal sources must outlive the call that made them.
    private enum Keep {
        nonisolated(unsafe) static var sources: [any DispatchSourceSignal] = []
        static func alive(_ s: any DispatchSourceSignal) { sources.append(s) }
    }
}

/// The first SIGINT/SIGTERM, awaitable; handlers are installed at init.
final class StopWaiter: @unchecked Sendable {
    private let lock = NSLock()
    private var signalled = false
    private var continuation: CheckedContinuation<Void, Never>?

    init() {
        StopSignal.install { [self] _ in
            lock.lock()
            signalled = true
            let c = continuation
            continuation = nil
            lock.unlock()
            c?.resume()
        }
    }

    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            lock.lock()
            if signalled {
                lock.unlock()
                c.resume()
            } else {
                continuation = c
                lock.unlock()
            }
        }
    }
}

/// A flag set from a signal handler and read afterwards.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}

/// One line on stdout, written at once (scripts read these while the process runs).
func printLine(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// One diagnostic line on stderr (--verbose).
func printLog(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
