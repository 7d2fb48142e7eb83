// swift-tools-version: 6.0
import Foundation
import PackageDescription

// The root package is referenced by path; its identity is the folder's name, whatever the
// clone is called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "AssayBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // What the load drivers share: open- and closed-loop load, the instant upstream, child processes and their CPU.
        .target(name: "BenchmarkSupport", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "catalog-build", dependencies: [
            .product(name: "AssayCore", package: root),
            .product(name: "AssayStore", package: root),
            .product(name: "AssayCatalog", package: root),
            .product(name: "AssayCatalogFormat", package: root),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .executableTarget(name: "adapter-overhead", dependencies: [
            .product(name: "AssayCore", package: root),
            .product(name: "AssayProviders", package: root),
        ]),
        .executableTarget(name: "pricing-parse", dependencies: [
            .product(name: "AssayCore", package: root),
            .product(name: "AssayPricing", package: root),
        ]),
        .executableTarget(name: "router-decide", dependencies: [
            .product(name: "AssayCore", package: root),
            .product(name: "AssayCatalog", package: root),
            .product(name: "AssayCatalogFormat", package: root),
            .product(name: "AssayRouter", package: root),
        ]),
        .executableTarget(name: "run-load", dependencies: [
            .product(name: "AssayCore", package: root),
            .product(name: "AssaySuites", package: root),
            .product(name: "AssayProviders", package: root),
            .product(name: "AssayStore", package: root),
            .product(name: "AssayHarness", package: root),
            .product(name: "AssaySimulator", package: root),
        ]),
        .executableTarget(name: "proxy-overhead", dependencies: [
            "BenchmarkSupport",
            .product(name: "AssayCore", package: root),
            .product(name: "AssayProviders", package: root),
            .product(name: "AssayRouter", package: root),
            .product(name: "AssayServer", package: root),
            .product(name: "AssayTraffic", package: root),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "replicas-load", dependencies: [
            "BenchmarkSupport",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        .executableTarget(name: "traffic-report", dependencies: [
            .product(name: "AssayCore", package: root),
            .product(name: "AssayTraffic", package: root),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .executableTarget(name: "catalog-calibration", dependencies: [
            .product(name: "AssayCore", package: root),
            .product(name: "AssaySuites", package: root),
            .product(name: "AssayStore", package: root),
            .product(name: "AssayCatalog", package: root),
            .product(name: "AssaySimulator", package: root),
        ]),
        .executableTarget(name: "cascade-eval", dependencies: [
            .product(name: "AssayCore", package: root),
            .product(name: "AssayStore", package: root),
            .product(name: "AssayCatalog", package: root),
            .product(name: "AssayCatalogFormat", package: root),
            .product(name: "AssayRouter", package: root),
        ]),
        .executableTarget(name: "grader-throughput", dependencies: [
            .product(name: "AssaySuites", package: root),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
