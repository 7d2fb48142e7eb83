import AssaySuites
import Testing

@Suite("code extraction")
struct CodeExtractorTests {
    @Test("raw code is used as it is")
    func raw() { #expect(CodeExtractor.code(in: "def f():\n    return 1\n") == "def f():\n    return 1\n") }

    @Test("a python fence wins over prose and other fences")
    func fenced() {
        let text = "Here:\n```text\nnot code\n```\n```python\ndef f():\n    return 1\n```\nDone."
        #expect(CodeExtractor.code(in: text) == "def f():\n    return 1\n")
    }

    @Test("the block that defines the entry point wins")
    func entryPoint() {
        let text = "```python\nprint('example')\n```\n```python\ndef solve():\n    pass\n```"
        #expect(CodeExtractor.code(in: text, entryPoint: "solve") == "def solve():\n    pass\n")
    }
}
