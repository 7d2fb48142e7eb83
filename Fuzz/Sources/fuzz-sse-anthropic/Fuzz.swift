import AssayProviders
import FuzzDrivers
import FuzzSupport

/// Anthropic's event stream, in arbitrary chunks, through SSEParser and AnthropicStreamDecoder.
@_cdecl("fuzz_sse_anthropic_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

func fuzz(_ input: UnsafeBufferPointer<UInt8>) {
    fuzzStream(AnthropicStreamDecoder.self, input)
}
