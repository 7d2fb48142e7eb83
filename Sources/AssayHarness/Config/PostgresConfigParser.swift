import AssayPostgres
import AssaySuites

/// Reads the `postgres:` section of `assay.yaml` (docs/config.md#postgres): the shared store's
/// URL (no password in it), the variable that holds the password, TLS and the pool size. Every
/// problem is a diagnostic with its line and key path.
enum PostgresConfigParser {
    static let keys = ["url", "password_env", "tls", "max_connections"]

    static func read(_ value: YAMLValue) -> PostgresSettings? {
        guard let map = value.mapping(allowed: keys) else { return nil }
        // Every key is checked even when the URL is bad, so one run reports every problem.
        var settings: PostgresSettings?
        if let urlValue = map.required("url", hint: "postgres://user@host:5432/database"), let text = urlValue.string() {
            do { settings = try PostgresSettings(url: text) } catch { urlValue.error(error.description) }
        }
        if let env = map["password_env"], let name = env.string() {
            if !name.isEmpty, name.count <= 64, name.allSatisfy({ ($0.isLetter && $0.isASCII) || $0.isNumber || $0 == "_" }) {
                settings?.passwordEnv = name
            } else {
                env.error("expected the name of an environment variable that holds the password, such as ASSAY_PG_PASSWORD (never the password itself)")
            }
        }
        if let tls = map["tls"], let mode = tls.string() {
            if let parsed = PostgresSettings.TLSMode(rawValue: mode) { settings?.tls = parsed } else {
                tls.error("expected \(PostgresSettings.TLSMode.allCases.map(\.rawValue).joined(separator: ", ")), found '\(mode.prefix(20))'")
            }
        }
        if let connections = map["max_connections"]?.int(in: 1...1_000) { settings?.maxConnections = connections }
        return settings
    }
}
