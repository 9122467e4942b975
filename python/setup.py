"""Builds libAnnealC with SwiftPM (release) and bundles it in the wheel.

`pip install ./python` runs `swift build -c release --product AnnealC` in the
package root (the directory above this one, or $ANNEAL_SOURCE_DIR) and copies
the library next to the Python modules. The wheel is platform-specific; the
library finds the Swift runtime through its RUNPATH (the toolchain's lib
directory), so it runs on machines with the same toolchain.
"""

import os
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

HERE = Path(__file__).resolve().parent
LIBRARY = "libAnnealC.so"


def package_root() -> Path:
    root = Path(os.environ.get("ANNEAL_SOURCE_DIR", HERE.parent)).resolve()
    if not (root / "Package.swift").exists():
        raise RuntimeError(
            f"{root} has no Package.swift: install from a checkout of Anneal "
            "(pip install ./python) or set ANNEAL_SOURCE_DIR"
        )
    return root


class BuildSwift(build_py):
    """build_py that first builds the Swift library and copies it in."""

    def run(self) -> None:
        root = package_root()
        command = ["swift", "build", "-c", "release", "--product", "AnnealC"]
        print("anneal: " + " ".join(command) + f"  (in {root})")
        subprocess.run(command, cwd=root, check=True)
        bin_dir = subprocess.run(
            command[:4] + ["--show-bin-path"], cwd=root, check=True,
            capture_output=True, text=True,
        ).stdout.strip()
        built = Path(bin_dir) / LIBRARY
        if not built.exists():
            raise RuntimeError(f"swift build did not produce {built}")
        shutil.copy2(built, HERE / "anneal" / LIBRARY)
        super().run()


class BinaryDistribution(Distribution):
    """A platform wheel: the package carries a native library."""

    def has_ext_modules(self) -> bool:
        return True


setup(cmdclass={"build_py": BuildSwift}, distclass=BinaryDistribution)
