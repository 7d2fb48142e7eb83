import AssayProviders
import FuzzDrivers
import FuzzSupport

/// Gemini's event stream, in arbitrary chunks, through SSEParser and GeminiStreamDecoder.
@_cdecl("fuzz_sse_gemini_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, testOneInput)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    fuzz(UnsafeBufferPointer(start: data, count: count))
}

func fuzz(_ input: UnsafeBufferPointer<UInt8>) -> CInt {
    fuzzStream(GeminiStreamDecoder.self, input)
    return 0
}
