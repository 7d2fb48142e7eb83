import AssayCore
import AssayPricing
import FuzzSupport

/// A price cell's text. The first byte picks the page's unit; a price read is never negative,
/// and its currency is a three-letter code.
@_cdecl("fuzz_price_text_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

func fuzz(_ input: UnsafeBufferPointer<UInt8>) {
    let (selector, rest) = split(input)
    guard let text = rest.withUnsafeBufferPointer(utf8Text) else { return }
    let units = HTMLExtractorSpec.Unit.allCases
    let unit = units[Int(selector) % units.count]
    if case .price(let nanos, let currency) = PriceText.parse(text, unit: unit) {
        require(nanos >= 0, "negative price \(nanos) read from \(text.debugDescription)")
        require(currency.count == 3 && currency.allSatisfy(\.isUppercase), "currency \(currency) from \(text.debugDescription)")
    }
}
