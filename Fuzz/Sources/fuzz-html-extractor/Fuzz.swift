import AssayCore
import AssayPricing
import FuzzSupport

/// A pricing page through libxml2 and every built-in extractor: any bytes either extract or
/// report a layout problem; every price read is non-negative.
@_cdecl("fuzz_html_extractor_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

func fuzz(_ input: UnsafeBufferPointer<UInt8>) {
    let bytes = Array(input)
    for name in BuiltInExtractors.names {
        let entry = BuiltInExtractors.all[name]!
        for extractor in entry.extractor().extractors {
            guard let read = try? extractor.extract(html: bytes, url: "https://fuzz.invalid/\(name)") else { continue }
            for observation in read.observations {
                require(observation.nanosPerMTok >= 0, "negative price \(observation.nanosPerMTok) for \(observation.model) (\(name))")
            }
            require(!read.observations.isEmpty || read.layoutProblem != nil, "no prices and no layout problem (\(name))")
        }
    }
}
