import AssayCore

/// Collects diagnostics while a document is read, so every problem is reported at once.
public final class DiagnosticSink {
    public let file: String
    public private(set) var diagnostics: [Diagnostic] = []

    public init(file: String) { self.file = file }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public func error(line: Int?, column: Int? = nil, _ keyPath: String, _ message: String) {
        diagnostics.append(Diagnostic(.error, file: file, line: line, column: column, keyPath: keyPath, message: message))
    }

    package func warning(line: Int?, column: Int? = nil, _ keyPath: String, _ message: String) {
        diagnostics.append(Diagnostic(.warning, file: file, line: line, column: column, keyPath: keyPath, message: message))
    }

    /// Throws a `DiagnosticsError` when any error was recorded (warnings too when `strict`).
    package func throwIfFailed(strict: Bool = false, code: AssayError.Code = .suite) throws {
        let failing = diagnostics.contains { $0.severity == .error || (strict && $0.severity == .warning) }
        if failing { throw DiagnosticsError(diagnostics.sorted { ($0.line ?? 0) < ($1.line ?? 0) }, code: code) }
    }
}
