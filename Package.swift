// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "auditor",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "auditor", targets: ["auditor"]),
    .library(name: "ListingParser", targets: ["ListingParser"]),
    .library(name: "ComplianceRules", targets: ["ComplianceRules"]),
  ],
  dependencies: [
    .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
    .package(url: "https://github.com/hummingbird-project/hummingbird-auth", exact: "2.5.0"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
    .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
    .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
    .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    .package(url: "https://github.com/apple/swift-algorithms", exact: "1.2.1"),
  ],
  targets: [
    // Debian's libxml2 through a module map; the shim hides its ICU header (see shim.h).
    .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
    // The system ICU's regular expressions (libicu-dev), matched over UTF-8 without NSRegularExpression's UTF-16
    // copies; a C target because ICU's headers clash with Foundation's bundled ICU in Swift (see cicu.h).
    .target(name: "CICU", linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc")]),
    .target(
      name: "ListingParser",
      dependencies: [
        "CLibXML2", .product(name: "CSV", package: "CSV.swift"), .product(name: "Algorithms", package: "swift-algorithms"),
      ]
    ),
    .target(
      name: "ComplianceRules",
      dependencies: [
        "ListingParser", "CICU",
        .product(name: "Algorithms", package: "swift-algorithms"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Yams", package: "Yams"),
      ],
      plugins: ["BuiltinRulesetsPlugin"]
    ),
    // rulesets/*.yml compiled into ComplianceRules as string literals, regenerated when a file changes, so the binary
    // carries its default rules wherever it is installed.
    .executableTarget(name: "EmbedRulesets"),
    .plugin(name: "BuiltinRulesetsPlugin", capability: .buildTool(), dependencies: ["EmbedRulesets"]),
    // The shared store and job queue on PostgreSQL: a fleet of `auditor worker` processes on many machines.
    .target(
      name: "PostgresStore",
      dependencies: ["ComplianceRules", "ListingParser", .product(name: "PostgresNIO", package: "postgres-nio")]
    ),
    // `auditor serve`: the review queue and HTTP API over the same store as the CLI.
    .target(
      name: "ReviewServer",
      dependencies: [
        "ComplianceRules", "ListingParser",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
        .product(name: "Mustache", package: "swift-mustache"),
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
      ],
      exclude: ["Web"],
      plugins: ["WebAssetsPlugin"]
    ),
    // Sources/ReviewServer/Web (templates, CSS, JavaScript, OpenAPI) compiled in as string literals, like the rulesets.
    .executableTarget(name: "EmbedWebAssets"),
    .plugin(name: "WebAssetsPlugin", capability: .buildTool(), dependencies: ["EmbedWebAssets"]),
    .executableTarget(
      name: "auditor",
      dependencies: [
        "ComplianceRules", "ListingParser", "ReviewServer", "PostgresStore",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "ListingParserTests", dependencies: ["ListingParser"]),
    .testTarget(
      name: "ComplianceRulesTests",
      // PostgresStore: the store-interface suite (StoreContractTests) runs on both implementations.
      dependencies: [
        "ComplianceRules", "ListingParser", "PostgresStore", .product(name: "GRDB", package: "GRDB.swift"),
      ]
    ),
    .testTarget(
      name: "ReviewServerTests",
      dependencies: [
        "ReviewServer", "ComplianceRules", "ListingParser",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ]
    ),
    .testTarget(
      name: "PostgresStoreTests",
      dependencies: [
        "PostgresStore", "ComplianceRules", "ListingParser", .product(name: "PostgresNIO", package: "postgres-nio"),
      ]
    ),
    // The snapshot is read from the checkout by path, not bundled.
    .testTarget(name: "AuditorEndToEndTests", dependencies: ["auditor"], exclude: ["Snapshots"]),
  ]
)
