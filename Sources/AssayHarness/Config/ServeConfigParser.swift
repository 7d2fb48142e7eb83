import AssayCore
import AssaySuites

/// Reads the `serve:` section of `assay.yaml` (docs/config.md, docs/server.md), every problem a
/// diagnostic with its line and key path.
enum ServeConfigParser {
    static let keys = ["keys_file", "rpm", "baseline", "sessions", "deadline_seconds", "attempt_timeout_seconds", "passthrough",
                       "max_tokens", "allowed_hosts", "allowed_origins", "max_connections", "max_in_flight", "idle_timeout_seconds",
                       "body_timeout_seconds"]

    static func read(_ value: YAMLValue, into serve: inout AssayConfig.Serve) {
        guard let map = value.mapping(allowed: keys) else { return }
        if let path = map["keys_file"]?.string() { serve.keysFile = path }
        if let rpm = map["rpm"]?.int(in: 0...10_000_000) { serve.rpm = rpm }
        if let sessions = map["sessions"]?.int(in: 1...10_000_000) { serve.sessions = sessions }
        if let maxTokens = map["max_tokens"]?.int(in: 1...100_000_000) { serve.maxTokens = maxTokens }
        if let connections = map["max_connections"]?.int(in: 1...1_000_000) { serve.maxConnections = connections }
        if let inFlight = map["max_in_flight"]?.int(in: 1...1_000_000) { serve.maxInFlight = inFlight }
        let durations: [(String, WritableKeyPath<AssayConfig.Serve, Double>)] = [
            ("deadline_seconds", \.deadlineSeconds), ("attempt_timeout_seconds", \.attemptTimeoutSeconds),
            ("idle_timeout_seconds", \.idleTimeoutSeconds), ("body_timeout_seconds", \.bodyTimeoutSeconds),
        ]
        for (key, path) in durations {
            guard let value = map[key], let seconds = value.double() else { continue }
            if seconds <= 0 || seconds > 86_400 { value.error("must be more than 0 and at most 86400 seconds") }
            serve[keyPath: path] = seconds
        }
        if let value = map["baseline"], let text = value.string() {
            if let ref = ModelRef(text) { serve.baseline = ref } else { value.error("expected provider/model, found '\(text)'") }
        }
        if let value = map["passthrough"], let patterns = value.stringList() {
            for pattern in patterns where ModelRef(pattern.hasSuffix("*") ? pattern.dropLast() + "x" : pattern) == nil {
                value.error("'\(pattern)' is not provider/model or a provider/prefix* pattern")
            }
            serve.passthrough = patterns
        }
        if let hosts = map["allowed_hosts"]?.stringList() { serve.allowedHosts = hosts }
        if let value = map["allowed_origins"], let origins = value.stringList() {
            for origin in origins where !(origin.hasPrefix("http://") || origin.hasPrefix("https://")) || origin.hasSuffix("/") {
                value.error("'\(origin)' is not an origin: scheme, host and port only, such as https://app.example.com")
            }
            serve.allowedOrigins = origins
        }
    }
}
