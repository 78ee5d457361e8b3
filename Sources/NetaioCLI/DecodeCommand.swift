import ArgumentParser
import Foundation
import NetaioPlugins
import NetaioWire

/// `netaio decode`: one captured frame as JSON, for people debugging traffic and for
/// scripted checks.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode one netaio frame and print it as JSON.",
        discussion: """
            Reads one frame (9-byte header, packify auth-fields block, body block) from --hex \
            or --file (raw bytes; '-' reads stdin) and prints a JSON object:
              type, type_value, auth_fields (name -> hex of the packed value, or the value for \
            non-bytes fields), uri_hex, content_hex (plus uri/content as text when UTF-8), \
            checksum_ok, and with keys: auth_ok (HMAC check of the received body) and \
            decrypted {uri_hex, content_hex} (stream cipher, outer layer).
            A frame that does not decode exits 65 with one line: `error: <code>: <reason>`.

            Examples:
              netaio decode --hex 0a000b0004...
              netaio decode --file capture.bin --hmac-secret s3cret --cipher-key k3y
            """
    )

    @Option(help: "The frame as hexadecimal (whitespace and an optional 0x are ignored).")
    var hex: String?

    @Option(help: "A file holding the raw frame bytes ('-' for stdin).")
    var file: String?

    @Option(name: .customLong("hmac-secret"), help: "Check the HMAC auth fields with this shared secret (netaio's HMACAuthPlugin).")
    var hmacSecret: String?

    @Option(name: .customLong("cipher-key"), help: "Decrypt the body with this key (netaio's Sha256StreamCipherPlugin).")
    var cipherKey: String?

    @Flag(name: .customLong("plain-uri"), help: "The cipher was configured with encrypt_uri=False (the uri is sent in clear).")
    var plainURI = false

    func validate() throws {
        if (hex == nil) == (file == nil) {
            throw ValidationError("give exactly one of --hex or --file")
        }
    }

    func run() throws {
        let bytes = try readInput()
        let frame: FrameDecoder.DecodedFrame
        do {
            frame = try FrameDecoder().decodeFrame(bytes)
            if frame.length < bytes.count { throw WireError.trailingBytes(count: bytes.count - frame.length) }
        } catch let error as WireError {
            printError("\(error.code): \(error)")
            throw NetaioExit.dataError
        }
        let report = FrameReport(frame: frame, hmacSecret: hmacSecret, cipherKey: cipherKey, encryptURI: !plainURI)
        print(report.json())
    }

    private func readInput() throws -> [UInt8] {
        if let hex {
            let cleaned = hex.filter { !$0.isWhitespace }
            let digits = cleaned.hasPrefix("0x") ? String(cleaned.dropFirst(2)) : cleaned
            guard let bytes = Hex.decode(digits) else {
                printError("bad_hex: --hex is not an even number of hexadecimal digits")
                throw NetaioExit.usage
            }
            return bytes
        }
        let path = file!
        if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        guard let data = FileManager.default.contents(atPath: path) else {
            printError("no_input: cannot read \(path)")
            throw NetaioExit.noInput
        }
        return Array(data)
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data("error: \(line)\n".utf8))
}
