/// An error a user can act on: what went wrong, and what to do about it.
///
/// Errors are mapped to exit codes at the edge (the CLI), and never carry secrets: API keys are
/// named by the environment variable they come from, never by value.
package struct AssayError: Error, Sendable, CustomStringConvertible {
    package enum Code: String, Sendable {
        case usage, config, suite, provider, database, catalog, notFound, io, interrupted, busy
    }

    package var code: Code
    package var message: String
    package var hint: String?

    package init(_ code: Code, _ message: String, hint: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    package var description: String {
        guard let hint else { return message }
        return "\(message)\n  hint: \(hint)"
    }

    /// Process exit code for this kind of failure (sysexits-style where one fits).
    package var exitCode: Int32 {
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
