import NIOCore
import NetaioCore

/// netaio's `AutoReconnectTimeoutHandler` for the socket client: when a request to a
/// server times out, the connection to that server is replaced — the old one is closed
/// (netaio leaves it open and overwrites its `hosts` entry), then up to `maxRetries`
/// connects are tried, `delay` seconds apart. A new connection re-advertises the peer
/// when peer management is on (engine `connect`). The timed-out request still fails
/// with `.timedOut`; `onReconnect(server, attempt)` reports success.
public struct AutoReconnect: Sendable {
    public var maxRetries: Int
    public var delay: Double
    public var onReconnect: (@Sendable (Address, Int) -> Void)?
    public var onGiveUp: (@Sendable (Address) -> Void)?

    public init(maxRetries: Int = 3, delay: Double = 1, onReconnect: (@Sendable (Address, Int) -> Void)? = nil,
                onGiveUp: (@Sendable (Address) -> Void)? = nil) {
        self.maxRetries = maxRetries
        self.delay = delay
        self.onReconnect = onReconnect
        self.onGiveUp = onGiveUp
    }
}

extension NetaioTCPClient {
    /// Installs (or with nil removes) the auto-reconnect timeout handler.
    public func autoReconnect(_ policy: AutoReconnect?) async throws {
        let driver = self.driver
        try await eventLoop.submit {
            guard let policy else {
                driver.engine.requestTimeoutHandler = nil
                return
            }
            // Servers being reconnected; touched only on the driver's event loop.
            let reconnecting = NIOLoopBoundBox(Set<Address>(), eventLoop: driver.eventLoop)
            driver.engine.requestTimeoutHandler = { timeout, engine in
                guard case .connection(let id) = timeout.endpoint, !reconnecting.value.contains(timeout.remote) else { return }
                let server = timeout.remote
                reconnecting.value.insert(server)
                // Runs inside the engine's timerFired: act after it returns.
                driver.eventLoop.execute {
                    driver.run { $0.close(id) }
                    @Sendable func attempt(_ n: Int) {
                        driver.connect(to: server).whenComplete { result in
                            switch result {
                            case .success:
                                reconnecting.value.remove(server)
                                policy.onReconnect?(server, n)
                            case .failure where n < policy.maxRetries && !driver.isShutDown:
                                driver.eventLoop.scheduleTask(in: .nanoseconds(Int64(policy.delay * 1e9))) { attempt(n + 1) }
                            case .failure:
                                reconnecting.value.remove(server)
                                policy.onGiveUp?(server)
                            }
                        }
                    }
                    attempt(1)
                }
                _ = engine
            }
        }.get()
    }
}
