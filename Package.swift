// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "Anneal",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "Anneal", targets: ["Anneal"]),
    // The readers alone, for tools that need nothing else (Fuzz/).
    .library(name: "QUBOModel", targets: ["QUBOModel"]),
    .executable(name: "anneal", targets: ["AnnealCLI"]),
    .library(name: "AnnealLearning", targets: ["Learning"]),
  ],
  dependencies: [
    .package(
      url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
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
      name: "TuningPostgres", dependencies: ["Tuning", "PostgresSupport", "QUBOModel"]),
    .target(
      name: "SweepsPostgres", dependencies: ["Sweeps", "PostgresSupport", "QUBOModel"]),
    .target(name: "QUBOModel"),
    .target(name: "Annealing", dependencies: ["QUBOModel"]),
    .target(name: "QUBOEncoding", dependencies: ["QUBOModel"]),
    .target(name: "Plots"),
    .target(
      name: "Sweeps",
      dependencies: [
        "QUBOModel", "Annealing", "Plots", .product(name: "Yams", package: "Yams"),
      ]),
    .target(
      name: "Learning",
      dependencies: ["QUBOModel", "QUBOEncoding", "Annealing", "GSLSupport"]),
    .target(
      name: "Anneal",
      dependencies: ["QUBOModel", "QUBOEncoding", "Annealing", "Tuning", "Sweeps", "Plots"]),
    .target(
      name: "Tuning",
      dependencies: [
        "QUBOModel", "QUBOEncoding", "Annealing",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Yams", package: "Yams"),
      ]),
    .executableTarget(
      name: "AnnealCLI",
      dependencies: [
        "Anneal",
        "Learning",
        "TuningPostgres",
        "SweepsPostgres",
        "PostgresSupport",
        .product(name: "Yams", package: "Yams"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .target(
      name: "_TestSupport", dependencies: ["QUBOModel", "Annealing"]),
    .testTarget(
      name: "QUBOModelTests",
      dependencies: ["QUBOModel", "Annealing", "_TestSupport"],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "AnnealingTests",
      dependencies: ["Annealing", "QUBOModel", "_TestSupport", "GSLSupport"]),
    .testTarget(name: "GSLSupportTests", dependencies: ["GSLSupport"]),
    .testTarget(
      name: "PostgresSupportTests", dependencies: ["PostgresSupport", "TuningPostgres", "Tuning"]),
    .executableTarget(
      name: "Examples", dependencies: ["QUBOEncoding", "QUBOModel", "Annealing"]),
    .testTarget(
      name: "QUBOEncodingTests",
      dependencies: ["QUBOEncoding", "QUBOModel", "Annealing", "Examples"]),
    .testTarget(name: "AnnealCLITests", dependencies: ["AnnealCLI"]),
    .testTarget(
      name: "SweepsTests",
      dependencies: ["Sweeps", "Plots", "QUBOModel", "Annealing", "_TestSupport"]),
    .testTarget(
      name: "SweepsPostgresTests",
      dependencies: ["SweepsPostgres", "Sweeps", "PostgresSupport", "QUBOModel", "TuningPostgres"]),
    .testTarget(
      name: "LearningTests",
      dependencies: ["Learning", "QUBOModel", "Annealing", "GSLSupport"]),
    .testTarget(
      name: "TuningTests", dependencies: ["Tuning", "QUBOModel", "QUBOEncoding", "Annealing"]),
  ],
  swiftLanguageModes: [.v6]
)
