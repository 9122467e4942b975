#!/usr/bin/env bash
# Sets up, builds in release mode and runs the main job on shipped data:
# max-cut of a Gset graph from a file, then the QUBOEncoding examples
# (knapsack, colouring, partition, max-cut, TSP written with the Swift DSL,
# each checked against its known optimum), then a small network's weights
# quantized to 2 bits by annealing rounding QUBOs (problems/datasets/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product anneal
swift build -c release --product Examples
bin=.build/release/anneal
echo "== Max-cut of Gset G11 (800 nodes, toroidal grid, best known cut 564), simulated annealing"
"$bin" solve problems/G11.gset --sampler sa --reads 16 --sweeps 4000 --seed 1
echo
echo "== The same graph by path-integral simulated quantum annealing (P = 16 slices)"
"$bin" solve problems/G11.gset --sampler sqa --trotter 16 --reads 4 --sweeps 2000 --seed 1
echo
echo "== Problems written with the QUBOEncoding DSL (problems/manifest.json)"
.build/release/Examples
echo
echo "== A 13-16-3 network on the wine dataset, weights quantized to 2 bits: rounding QUBOs"
echo "   annealed by SQA against round-to-nearest, greedy descent and GPTQ, each fine-tuned"
"$bin" quantize --dataset wine --bits 2 --hidden 16 --seeds 1-5
