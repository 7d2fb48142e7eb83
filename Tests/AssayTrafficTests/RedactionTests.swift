import AssayTraffic
import Testing

/// Captured prompts and answers lose e-mail addresses and secrets before they are stored.
@Suite struct RedactionTests {
    @Test("secrets and e-mail addresses are replaced, the rest is kept", arguments: [
        ("write to ana.lopez+work@example.co.uk today", "write to [email] today"),
        ("my key is sk-proj-AbCdEf0123456789xyz please", "my key is [secret] please"),
        ("use sk-assay-0123456789abcdefghijABCDEFGHIJ_-xy", "use [secret]"),
        ("AKIAIOSFODNN7EXAMPLE is the id", "[secret] is the id"),
        ("Authorization: Bearer abcdefghijklmnop.qrstuv", "Authorization: Bearer [secret]"),
        ("password: hunter2!! and token=abc123", "password: [secret] and token=[secret]"),
        ("the api_key is 'xyz-123'", "the api_key is [secret]"),
        ("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end", "jwt [secret] end"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----", "[secret]"),
        ("AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI", "[secret]"),
        ("ghp_16C7e42F292c6912E7710c838347Ae178B4a and xoxb-123456789012-abc", "[secret] and [secret]"),
        ("What is 3 plus 5? Reply in one word.", "What is 3 plus 5? Reply in one word."),
    ])
    func redacts(text: String, expected: String) {
        #expect(TrafficRedaction.redact(text) == expected)
    }

    @Test("a capture is cut to its byte cap on a character boundary, after redaction")
    func capped() {
        let text = String(repeating: "é", count: 100) + " bob@example.org"
        let cut = TrafficRedaction.capture(text, maxBytes: 51)
        #expect(cut.utf8.count <= 51 && cut == String(repeating: "é", count: 25))
        #expect(TrafficRedaction.capture("mail bob@example.org", maxBytes: 1_000) == "mail [email]")
    }
}
