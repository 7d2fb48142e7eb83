// swift-tools-version: 6.0
import Foundation
import PackageDescription

// libFuzzer targets, one per parser that reads outside input. A package of its own so the main
// package's build and `swift test` never see the fuzzer flags. Build and run with
// `scripts/fuzz.sh` (it passes `-Xswiftc -sanitize=fuzzer,address`); see Fuzz/README.md.

// The root package is referenced by path; its identity is the folder's name, whatever the
// clone is called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

/// Each target's `<module>_main` (SwiftPM's name for an executable's `main` on Linux) hands
/// its `fuzz` function to libFuzzer's driver.
func fuzzTarget(_ name: String, _ products: [String], extra: [Target.Dependency] = []) -> Target {
    .executableTarget(name: name,
                      dependencies: ["FuzzSupport"] + extra + products.map { .product(name: $0, package: root) },
                      swiftSettings: [.unsafeFlags(["-parse-as-library"])])
}

let package = Package(
    name: "AssayFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"]),
        .target(name: "FuzzDrivers", dependencies: ["FuzzSupport", .product(name: "AssayProviders", package: root), .product(name: "AssayServer", package: root)]),
        fuzzTarget("fuzz-suite-yaml", ["AssayCore", "AssaySuites"]),
        fuzzTarget("fuzz-config", ["AssayHarness"]),
        fuzzTarget("fuzz-sse-openai", ["AssayProviders"], extra: ["FuzzDrivers"]),
        fuzzTarget("fuzz-sse-anthropic", ["AssayProviders"], extra: ["FuzzDrivers"]),
        fuzzTarget("fuzz-sse-gemini", ["AssayProviders"], extra: ["FuzzDrivers"]),
        fuzzTarget("fuzz-price-text", ["AssayCore", "AssayPricing"]),
        fuzzTarget("fuzz-html-extractor", ["AssayCore", "AssayPricing"]),
        fuzzTarget("fuzz-ingress-openai", ["AssayProviders", "AssayServer"], extra: ["FuzzDrivers"]),
        fuzzTarget("fuzz-ingress-anthropic", ["AssayProviders", "AssayServer"], extra: ["FuzzDrivers"]),
        fuzzTarget("fuzz-json-fields", ["AssayProviders"]),
    ],
    swiftLanguageModes: [.v6]
)
