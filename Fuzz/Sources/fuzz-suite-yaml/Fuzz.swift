import AssayCore
import AssaySuites
import FuzzSupport

/// Suite YAML (the loader reads UTF-8 only; other bytes are refused before parsing).
/// A suite read without errors has a name, at least one item and unique item ids; every
/// diagnostic's line lies inside the text.
@_cdecl("fuzz_suite_yaml_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, testOneInput)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    fuzz(UnsafeBufferPointer(start: data, count: count))
}

func fuzz(_ input: UnsafeBufferPointer<UInt8>) -> CInt {
    guard let text = utf8Text(input) else { return 0 }
    let sink = DiagnosticSink(file: "fuzz.yaml")
    let suite = SuiteLoader.parse(text, file: "fuzz.yaml", sink: sink)
    let lines = text.utf8.count { $0 == 10 } + 2
    for diagnostic in sink.diagnostics {
        require(diagnostic.line.map { (0...lines).contains($0) } ?? true, "diagnostic line \(diagnostic.line!) outside the text")
    }
    if let suite, !sink.hasErrors {
        require(!suite.name.isEmpty && !suite.items.isEmpty, "a suite without a name or items was accepted")
        require(Set(suite.items.map(\.id)).count == suite.items.count, "duplicate item ids were accepted")
    }
    return 0
}
