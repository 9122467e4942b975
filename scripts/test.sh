#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, then `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-python
venv="${ANNEAL_VENV:-$HOME/.cache/anneal-dimod}"
if [ -x "$venv/bin/python" ]; then export ANNEAL_PYTHON="$venv/bin/python"; fi
swift build --build-tests
swift test --skip-build "$@"
