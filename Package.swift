// swift-tools-version:6.1
import PackageDescription

// Platforms. Linux (x86-64, Swift 6.1) is what the project is built, tested
// and measured on; scripts/setup.sh installs its system libraries with apt.
// SwiftPM has no Linux minimum to declare, so `platforms` names only the
// macOS that the Synchronization module (Mutex, Atomic) needs: macOS 15 is
// the floor for a build there, not a tested platform. Code that reads
// /proc is Linux-only and sits behind `#if os(Linux)` or a runtime check.
let package = Package(
  name: "Anneal",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "Anneal", targets: ["Anneal"]),
    // The readers alone, for tools that need nothing else (Fuzz/).
    .library(name: "QUBOModel", targets: ["QUBOModel"]),
    .executable(name: "anneal", targets: ["AnnealCLI"]),
    .library(name: "AnnealLearning", targets: ["Learning"]),
    .library(name: "AnnealONNX", targets: ["ONNX"]),
    // The C interface (include/anneal.h) that the Python package loads.
    .library(name: "AnnealC", type: .dynamic, targets: ["AnnealC"]),
  ],
  dependencies: [
    .package(
      url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
    // `anneal serve`: the HTTP server and its Prometheus metrics. Without
    // the ConfigurationSupport trait, swift-configuration is not built.
    .package(
      url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1",
      traits: ["FullFoundation"]),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    // SHA-256 of access tokens (serve stores only their digests).
    .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(
      url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CGSL",
      pkgConfig: "gsl",
      providers: [.apt(["libgsl-dev"])]
    ),
    .target(name: "GSLSupport", dependencies: ["CGSL"]),
    .systemLibrary(
      name: "CPostgreSQL",
      pkgConfig: "libpq",
      providers: [.apt(["libpq-dev"])]
    ),
    .target(name: "PostgresSupport", dependencies: ["CPostgreSQL"]),
    .target(
      name: "TuningPostgres",
      dependencies: ["Tuning", "PostgresSupport", "QUBOModel", "WorkQueue", "WorkQueuePostgres"]),
    .target(name: "WorkQueuePostgres", dependencies: ["WorkQueue", "PostgresSupport"]),
    .target(
      name: "SweepsPostgres",
      dependencies: ["Sweeps", "PostgresSupport", "WorkQueue", "WorkQueuePostgres"]),
    .target(name: "QUBOModel"),
    .target(
      name: "WorkQueue", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
    // The Float pack's sweep in C, compiled per instruction set and chosen
    // at run time (Swift has no per-function target attribute).
    .target(name: "CFloatLanes"),
    .target(name: "Annealing", dependencies: ["QUBOModel", "CFloatLanes"]),
    .target(name: "QUBOEncoding", dependencies: ["QUBOModel"]),
    .target(name: "Plots"),
    .target(
      name: "Sweeps",
      dependencies: ["QUBOModel", "Annealing", "Tuning", "Plots", "WorkQueue"]),
    .target(
      name: "Learning",
      dependencies: ["QUBOModel", "QUBOEncoding", "Annealing", "GSLSupport"]),
    // ONNX model files ⇄ Learning's networks; the Swift of Proto/ is
    // generated from onnx_subset.proto by scripts/generate-onnx-proto.sh.
    .target(
      name: "ONNX",
      dependencies: ["Learning", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
      exclude: ["Proto/onnx_subset.proto"]),
    .target(
      name: "Anneal",
      dependencies: ["QUBOModel", "QUBOEncoding", "Annealing", "Tuning", "Sweeps", "Plots"]),
    .target(
      name: "Tuning",
      dependencies: [
        "QUBOModel", "QUBOEncoding", "Annealing", "WorkQueue",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Yams", package: "Yams"),
      ]),
    .target(
      name: "AnnealC", dependencies: ["QUBOModel", "Annealing", "Tuning"],
      exclude: ["include"]),
    .target(
      name: "Serve",
      dependencies: [
        "QUBOModel", "Annealing", "WorkQueue", "WorkQueuePostgres", "PostgresSupport",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]),
    .executableTarget(
      name: "AnnealCLI",
      dependencies: [
        "Anneal",
        "Learning",
        "ONNX",
        "TuningPostgres",
        "SweepsPostgres",
        "PostgresSupport",
        "Serve",
        .product(name: "Yams", package: "Yams"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .target(
      name: "_TestSupport", dependencies: ["QUBOModel", "Annealing"]),
    .target(name: "_PostgresTestSupport", dependencies: ["PostgresSupport"]),
    // The work-queue conformance suite (every backend runs it) and the
    // worker process its multi-process check starts.
    .target(name: "_WorkQueueConformance", dependencies: ["WorkQueue"]),
    .executableTarget(name: "_WorkQueueWorker", dependencies: ["WorkQueue", "WorkQueuePostgres"]),
    .testTarget(
      name: "WorkQueueTests",
      dependencies: ["WorkQueue", "_WorkQueueConformance", "_WorkQueueWorker"]),
    .testTarget(
      name: "QUBOModelTests",
      dependencies: ["QUBOModel", "Annealing", "_TestSupport"],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "AnnealingTests",
      dependencies: ["Annealing", "QUBOModel", "_TestSupport", "GSLSupport"]),
    .testTarget(name: "GSLSupportTests", dependencies: ["GSLSupport"]),
    .testTarget(
      name: "PostgresSupportTests",
      dependencies: [
        "PostgresSupport", "TuningPostgres", "Tuning", "_PostgresTestSupport", "WorkQueue",
        "WorkQueuePostgres", "_WorkQueueConformance", "_WorkQueueWorker",
      ]),
    .executableTarget(
      name: "Examples", dependencies: ["QUBOEncoding", "QUBOModel", "Annealing"]),
    .testTarget(
      name: "QUBOEncodingTests",
      dependencies: ["QUBOEncoding", "QUBOModel", "Annealing", "Examples"]),
    .testTarget(
      name: "AnnealCLITests",
      dependencies: ["AnnealCLI", "ONNX", "Learning", "_PostgresTestSupport"],
      // Python scripts the ONNX tests run with the venv's interpreter.
      exclude: ["ONNX/make_models.py", "ONNX/check_ort.py"]),
    .testTarget(
      name: "SweepsTests",
      dependencies: [
        "Sweeps", "Tuning", "Plots", "QUBOModel", "Annealing", "_TestSupport", "WorkQueue",
      ],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "SweepsPostgresTests",
      dependencies: [
        "SweepsPostgres", "Sweeps", "PostgresSupport", "QUBOModel", "TuningPostgres",
        "_PostgresTestSupport", "WorkQueue",
      ]),
    .testTarget(
      name: "LearningTests",
      dependencies: ["Learning", "ONNX", "QUBOModel", "Annealing", "GSLSupport"],
      resources: [.copy("Fixtures")]),
    .testTarget(name: "AnnealCTests", dependencies: ["AnnealC"]),
    .testTarget(
      name: "ServeTests",
      dependencies: [
        "Serve", "WorkQueue", "QUBOModel", "_PostgresTestSupport",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "TuningTests",
      dependencies: ["Tuning", "QUBOModel", "QUBOEncoding", "Annealing", "WorkQueue"]),
  ],
  swiftLanguageModes: [.v6]
)
