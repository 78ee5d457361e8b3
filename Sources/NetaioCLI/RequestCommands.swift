import ArgumentParser
import NetaioNIO

/// The shared body of request / create / update / delete / publish: one message, one
/// reply printed, the exit code from the outcome.
enum OneShot {
    static func run(_ options: ClientOptions, type: MessageType, content: [UInt8]) async throws {
        let session = try await ClientSession.open(options)
        let outcome: Result<Message, any Error>
        do {
            outcome = .success(try await session.request(options.uri, type: type, content: content))
        } catch {
            outcome = .failure(error)
        }
        await session.close()
        switch outcome {
        case .success(let reply): printLine(MessageOutput.line(reply, json: options.json))
        case .failure(let error): throw ClientFailure.report(error, json: options.json)
        }
    }

    static let exitCodes = """
        Output: one line, the reply's type and content (`RESPOND_URI hello`; `OK`; non-UTF-8 \
        content as 0x<hex>), or with --json one JSON object.
        Exit codes: 0 success (OK, RESPOND_URI, CONFIRM_*), 1 error reply (ERROR, NOT_FOUND, \
        AUTH_ERROR, NOT_PERMITTED; printed too), 2 timeout, 3 connection failure, 64 bad \
        arguments, 66 unreadable --content-file.
        """
}

struct RequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Send REQUEST_URI and print the reply (RESPOND_URI with the content).",
        discussion: """
            Works against any netaio server or UDP node, e.g. one started with `netaio serve`.

            Examples:
              netaio request tcp://127.0.0.1:8888 greeting
              netaio request udp://127.0.0.1:9999 greeting --timeout 2 --json
              netaio request tcp://[::1]:8888 secret/doc --hmac-secret s3cret --cipher-key k3y

            \(OneShot.exitCodes)
            """)
    @OptionGroup var options: ClientOptions
    @OptionGroup var content: ContentOptions

    func run() async throws { try await OneShot.run(options, type: .requestURI, content: try content.bytes()) }
}

struct CreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Send CREATE_URI with content and print the reply (OK).",
        discussion: """
            Examples:
              netaio create tcp://127.0.0.1:8888 greeting --content hello
              netaio create udp://127.0.0.1:9999 blob --content-file ./blob.bin

            \(OneShot.exitCodes)
            """)
    @OptionGroup var options: ClientOptions
    @OptionGroup var content: ContentOptions

    func run() async throws { try await OneShot.run(options, type: .createURI, content: try content.bytes()) }
}

struct UpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Send UPDATE_URI with new content and print the reply (OK, or NOT_FOUND).",
        discussion: """
            `netaio serve` notifies the uri's subscribers with the new content.

            Examples:
              netaio update tcp://127.0.0.1:8888 greeting --content "hello again"

            \(OneShot.exitCodes)
            """)
    @OptionGroup var options: ClientOptions
    @OptionGroup var content: ContentOptions

    func run() async throws { try await OneShot.run(options, type: .updateURI, content: try content.bytes()) }
}

struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Send DELETE_URI and print the reply (OK, or NOT_FOUND).",
        discussion: """
            Examples:
              netaio delete tcp://127.0.0.1:8888 greeting

            \(OneShot.exitCodes)
            """)
    @OptionGroup var options: ClientOptions

    func run() async throws { try await OneShot.run(options, type: .deleteURI, content: []) }
}

struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Send PUBLISH_URI with content and print the reply (OK).",
        discussion: """
            `netaio serve` sends the content as NOTIFY_URI to the uri's subscribers.

            Examples:
              netaio publish tcp://127.0.0.1:8888 news --content "it happened"

            \(OneShot.exitCodes)
            """)
    @OptionGroup var options: ClientOptions
    @OptionGroup var content: ContentOptions

    func run() async throws { try await OneShot.run(options, type: .publishURI, content: try content.bytes()) }
}
