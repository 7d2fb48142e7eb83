import AssayCore
@testable import AssayProviders
import Foundation
import Testing

/// `JSONFields` against the full decoder (Foundation's `JSONDecoder`): exact on escapes, surrogate pairs and unicode,
/// refusing every document Foundation refuses, over hand-written, generated and mutated bodies.
@Suite("JSON fields")
struct JSONFieldsTests {
    @Test("escapes, surrogate pairs and raw unicode read exactly as the decoder reads them")
    func strings() throws {
        let body = #"""
        {"plain": "abc", "quote": "a\"b\\c\/d", "controls": "\b\f\n\r\t", "bmp": "\u00e9\u4e2d\uFFFF",
         "pair": "\ud83d\ude00 and \uD834\uDD1E", "raw": "é中😀", "nul": "a\u0000b", "empty": "", "model": "gpt-5-mini"}
        """#
        let fields = try JSONFields(Array(body.utf8))
        #expect(fields.string("quote") == #"a"b\c/d"#)
        #expect(fields.string("controls") == "\u{08}\u{0C}\n\r\t")
        #expect(fields.string("bmp") == "é中\u{FFFF}")
        #expect(fields.string("pair") == "😀 and 𝄞")
        #expect(fields.string("raw") == "é中😀")
        #expect(fields.string("nul") == "a\u{0}b")
        #expect(fields.string("empty") == "" && fields.string("missing") == nil)
        #expect(JSONFieldsCheck.disagreement(Array(body.utf8)) == nil)
    }

    @Test("numbers, nesting, trailing commas and a key written twice: each member's bytes are its value, the first one counts")
    func members() throws {
        let body = #" { "n": -12.5e+3, "i": 42, "o": {"a": [1, {"b": null},], "c": true,}, "a": [], "dup": "first", "dup": "second" } "#
        let fields = try JSONFields(Array(body.utf8))
        #expect(fields.int("i") == 42 && fields.int("n") == nil)
        #expect(fields.string("dup") == "first")
        #expect(fields.replacing("dup", withString: "x") == nil, "a key written twice is not rewritten: readers disagree on which counts")
        let inner = try #require(fields.object("o"))
        #expect(inner.members.map(\.key) == ["a", "c"])
        #expect(JSONFieldsCheck.disagreement(Array(body.utf8)) == nil)
    }

    @Test("what the decoder refuses, the reader refuses", arguments: [
        "", " ", "{", "}", "{\"a\"}", "{\"a\":}", "{,}", "{\"a\":1,,}", "{\"a\":[,]}", "{\"a\":1 \"b\":2}", "{'a':1}", "{a:1}",
        "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":-}", "{\"a\":1e}", "{\"a\":1e+}", "{\"a\":+1}", "{\"a\":NaN}",
        "{\"a\":Infinity}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\uZZZZ\"}",
        "{\"a\":\"\\ud83d\"}", "{\"a\":\"\\ude00\"}", "{\"a\":\"\\ud83d\\u0041\"}", "{\"a\":\"tab\there\"}",
        "{\"a\":\"line\nbreak\"}", "{\"a\":[1,2}", "{\"a\":[1,,2]}", "{\"a\":1}}", "{\"a\":1} x", "{\"a\":1e400}", "{\"a\":5e-3324}",
        "{\"a\":\"unclosed}", "{\"a\" 1}", "{\"a\":1}\u{0B}", "{\"a\":/*c*/1}",
    ])
    func refusals(body: String) {
        let bytes = Array(body.utf8)
        #expect((try? JSONFields(bytes)) == nil, "the reader accepted \(body.debugDescription)")
        #expect((try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)))?.objectValue == nil, "the decoder reads \(body.debugDescription)")
    }

    @Test("invalid UTF-8 in a string is refused: a stray continuation, an overlong form, an encoded surrogate, past U+10FFFF, cut off")
    func invalidUTF8() {
        for bad: [UInt8] in [[0x80], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE4, 0xB8], [0xFF]] {
            let bytes = Array(#"{"a":""#.utf8) + bad + Array(#""}"#.utf8)
            #expect((try? JSONFields(bytes)) == nil, "accepted \(bad)")
        }
    }

    @Test("nesting as deep as the decoder reads is read; deeper is refused by both")
    func depth() {
        for depth in [JSONFields.maxDepth - 1, JSONFields.maxDepth, JSONFields.maxDepth + 1] {
            let body = "{\"a\":" + String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1) + "}"
            #expect(JSONFieldsCheck.disagreement(Array(body.utf8)) == nil, "depth \(depth)")
        }
    }

    @Test("generated documents and their mutations: the reader and the decoder agree on every one")
    func generated() {
        var random = SeededRandom(seed: 18)
        var disagreements: [String] = []
        var accepted = 0
        for _ in 0..<4_000 {
            let document = Array(JSONGenerator.object(depth: 0, using: &random).utf8)
            if let problem = JSONFieldsCheck.disagreement(document) { disagreements.append("\(problem): \(String(decoding: document, as: UTF8.self))") }
            if (try? JSONFields(document)) != nil { accepted += 1 }
            let mutated = JSONGenerator.mutate(document, using: &random)
            if let problem = JSONFieldsCheck.disagreement(mutated) {
                disagreements.append("\(problem): \(String(decoding: mutated, as: UTF8.self).debugDescription)")
            }
        }
        #expect(accepted == 4_000, "every generated document is valid JSON")
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
    }

    @Test("replacing a member rewrites only its value: every other byte is kept, the new text reads back exactly")
    func replacing() throws {
        let body = Array(#"{"id":"x","model" : "gpt-5-mini", "choices":[{"message":{"model":"inner"}}],"usage":{"prompt_tokens":3}}"#.utf8)
        let fields = try JSONFields(body)
        let rewritten = try #require(fields.replacing("model", withString: "sim/gpt \"5\"\n\\é"))
        #expect(String(decoding: rewritten, as: UTF8.self)
            == #"{"id":"x","model" : "sim/gpt \"5\"\n\\é", "choices":[{"message":{"model":"inner"}}],"usage":{"prompt_tokens":3}}"#)
        let again = try JSONFields(rewritten)
        #expect(again.string("model") == "sim/gpt \"5\"\n\\é")
        #expect(JSONFieldsCheck.disagreement(rewritten) == nil)
        #expect(fields.replacing("absent", withString: "x") == nil)
    }
}

/// A deterministic generator, so a failure names a reproducible document.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Valid JSON text with the hard parts often: escapes of every kind, surrogate pairs, raw
/// multi-byte UTF-8, exponents, odd whitespace, repeated keys.
enum JSONGenerator {
    static let pieces = ["a", "Z", " ", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u0000", "\\u001f", "\\u00e9", "\\u4E2D",
                         "\\uFFFF", "\\ud83d\\ude00", "\\uDBFF\\uDFFF", "é", "中", "😀", "\u{10FFFF}", "'", "/", "{", "]"]
    static let keys = ["model", "usage", "id", "choices", "stream", "max_tokens", "é", "k\\u0065y", "\\ud83d\\ude00", ""]

    static func string<R: RandomNumberGenerator>(using random: inout R) -> String {
        "\"" + (0..<Int.random(in: 0...6, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined() + "\""
    }

    static func space<R: RandomNumberGenerator>(using random: inout R) -> String {
        ["", "", " ", "\n", "\t", "\r\n  "].randomElement(using: &random)!
    }

    static func number<R: RandomNumberGenerator>(using random: inout R) -> String {
        ["0", "-0", "7", "-12", "3.25", "1e5", "2E-3", "-0.5e+10", "12345678901234567", "1.7976931348623157e308", "5e-324"]
            .randomElement(using: &random)!
    }

    static func value<R: RandomNumberGenerator>(depth: Int, using random: inout R) -> String {
        switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &random) {
        case 0: string(using: &random)
        case 1: number(using: &random)
        case 2: ["true", "false", "null"].randomElement(using: &random)!
        case 3: string(using: &random)
        case 4: "[" + (0..<Int.random(in: 0...3, using: &random)).map { _ in space(using: &random) + value(depth: depth + 1, using: &random) }
            .joined(separator: ",") + space(using: &random) + "]"
        default: object(depth: depth + 1, using: &random)
        }
    }

    static func object<R: RandomNumberGenerator>(depth: Int, using random: inout R) -> String {
        let members = (0..<Int.random(in: 0...5, using: &random)).map { _ in
            space(using: &random) + "\"" + keys.randomElement(using: &random)! + "\"" + space(using: &random) + ":" + space(using: &random)
                + value(depth: depth, using: &random)
        }
        return space(using: &random) + "{" + members.joined(separator: ",") + space(using: &random) + "}" + space(using: &random)
    }

    /// One random edit: a byte changed, removed, doubled, or a structural byte inserted.
    static func mutate<R: RandomNumberGenerator>(_ bytes: [UInt8], using random: inout R) -> [UInt8] {
        guard !bytes.isEmpty else { return bytes }
        var result = bytes
        let at = Int.random(in: 0..<result.count, using: &random)
        let interesting: [UInt8] = Array("{}[]\",:\\u0eE.-+ \n".utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC0, 0xED, 0xF4, 0xFF]
        switch Int.random(in: 0..<4, using: &random) {
        case 0: result[at] = interesting.randomElement(using: &random)!
        case 1: result.remove(at: at)
        case 2: result.insert(result[at], at: at)
        default: result.insert(interesting.randomElement(using: &random)!, at: at)
        }
        return result
    }
}
