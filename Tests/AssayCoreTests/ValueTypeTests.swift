import AssayCore
import Testing

@Suite("Core value types")
struct ValueTypeTests {
    @Test("model refs split at the first slash only")
    func modelRef() throws {
        let ref = try #require(ModelRef("openrouter/openai/gpt-5"))
        #expect(ref.provider == "openrouter")
        #expect(ref.model == "openai/gpt-5")
        #expect(ModelRef("no-slash") == nil)
        #expect(ModelRef("/model") == nil)
        #expect(ModelRef("provider/") == nil)
    }

    @Test("efforts are ordered from none to xhigh")
    func efforts() {
        #expect(Effort.allCases.map(\.rawValue) == ["none", "minimal", "low", "medium", "high", "xhigh"])
        #expect(Effort.low < Effort.high)
        #expect(Effort.none.rank == 0)
    }

    @Test("stable hashes are the same in every process and differ by part boundaries")
    func stableHash() {
        #expect(StableHash.hash(["ab", "c"]) != StableHash.hash(["a", "bc"]))
        #expect(StableHash.hash(["x"]) == StableHash.hash(["x"]))
        // Pinned value: changing the hash changes every simulated outcome, so it must be deliberate.
        #expect(StableHash.hash(["assay"]) == 13_052_783_325_551_300_295)
        let unit = StableHash.unit("42", "suite", "item", "0")
        #expect(unit >= 0 && unit < 1)
    }

    @Test("sha256 matches the known digest of 'abc'")
    func sha256() {
        #expect(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("diagnostics print as file:line:column: severity: path: message")
    func diagnosticFormat() {
        let diagnostic = Diagnostic(.error, file: "suites/a.yaml", line: 7, column: 5, keyPath: "items[2].answer", message: "bad")
        #expect(diagnostic.description == "suites/a.yaml:7:5: error: items[2].answer: bad")
    }

    @Test("errors map to sysexits-style exit codes")
    func exitCodes() {
        #expect(AssayError(.config, "x").exitCode == 78)
        #expect(AssayError(.notFound, "x").exitCode == 66)
        #expect(AssayError(.provider, "x").exitCode == 69)
        #expect(AssayError(.suite, "x").exitCode == 65)
    }
}
