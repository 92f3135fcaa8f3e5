// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "nimbus_exporter",
    products: [
        .executable(name: "nimbus_exporter", targets: ["nimbus_exporter"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // System libraries: found through pkg-config, installed from Debian's -dev packages.
        .systemLibrary(name: "CMicroHTTPD", pkgConfig: "libmicrohttpd",
                       providers: [.apt(["libmicrohttpd-dev"])]),
        // Headers only (no pkg-config, so nothing is linked): CCloudLibraries opens libcurl and
        // libcrypto at run time.
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // Typed wrappers for C APIs Swift cannot call directly (variadics, macros).
        .target(name: "CShims", dependencies: ["CMicroHTTPD", "CZlib"]),

        .target(name: "Exposition", dependencies: ["CZlib", "CShims"]),
        .target(name: "HostMetrics", dependencies: ["Exposition", "CShims"]),
        .target(name: "HTTPServer", dependencies: ["CMicroHTTPD", "CShims"]),

        // The cloud half: none of it runs on the scrape path, which only reads rendered caches.
        // libcurl and libcrypto, opened at run time only when cloud jobs are configured.
        .target(name: "CCloudLibraries", dependencies: ["CCurl", "COpenSSL"]),
        // Hashes, HMAC and signatures on OpenSSL's libcrypto.
        .target(name: "CloudCrypto", dependencies: ["CCloudLibraries"]),
        // Outbound HTTP on libcurl: timeouts, proxies, retries with backoff.
        .target(name: "CloudHTTP", dependencies: [
            "CCloudLibraries", .product(name: "Logging", package: "swift-log"),
        ]),
        // Background refresh of cloud jobs, the rendered cache, its persistence, self metrics.
        .target(name: "CloudCache", dependencies: [
            "Exposition", .product(name: "Logging", package: "swift-log"),
        ]),
        // `--config.file`: YAML read with Yams, errors naming file, line and field.
        .target(name: "ConfigFile", dependencies: [.product(name: "Yams", package: "Yams")]),
        // REST/JSON APIs behind a token, json_exporter-style but cached.
        .target(name: "RESTCloud", dependencies: [
            "CloudHTTP", "CloudCache", "ConfigFile", "Exposition",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // GCP Cloud Monitoring: service-account and metadata-server tokens, timeSeries.list.
        .target(name: "GCPCloud", dependencies: [
            "CloudCrypto", "CloudHTTP", "CloudCache", "ConfigFile", "Exposition",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Azure Monitor: Entra ID tokens, resource discovery, metrics and metrics:getBatch.
        .target(name: "AzureCloud", dependencies: [
            "CloudHTTP", "CloudCache", "ConfigFile", "Exposition",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // EC2, CloudWatch, CloudTrail: SigV4, the credential chain, API clients and jobs.
        .target(name: "AWSCloud", dependencies: [
            "CloudCrypto", "CloudHTTP", "CloudCache", "ConfigFile", "Exposition",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(
            name: "nimbus_exporter",
            dependencies: [
                "Exposition", "HostMetrics", "HTTPServer", "CShims",
                "CloudCache", "ConfigFile", "AWSCloud", "RESTCloud", "GCPCloud", "AzureCloud",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .testTarget(name: "ExpositionTests", dependencies: ["Exposition"]),
        .testTarget(name: "HostMetricsTests", dependencies: ["HostMetrics", "Exposition"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport"]),
        .testTarget(name: "CloudTests", dependencies: [
            "CloudCrypto", "CloudHTTP", "CloudCache", "ConfigFile", "AWSCloud", "RESTCloud", "GCPCloud", "AzureCloud",
            "Exposition", "TestSupport",
        ]),
        // Runs the built binary against fixtures and the live host, with promtool, node_exporter
        // and Prometheus as real peers.
        .testTarget(name: "EndToEndTests", dependencies: ["nimbus_exporter", "Exposition", "TestSupport"]),
        // Helpers shared by the test targets (a raw HTTP client, process launching).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
    ],
    swiftLanguageModes: [.v6]
)
