#!/usr/bin/env bash
# Sets up, builds in release mode and runs the main job on a shipped instance.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product anneal
bin=.build/release/anneal
echo "== Max-cut of Gset G11 (800 nodes, toroidal, best known cut 564)"
"$bin" solve problems/G11.gset --sampler sa --reads 16 --sweeps 4000 --seed 1
