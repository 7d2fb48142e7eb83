import Foundation

/// Keeps API keys out of error text: a provider's error body may quote the key it was sent
/// (OpenAI's "Incorrect API key provided: sk-…" does), and that text is stored on samples,
/// logged and printed.
package enum Redaction {
    static let placeholder = "[redacted]"

    /// `text` with every secret (an exact value sent in a header, bearer prefix dropped) and
    /// anything shaped like a well-known key format replaced by `[redacted]`.
    package static func redact(_ text: String, secrets: [String] = []) -> String {
        var result = text
        for secret in secrets {
            let value = secret.hasPrefix("Bearer ") ? String(secret.dropFirst(7)) : secret
            guard value.count >= 8 else { continue }
            result = result.replacingOccurrences(of: value, with: placeholder)
        }
        return result.replacing(keyShape, with: { _ in placeholder })
    }

    /// OpenAI/Anthropic/OpenRouter (`sk-…`) and Google (`AIza…`) key shapes, masked or not.
    nonisolated(unsafe) static let keyShape = /(sk-[A-Za-z0-9_\-*.]{6,}|AIza[A-Za-z0-9_\-]{20,})/
}
