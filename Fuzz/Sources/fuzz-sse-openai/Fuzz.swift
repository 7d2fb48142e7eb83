import AssayProviders
import FuzzDrivers
import FuzzSupport

/// OpenAI's event stream, in arbitrary chunks, through SSEParser and OpenAIStreamDecoder.
@_cdecl("fuzz_sse_openai_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, testOneInput)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    fuzz(UnsafeBufferPointer(start: data, count: count))
}

func fuzz(_ input: UnsafeBufferPointer<UInt8>) -> CInt {
    fuzzStream(OpenAIStreamDecoder.self, input)
    return 0
}
