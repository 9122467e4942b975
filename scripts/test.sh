#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, then `swift test`,
# then (without arguments) the Python package's tests with pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-python
venv="${ANNEAL_VENV:-$HOME/.cache/anneal-dimod}"
if [ -x "$venv/bin/python" ]; then export ANNEAL_PYTHON="$venv/bin/python"; fi
swift build --build-tests
swift test --skip-build "$@"
# The Python package (python/tests): dimod's sampler suite, CLI identity,
# Optuna. A failing pytest fails this script (set -e); a missing package
# skips with the reason, except in CI where setup.sh has already failed.
if [ $# -eq 0 ]; then
  if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import anneal, optuna, pytest" 2>/dev/null; then
    ANNEAL_CLI="$(swift build --show-bin-path)/anneal" \
      "$venv/bin/python" -m pytest python/tests -q -p no:cacheprovider
  elif [ "${CI:-}" = "true" ]; then
    echo "test: the Python package does not import; CI=true needs its tests" >&2
    exit 1
  else
    echo "test: skipping python/tests (the anneal package is not installed in $venv)" >&2
  fi
fi
