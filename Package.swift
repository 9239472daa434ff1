// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "paygrid",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "paygrid", targets: ["paygrid"]),
        .library(name: "PayGridCore", targets: ["PayGridCore"]),
        .library(name: "PayGridStore", targets: ["PayGridStore"]),
        .library(name: "PayGridSQLite", targets: ["PayGridSQLite"]),
        .library(name: "PayGridPostgres", targets: ["PayGridPostgres"]),
        .library(name: "PayGridServices", targets: ["PayGridServices"]),
        .library(name: "PayGridChannels", targets: ["PayGridChannels"]),
        .library(name: "PayGridHTTP", targets: ["PayGridHTTP"]),
        .library(name: "PayGridTesting", targets: ["PayGridTesting"]),
    ],
    dependencies: [
        .package(
            url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1",
            traits: ["ConfigurationSupport", "FullFoundation"]),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        // Pure domain: no I/O, no frameworks.
        .target(name: "PayGridCore", swiftSettings: swiftSettings),
        // Storage ports, one per aggregate, and the rows they carry: no database library.
        .target(
            name: "PayGridStore",
            dependencies: [
                "PayGridCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        // The SQLite adapter of the storage ports (GRDB), with its schema migrations.
        .target(
            name: "PayGridSQLite",
            dependencies: [
                "PayGridCore", "PayGridStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        // The PostgreSQL adapter of the same ports (postgres-nio), with its own schema migrations.
        .target(
            name: "PayGridPostgres",
            dependencies: [
                "PayGridCore", "PayGridStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        // Use cases and the single ledger writer.
        .target(
            name: "PayGridServices",
            dependencies: [
                "PayGridCore", "PayGridStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings),
        // Channels: one folder per channel (bank today), each adding only what is its own.
        .target(
            name: "PayGridChannels",
            dependencies: [
                "PayGridCore", "PayGridStore", "PayGridServices", "PayGridLink",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        // The isolation link between the internal and external zones: frames, the statement
        // whitelist, sessions over TCP or in process, and the hash-chained audit log.
        .target(
            name: "PayGridLink",
            dependencies: [
                "PayGridCore", "PayGridServices",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings),
        // HTTP API (routes, DTOs, auth, error mapping, OpenAPI document) and the staff's web pages.
        .target(
            name: "PayGridHTTP",
            dependencies: [
                "PayGridCore", "PayGridStore", "PayGridServices", "PayGridChannels", "PayGridLink",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Mustache", package: "swift-mustache"),
                // The online payment providers' APIs, called from the external zone.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            // The API's description, the pages' templates and labels, and their CSS and script.
            resources: [.copy("openapi.json"), .copy("Templates"), .copy("Static")],
            swiftSettings: swiftSettings),
        // Alipay and WeChat Pay played with their own keys, for the demo and the tests.
        .target(
            name: "PayGridSimulator",
            dependencies: [
                "PayGridCore", "PayGridChannels",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings),
        // In-memory store, fixtures and the store contract suite.
        .target(
            name: "PayGridTesting",
            dependencies: [
                "PayGridCore", "PayGridStore", "PayGridSQLite", "PayGridPostgres", "PayGridServices",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "paygrid",
            dependencies: [
                "PayGridCore", "PayGridStore", "PayGridSQLite", "PayGridPostgres", "PayGridServices", "PayGridChannels",
                "PayGridHTTP", "PayGridLink", "PayGridSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "PayGridCoreTests", dependencies: ["PayGridCore"],
            // The STS test vectors (read by path).
            exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PayGridLinkTests",
            dependencies: [
                "PayGridCore", "PayGridLink", "PayGridServices", "PayGridTesting",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "PayGridStoreTests",
            dependencies: [
                "PayGridCore", "PayGridStore", "PayGridSQLite", "PayGridPostgres", "PayGridServices", "PayGridTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "PayGridServicesTests",
            dependencies: ["PayGridCore", "PayGridStore", "PayGridServices", "PayGridTesting"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "PayGridChannelsTests",
            dependencies: [
                "PayGridCore", "PayGridStore", "PayGridServices", "PayGridChannels", "PayGridLink", "PayGridTesting",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // Hand-made statements and the ISO 20022 schemas they are validated against (read by path).
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "PayGridHTTPTests",
            dependencies: [
                "PayGridCore", "PayGridStore", "PayGridServices", "PayGridChannels", "PayGridHTTP", "PayGridTesting",
                "PayGridSimulator",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "PayGridCLITests",
            dependencies: [
                "paygrid", "PayGridCore", "PayGridStore", "PayGridServices", "PayGridTesting", "PayGridChannels",
                "PayGridHTTP", "PayGridSQLite",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
    ]
)
