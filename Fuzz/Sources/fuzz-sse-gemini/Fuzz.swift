import AssayProviders
import FuzzDrivers
import FuzzSupport

/// Gemini's event stream, in arbitrary chunks, through SSEParser and GeminiStreamDecoder.
@_cdecl("fuzz_sse_gemini_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

func fuzz(_ input: UnsafeBufferPointer<UInt8>) {
    fuzzStream(GeminiStreamDecoder.self, input)
}
