#!/usr/bin/env bash
# Installs what Anneal needs on a fresh Debian machine that has the Swift
# toolchain: GSL (libgsl-dev, with pkg-config) and libpq (libpq-dev, the
# PostgreSQL client library) through apt-get, and, for the
# interoperability tests, Python's dimod in a virtual environment (and
# headless Chromium for the plot checks).
# Safe to run again: it installs only what is missing.
set -euo pipefail

need_apt=()
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
pkg-config --exists gsl 2>/dev/null || need_apt+=(libgsl-dev)
pkg-config --exists libpq 2>/dev/null || need_apt+=(libpq-dev)
pkg-config --exists sqlite3 2>/dev/null || need_apt+=(libsqlite3-dev)  # GRDB (Tuning storage)
command -v faketime >/dev/null 2>&1 || need_apt+=(faketime)  # skewed-clock worker tests (libfaketime)
if [ ${#need_apt[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing ${need_apt[*]} with apt-get" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >&2
fi

if [ "${1:-}" = "--with-python" ]; then
  venv="${ANNEAL_VENV:-$HOME/.cache/anneal-dimod}"
  # Without dimod the interoperability tests skip, with the reason recorded;
  # in CI (CI=true) they must run, so a failed install fails here.
  no_dimod() {
    if [ "${CI:-}" = "true" ]; then
      echo "setup: $1; CI=true needs dimod for the interoperability tests" >&2
      exit 1
    fi
    echo "setup: $1; the dimod interoperability tests will be skipped" >&2
  }
  if ! "$venv/bin/python" -c "import dimod" >/dev/null 2>&1; then
    echo "setup: installing dimod into $venv" >&2
    if ! command -v python3 >/dev/null 2>&1 || ! python3 -m venv "$venv" >/dev/null 2>&1; then
      # Debian's python3 needs python3-venv for `python3 -m venv`.
      sudo=""
      [ "$(id -u)" -ne 0 ] && sudo="sudo"
      $sudo apt-get update -qq || true
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3 python3-venv >&2 || true
      rm -rf "$venv"
      python3 -m venv "$venv" >&2 || true
    fi
    if [ ! -x "$venv/bin/pip" ]; then
      no_dimod "could not create a Python venv in $venv"
    elif ! "$venv/bin/pip" install -q dimod >&2; then
      no_dimod "could not install dimod into $venv"
    elif ! "$venv/bin/python" -c "import dimod" >/dev/null 2>&1; then
      no_dimod "dimod installed into $venv but does not import"
    fi
  fi
  # The ONNX quantization tests build models with scikit-learn + skl2onnx
  # and onnx.helper and run them in onnxruntime (no torch: from PyPI it
  # pulls gigabytes of GPU libraries). Same rule: CI=true must have them.
  onnx_modules="import onnx, onnxruntime, skl2onnx, sklearn"
  if [ -x "$venv/bin/pip" ] && ! "$venv/bin/python" -c "$onnx_modules" >/dev/null 2>&1; then
    echo "setup: installing onnx, onnxruntime, skl2onnx, scikit-learn into $venv" >&2
    if ! "$venv/bin/pip" install -q onnx onnxruntime skl2onnx scikit-learn >&2 \
      || ! "$venv/bin/python" -c "$onnx_modules" >/dev/null 2>&1; then
      if [ "${CI:-}" = "true" ]; then
        echo "setup: could not install onnx, onnxruntime, skl2onnx, scikit-learn into $venv;" \
          "CI=true needs them for the ONNX quantization tests" >&2
        exit 1
      fi
      echo "setup: no onnx/onnxruntime/skl2onnx in $venv; the ONNX tests will be skipped" >&2
    fi
  fi
  # Headless Chromium renders every kind of plot the CLI writes
  # (python/tests/test_plots_chromium.py), with the fonts a desktop has.
  if ! command -v chromium >/dev/null 2>&1; then
    echo "setup: installing chromium and fonts with apt-get" >&2
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    if ! { $sudo apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
        chromium fonts-liberation fonts-dejavu-core >&2; }; then
      if [ "${CI:-}" = "true" ]; then
        echo "setup: could not install chromium; CI=true needs it for the plot checks" >&2
        exit 1
      fi
      echo "setup: no chromium; the plot checks will be skipped" >&2
    fi
  fi
  # The Python package (python/) and what its tests need: numpy, optuna,
  # pytest, dwave-preprocessing (SpinReversalTransformComposite). The
  # package is (re)installed when it does not import or when a Swift source
  # is newer than its bundled library; `pip install ./python` builds
  # libAnnealC in release (several minutes on a small machine).
  no_python_package() {
    if [ "${CI:-}" = "true" ]; then
      echo "setup: $1; CI=true needs the Python package for its tests" >&2
      exit 1
    fi
    echo "setup: $1; the Python package tests will be skipped" >&2
  }
  if [ -x "$venv/bin/pip" ]; then
    if ! "$venv/bin/python" -c "import numpy, optuna, pytest, dwave.preprocessing" >/dev/null 2>&1; then
      echo "setup: installing numpy, optuna, pytest, dwave-preprocessing into $venv" >&2
      "$venv/bin/pip" install -q numpy optuna pytest dwave-preprocessing >&2 \
        || no_python_package "could not install numpy, optuna, pytest or dwave-preprocessing"
    fi
    # `anneal serve`'s tests (python/tests/test_serve.py): schemathesis
    # against docs/openapi.yaml, jsonschema and PyYAML for the response checks.
    if ! "$venv/bin/python" -c "import schemathesis, jsonschema, yaml" >/dev/null 2>&1; then
      echo "setup: installing schemathesis, jsonschema, pyyaml into $venv" >&2
      "$venv/bin/pip" install -q schemathesis jsonschema pyyaml >&2 \
        || no_python_package "could not install schemathesis, jsonschema or pyyaml"
    fi
    lib="$("$venv/bin/python" -c "import anneal; print(anneal.library_path())" 2>/dev/null || true)"
    if [ -z "$lib" ] || [ ! -f "$lib" ] \
      || [ -n "$(find Sources Package.swift -newer "$lib" -name '*.swift' -print -quit 2>/dev/null)" ] \
      || [ -n "$(find python/anneal -newer "$lib" -name '*.py' -print -quit 2>/dev/null)" ]; then
      echo "setup: pip install ./python (builds libAnnealC in release)" >&2
      "$venv/bin/pip" install -q ./python >&2 || no_python_package "pip install ./python failed"
    fi
  fi
fi
