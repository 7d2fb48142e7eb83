// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Assay",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "assay", targets: ["assay"]),
        .library(name: "AssayCore", targets: ["AssayCore"]),
        .library(name: "AssaySuites", targets: ["AssaySuites"]),
        .library(name: "AssayProviders", targets: ["AssayProviders"]),
        .library(name: "AssayStore", targets: ["AssayStore"]),
        .library(name: "AssayHarness", targets: ["AssayHarness"]),
        .library(name: "AssayCatalog", targets: ["AssayCatalog"]),
        .library(name: "AssayRouter", targets: ["AssayRouter"]),
        .library(name: "AssayServer", targets: ["AssayServer"]),
        .library(name: "AssaySimulator", targets: ["AssaySimulator"]),
        .library(name: "AssayPricing", targets: ["AssayPricing"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .target(name: "AssayCore", dependencies: [
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "AssaySuites", dependencies: [
            "AssayCore",
            .product(name: "Yams", package: "Yams"),
        ], resources: [.copy("Resources/sandbox")]),
        .target(name: "AssayProviders", dependencies: [
            "AssayCore",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "AssayStore", dependencies: [
            "AssayCore",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "AssayHarness", dependencies: [
            "AssayCore", "AssaySuites", "AssayProviders", "AssayStore",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "AssayCatalog", dependencies: ["AssayCore", "AssayStore"]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]),
        .target(name: "AssayPricing", dependencies: ["AssayCore", "AssayStore", "CCurl", "CLibXML2"]),
        .target(name: "AssayRouter", dependencies: ["AssayCore", "AssayCatalog"]),
        .target(name: "AssayServer", dependencies: [
            "AssayCore", "AssayCatalog", "AssayRouter", "AssayProviders",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "AssaySimulator", dependencies: [
            "AssayCore", "AssaySuites", "AssayProviders",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], resources: [.copy("Resources/zoo.yaml")]),
        .executableTarget(name: "assay", dependencies: [
            "AssayCore", "AssaySuites", "AssayProviders", "AssayStore", "AssayHarness",
            "AssayCatalog", "AssaySimulator", "AssayPricing", "AssayRouter", "AssayServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "AssayCoreTests", dependencies: ["AssayCore"]),
        .testTarget(name: "AssaySuitesTests", dependencies: ["AssaySuites", "AssayTestSupport"]),
        .testTarget(name: "AssayStoreTests", dependencies: ["AssayStore", "AssayTestSupport"]),
        .testTarget(name: "AssayCatalogTests", dependencies: ["AssayCatalog", "AssayTestSupport"], exclude: ["Golden"]),
        .testTarget(name: "AssayRouterTests", dependencies: ["AssayRouter", "AssayCatalog", "AssayStore", "AssayTestSupport"]),
        .testTarget(name: "AssaySimulatorTests", dependencies: [
            "AssaySimulator", "AssayProviders", "AssayServer", "AssayTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "AssayServerTests", dependencies: [
            "AssayServer", "AssayCatalog", "AssayStore", "AssayProviders", "AssayCore", "AssayTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        .testTarget(name: "AssayPricingTests", dependencies: [
            "AssayPricing", "AssayStore", "AssayCatalog", "AssaySimulator", "AssayTestSupport",
        ], exclude: ["Fixtures"]),
        .testTarget(name: "AssayHarnessTests", dependencies: [
            "AssayHarness", "AssaySimulator", "AssayCatalog", "AssayTestSupport",
        ]),
        .testTarget(name: "AssayCLITests", dependencies: [
            "assay", "AssayCore", "AssayStore", "AssaySuites", "AssaySimulator", "AssayTestSupport",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ], exclude: ["Scripts"]),
        .target(name: "AssayTestSupport", dependencies: [
            "AssayCore", "AssaySuites", "AssaySimulator", "AssayProviders",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], path: "Tests/AssayTestSupport"),
    ],
    swiftLanguageModes: [.v6]
)
