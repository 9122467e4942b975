// swift-tools-version:6.1
// libFuzzer harnesses for the model readers, the JSON parser and the tuning
// spec reader.
//
//   cd Fuzz && ./run.sh [SECONDS]
//
// A nested package, so the library never depends on it; CI neither builds
// nor runs it (it needs `-sanitize=fuzzer`, which only a Linux or a
// toolchain.org toolchain ships). See README.md.
import PackageDescription

import class Foundation.NSString

// A path dependency's identity is the name of its directory, which differs
// between checkouts (`anneal`, `main`, a worktree); derive it.
let rootIdentity =
  ((#filePath as NSString).deletingLastPathComponent as NSString)
  .deletingLastPathComponent.split(separator: "/").last.map(String.init) ?? "anneal"

let package = Package(
  name: "AnnealFuzz",
  platforms: [.macOS(.v15)],
  dependencies: [.package(path: "..")],
  targets: [
    .executableTarget(
      name: "AnnealFuzz",
      dependencies: [
        .product(name: "QUBOModel", package: rootIdentity),
        // Sweep and tuning specs (the `sweepspec` and `tunespec` targets).
        .product(name: "Anneal", package: rootIdentity),
      ],
      // libFuzzer supplies `main`; the harness only exports its entry point.
      swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    ),
    // The learning front end's readers (ONNX, dataset CSV, calibration
    // data); a target of its own because it links GSL through Learning.
    .executableTarget(
      name: "LearningFuzz",
      dependencies: [
        .product(name: "AnnealLearning", package: rootIdentity),
        .product(name: "AnnealONNX", package: rootIdentity),
      ],
      swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    ),
  ],
  swiftLanguageModes: [.v5]
)
