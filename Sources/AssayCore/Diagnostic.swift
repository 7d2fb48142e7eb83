/// A problem found in a file a person wrote (a suite, a config), with where it is.
public struct Diagnostic: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable { case note, warning, error }

    public var severity: Severity
    public var file: String
    public var line: Int?
    public var column: Int?
    /// Where in the document, e.g. `items[3].answer`.
    public var keyPath: String
    public var message: String

    enum CodingKeys: String, CodingKey { case severity, file, line, column, keyPath = "key_path", message }

    public init(_ severity: Severity, file: String, line: Int? = nil, column: Int? = nil,
                keyPath: String, message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    /// `file:line:column: error: items[3].answer: message`, the format editors understand.
    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        let path = keyPath.isEmpty ? "" : "\(keyPath): "
        return "\(location): \(severity.rawValue): \(path)\(message)"
    }
}

/// Thrown when a document has at least one error; carries every diagnostic found.
package struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    package var diagnostics: [Diagnostic]
    /// What kind of document failed (`.suite`, `.config`), which decides the exit code.
    package var code: AssayError.Code

    package init(_ diagnostics: [Diagnostic], code: AssayError.Code = .suite) {
        self.diagnostics = diagnostics
        self.code = code
    }

    package var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    package var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
