import ArgumentParser

/// Exit codes shared by every subcommand (BSD sysexits where one fits), so scripts can
/// tell a timeout from an error reply from a refused connection.
enum NetaioExit {
    /// The peer answered with a non-success type (ERROR, NOT_FOUND, AUTH_ERROR, ...).
    static let errorReply = ExitCode(1)
    /// No answer within --timeout.
    static let timeout = ExitCode(2)
    /// Could not connect / bind.
    static let connectionFailed = ExitCode(3)
    /// Bad command-line usage (EX_USAGE).
    static let usage = ExitCode(64)
    /// The input data is malformed (EX_DATAERR): a frame that does not decode.
    static let dataError = ExitCode(65)
    /// An input file could not be read (EX_NOINPUT).
    static let noInput = ExitCode(66)
}
