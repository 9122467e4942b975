// swift-tools-version:6.1
// Kernel throughput and allocation benchmarks (package-benchmark).
//
//   cd Benchmarks && swift package benchmark
//
// A nested package, so the library itself never depends on the benchmark
// harness; CI neither builds nor runs it (run it by hand, release mode).
import PackageDescription

import class Foundation.NSString

// A path dependency's identity is the name of its directory, which differs
// between checkouts (`anneal`, `main`, a worktree); derive it.
let rootIdentity = ((#filePath as NSString).deletingLastPathComponent as NSString)
  .deletingLastPathComponent.split(separator: "/").last.map(String.init) ?? "anneal"

let package = Package(
  name: "AnnealBenchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(path: ".."),
    .package(
      url: "https://github.com/ordo-one/benchmark", exact: "1.38.1",
      traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "Kernels",
      dependencies: [
        .product(name: "Anneal", package: rootIdentity),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/Kernels",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
  ],
  swiftLanguageModes: [.v5]
)
