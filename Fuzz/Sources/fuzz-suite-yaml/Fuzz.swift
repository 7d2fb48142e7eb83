import AssayCore
import AssaySuites
import FuzzSupport

/// Suite YAML (the loader reads UTF-8 only; other bytes are refused before parsing).
/// A suite read without errors has a name, at least one item and unique item ids; every
/// diagnostic's line lies inside the text.
@_cdecl("fuzz_suite_yaml_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

func fuzz(_ input: UnsafeBufferPointer<UInt8>) {
    guard let text = utf8Text(input) else { return }
    let sink = DiagnosticSink(file: "fuzz.yaml")
    let suite = SuiteLoader.parse(text, file: "fuzz.yaml", sink: sink)
    // YAML counts a lone CR as a line break too (libyaml's line numbers do).
    let lines = text.utf8.count { $0 == 10 || $0 == 13 } + 2
    for diagnostic in sink.diagnostics {
        require(diagnostic.line.map { (0...lines).contains($0) } ?? true, "diagnostic line \(diagnostic.line!) outside the text")
    }
    if let suite, !sink.hasErrors {
        require(!suite.name.isEmpty && !suite.items.isEmpty, "a suite without a name or items was accepted")
        require(Set(suite.items.map(\.id)).count == suite.items.count, "duplicate item ids were accepted")
    }
}
