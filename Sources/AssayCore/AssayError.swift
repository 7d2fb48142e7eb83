/// An error a user can act on: what went wrong, and what to do about it.
///
/// Errors are mapped to exit codes at the edge (the CLI), and never carry secrets: API keys are
/// named by the environment variable they come from, never by value.
public struct AssayError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case usage, config, suite, provider, database, catalog, notFound, io, interrupted, busy
    }

    public var code: Code
    public var message: String
    public var hint: String?

    public init(_ code: Code, _ message: String, hint: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    public var description: String {
        guard let hint else { return message }
        return "\(message)\n  hint: \(hint)"
    }

    /// Process exit code for this kind of failure (sysexits-style where one fits).
    public var exitCode: Int32 {
        switch code {
        case .usage: 64
        case .suite, .catalog: 65
        case .notFound: 66
        case .provider: 69
        case .database, .io: 74
        case .busy: 75
        case .config: 78
        case .interrupted: 130
        }
    }
}
