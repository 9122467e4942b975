// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "Anneal",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "Anneal", targets: ["Anneal"]),
    .executable(name: "anneal", targets: ["AnnealCLI"]),
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
    .target(name: "QUBOModel"),
    .target(name: "Annealing", dependencies: ["QUBOModel"]),
    .target(name: "QUBOEncoding", dependencies: ["QUBOModel"]),
    .target(
      name: "Anneal",
      dependencies: ["QUBOModel", "QUBOEncoding", "Annealing", "Tuning"]),
    .target(
      name: "Tuning",
      dependencies: [
        "QUBOModel", "QUBOEncoding", "Annealing",
        .product(name: "GRDB", package: "GRDB.swift"),
      ]),
    .executableTarget(
      name: "AnnealCLI",
      dependencies: [
        "Anneal",
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
    .executableTarget(
      name: "Examples", dependencies: ["QUBOEncoding", "QUBOModel", "Annealing"]),
    .testTarget(
      name: "QUBOEncodingTests",
      dependencies: ["QUBOEncoding", "QUBOModel", "Annealing", "Examples"]),
    .testTarget(name: "AnnealCLITests", dependencies: ["AnnealCLI"]),
    .testTarget(
      name: "TuningTests", dependencies: ["Tuning", "QUBOModel", "QUBOEncoding", "Annealing"]),
  ],
  swiftLanguageModes: [.v6]
)
