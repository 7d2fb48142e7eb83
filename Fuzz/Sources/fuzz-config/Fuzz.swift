import AssayHarness
import FuzzSupport

/// `assay.yaml`: any UTF-8 text either reads or is refused with diagnostics, and reading is
/// deterministic (the same text gives the same content hash).
@_cdecl("fuzz_config_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, testOneInput)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    fuzz(UnsafeBufferPointer(start: data, count: count))
}

func fuzz(_ input: UnsafeBufferPointer<UInt8>) -> CInt {
    guard let text = utf8Text(input) else { return 0 }
    guard let config = try? ConfigLoader.parse(text, file: "assay.yaml") else { return 0 }
    require(config.file == "assay.yaml", "the config forgot its file")
    return 0
}
