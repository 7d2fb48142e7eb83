/// What a captured prompt or answer loses before it is stored: e-mail addresses and anything
/// shaped like a secret (provider and cloud keys, bearer tokens, JWTs, private-key blocks, and
/// the value after words like `password`, `secret`, `token`, `api_key`). A pattern list, not a
/// guarantee: capture is off by default, and docs/security.md says what it misses.
package enum TrafficRedaction {
    package static let email = "[email]"
    package static let secret = "[secret]"

    nonisolated(unsafe) static let patterns: [(Regex<AnyRegexOutput>, String)] = [
        (try! Regex(#"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----"#), secret),
        (try! Regex(#"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"#), email),
        (try! Regex(#"\b(sk|pk|rk)-[A-Za-z0-9_\-]{12,}"#), secret),
        (try! Regex(#"\bsk-assay-[A-Za-z0-9_\-]{20,}"#), secret),
        (try! Regex(#"\bAIza[A-Za-z0-9_\-]{20,}"#), secret),
        (try! Regex(#"\b(AKIA|ASIA)[0-9A-Z]{16}\b"#), secret),
        (try! Regex(#"\bgh[pousr]_[A-Za-z0-9]{20,}"#), secret),
        (try! Regex(#"\bxox[abprs]-[A-Za-z0-9\-]{10,}"#), secret),
        (try! Regex(#"\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"#), secret),
        (try! Regex(#"(?i)\bbearer\s+[A-Za-z0-9._~+/\-]{12,}=*"#), "Bearer " + secret),
        (try! Regex(#"(?i)\b(password|passwd|pwd|secret|token|api[_\-]?key|access[_\-]?key)(\s*[:=]\s*|\s+is\s+)("[^"]*"|'[^']*'|\S+)"#), "$1$2" + secret),
    ]

    package static func redact(_ text: String) -> String {
        var result = text
        for (pattern, replacement) in patterns {
            if replacement.contains("$1") {
                result = result.replacing(pattern) { match in
                    let groups = match.output
                    let word = groups.count > 1 ? groups[1].substring.map(String.init) ?? "" : ""
                    let separator = groups.count > 2 ? groups[2].substring.map(String.init) ?? "" : ""
                    return word + separator + secret
                }
            } else {
                result = result.replacing(pattern) { _ in replacement }
            }
        }
        return result
    }

    /// `text` redacted and cut to at most `maxBytes` UTF-8 bytes (on a character boundary).
    package static func capture(_ text: String, maxBytes: Int) -> String {
        let redacted = redact(text)
        guard redacted.utf8.count > maxBytes else { return redacted }
        var cut = ""
        var bytes = 0
        for character in redacted {
            let size = character.utf8.count
            if bytes + size > maxBytes { break }
            cut.append(character)
            bytes += size
        }
        return cut
    }
}
