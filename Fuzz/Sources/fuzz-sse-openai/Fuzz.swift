import AssayProviders
import FuzzDrivers
import FuzzSupport

/// OpenAI's event stream, in arbitrary chunks, through SSEParser and OpenAIStreamDecoder.
@_cdecl("fuzz_sse_openai_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

func fuzz(_ input: UnsafeBufferPointer<UInt8>) {
    fuzzStream(OpenAIStreamDecoder.self, input)
}
