import ArgumentParser
import NetaioNIO

struct SubscribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscribe",
        abstract: "Subscribe to a uri and print each notification as it arrives.",
        discussion: """
            Sends SUBSCRIBE_URI, prints the confirmation (`CONFIRM_SUBSCRIBE`), then one line \
            per NOTIFY_URI (`NOTIFY_URI <content>`, or JSON with --json), each written at once. \
            Stops after --count notifications, on SIGINT/SIGTERM (exit 0), or when the server \
            closes the connection (exit 3).

            Examples:
              netaio subscribe tcp://127.0.0.1:8888 news
              netaio subscribe udp://127.0.0.1:9999 news --count 1 --json

            Exit codes: 0 stopped by --count or a signal, 1 the subscription was refused (error \
            reply), 2 no confirmation within --timeout, 3 connection failure or lost, 64 bad arguments.
            """)
    @OptionGroup var options: ClientOptions

    @Option(help: "Exit 0 after this many notifications (default: run until stopped).")
    var count: Int?

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() async throws {
        let session = try await ClientSession.open(options)
        let subscription: NetaioSubscription
        do {
            subscription = try await session.subscribe(options.uri)
        } catch {
            await session.close()
            throw ClientFailure.report(error, json: options.json)
        }
        let stopped = StopFlag()
        StopSignal.install { _ in
            stopped.set()
            Task { await session.close() }
        }
        printLine(MessageOutput.line(subscription.confirmation, json: options.json))
        var received = 0
        for await note in subscription.notifications {
            printLine(MessageOutput.line(note, json: options.json))
            received += 1
            if let count, received >= count {
                await session.close()
                return
            }
        }
        if stopped.isSet { return }
        await session.close()
        printError("connection_failed: the connection closed")
        throw NetaioExit.connectionFailed
    }
}
