"""Shared fixtures: the `anneal` executable for the CLI comparisons."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def anneal_cli() -> str:
    """The CLI: $ANNEAL_CLI, else the package's debug or release build."""
    for candidate in (
        os.environ.get("ANNEAL_CLI"),
        ROOT / ".build" / "debug" / "anneal",
        ROOT / ".build" / "release" / "anneal",
        shutil.which("anneal"),
    ):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    pytest.fail("no anneal executable: run `swift build` or set ANNEAL_CLI")


def run_cli(cli: str, *args: str) -> subprocess.CompletedProcess:
    """Runs the CLI; the caller checks the exit code."""
    return subprocess.run([cli, *args], capture_output=True, text=True, timeout=300)


def pytest_terminal_summary(terminalreporter):
    """Says how many of dimod's own generated sampler tests ran and passed."""
    counts = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            if "test_dimod_suite.py::Test" in getattr(report, "nodeid", "") and report.when == "call":
                counts[outcome] = counts.get(outcome, 0) + 1
    if counts:
        summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        terminalreporter.write_line(f"dimod.testing.load_sampler_bqm_tests on 6 samplers: {summary}")
