#!/usr/bin/env bash
# Regenerates Sources/ONNX/Proto/onnx_subset.pb.swift from onnx_subset.proto.
# The generated file is committed, so neither builds nor CI run this.
#
# Needs protoc (Debian: protobuf-compiler) and protoc-gen-swift of the same
# swift-protobuf version as Package.swift (1.39.0). Give the plugin's path in
# PROTOC_GEN_SWIFT, or let this script build it from a clone of
# swift-protobuf at that tag (about ten minutes on two cores).
set -euo pipefail
cd "$(dirname "$0")/.."
version=1.39.0
plugin="${PROTOC_GEN_SWIFT:-}"
if [ -z "$plugin" ]; then
  work="${TMPDIR:-/tmp}/anneal-protoc-gen-swift-$version"
  if [ ! -x "$work/.build/release/protoc-gen-swift" ]; then
    rm -rf "$work"
    git clone -q --branch "$version" --depth 1 https://github.com/apple/swift-protobuf "$work"
    (cd "$work" && nice -n 15 swift build -c release --product protoc-gen-swift)
  fi
  plugin="$work/.build/release/protoc-gen-swift"
fi
command -v protoc >/dev/null || { echo "protoc not found (apt-get install protobuf-compiler)" >&2; exit 1; }
protoc --plugin=protoc-gen-swift="$plugin" \
  --swift_opt=Visibility=Internal \
  --swift_out=Sources/ONNX/Proto \
  --proto_path=Sources/ONNX/Proto \
  onnx_subset.proto
echo "wrote Sources/ONNX/Proto/onnx_subset.pb.swift" >&2
