import AssayProviders
import FuzzSupport

/// Any bytes to `JSONFields`, the reader the proxy relays same-format answers with, against
/// Foundation's `JSONDecoder` (`JSONFieldsCheck`): it accepts nothing the decoder refuses,
/// and what both read has the same members, values and string text, escapes and surrogate pairs
/// included. A member rewritten with `replacing` reads back as the new text, the rest unchanged.
@_cdecl("fuzz_json_fields_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

func fuzz(_ input: UnsafeBufferPointer<UInt8>) {
    let bytes = Array(input)
    if let problem = JSONFieldsCheck.disagreement(bytes) { require(false, problem) }
    guard let fields = try? JSONFields(bytes), let key = fields.members.first?.key else { return }
    let rewritten = fields.replacing(key, withString: "sim/\u{e9}\"\\\n")
    let again = rewritten.flatMap { try? JSONFields($0) }
    require(again?.string(key) == "sim/\u{e9}\"\\\n", "a rewritten member does not read back")
    require(again?.members.map(\.key) == fields.members.map(\.key), "a rewrite changed the members")
}
