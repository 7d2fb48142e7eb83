import AssayCore
import AssayStore
import Testing

/// Answer fingerprints: what a cascade's agreement check compares. Responses are model output.
@Suite("Answer fingerprints")
struct AnswerFingerprintTests {
    @Test("case, surrounding and repeated whitespace and final full stops are ignored; words are not")
    func normalised() {
        let fingerprint = AssayDatabase.fingerprint(of:)
        #expect(fingerprint("Answer: B.") == fingerprint("  answer:\n\tb  "))
        #expect(fingerprint("120") == fingerprint("120..."))
        #expect(fingerprint("120") != fingerprint("1200"))
        #expect(fingerprint("a b") != fingerprint("ab"))
    }

    @Test("hostile answers: empty, only full stops, NULs, 1 MB, mixed scripts, all fingerprint without trapping")
    func hostile() {
        let fingerprint = AssayDatabase.fingerprint(of:)
        #expect(fingerprint("") == fingerprint("...."))
        #expect(fingerprint("\u{0}") != fingerprint(""))
        #expect(fingerprint(String(repeating: "x ", count: 500_000)) != fingerprint("x"))
        #expect(fingerprint("ÉCOLE  ١٢٣") == fingerprint("école ١٢٣"))
    }
}
