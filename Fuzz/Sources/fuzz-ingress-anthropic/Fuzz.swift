import AssayProviders
import AssayServer
import FuzzDrivers
import FuzzSupport

/// A Anthropic-format request body as `assay serve` reads it: decoded, validated, converted to the
/// request sent upstream. A refusal is a 400; an accepted request has a model, 1–10,000
/// messages and max_tokens within the server's cap.
@_cdecl("fuzz_ingress_anthropic_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

func fuzz(_ input: UnsafeBufferPointer<UInt8>) {
    checkIngress(input, as: .anthropic)
}
