import AssayHarness
import FuzzSupport

/// `assay.yaml`: any UTF-8 text either reads or is refused with diagnostics (no crash, hang
/// or runaway memory); a config read keeps its file name.
@_cdecl("fuzz_config_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

func fuzz(_ input: UnsafeBufferPointer<UInt8>) {
    guard let text = utf8Text(input) else { return }
    guard let config = try? ConfigLoader.parse(text, file: "assay.yaml") else { return }
    require(config.file == "assay.yaml", "the config forgot its file")
}
