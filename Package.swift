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
  ],
  dependencies: [
    .package(
      url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
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
      dependencies: ["QUBOModel", "QUBOEncoding", "Annealing", "GSLSupport"]),
    .executableTarget(
      name: "AnnealCLI",
      dependencies: [
        "Anneal",
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
  ],
  swiftLanguageModes: [.v5]
)
