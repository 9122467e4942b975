"""include/anneal.h compiles as C11 and links against the bundled library."""

import shutil
import subprocess

import pytest

import anneal
from conftest import ROOT


def test_header_compiles_and_links(tmp_path):
    compiler = shutil.which("clang") or shutil.which("cc")
    if compiler is None:
        pytest.skip("no C compiler (clang or cc) on PATH")
    lib = anneal.library_path()
    exe = tmp_path / "header_check"
    subprocess.run(
        [compiler, "-Wall", "-Wextra", "-Werror", "-std=c11",
         f"-I{ROOT / 'Sources' / 'AnnealC' / 'include'}",
         str(ROOT / "python" / "tests" / "c" / "header_check.c"),
         str(lib), f"-Wl,-rpath,{lib.parent}", "-lm", "-o", str(exe)],
        check=True,
    )
    out = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout
    assert "rows=8 best=-3.5" in out
    assert "status 1: the linear bias of variable 0 is nan" in out
    assert "propose 0: 2 rows" in out
