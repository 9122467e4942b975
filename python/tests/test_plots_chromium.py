"""Every kind of SVG the CLI writes, opened in headless Chromium as a user's
browser opens it: the file parses as XML, the drawing is not empty, every
text label lies inside the picture, and no two labels overlap.

The geometry is measured by Chromium itself (getBoundingClientRect after
layout and font shaping), so a label that only fits in our own estimate of
its width fails here.
"""

import html
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

TINY_SWEEP = """\
name: chromium-check
seed: 7
reads: 8
seeds: 1
tts_unit: spin_updates
instances:
  - generator: frustrated_loops
    graph: cubic
    sizes: [3, 4]
    seeds: [1, 2]
samplers:
  - sampler: sa
    grid:
      sweeps: [10, 100, 1000]
  - sampler: sqa
    grid:
      sweeps: [10, 100]
      trotter: [4, 8]
"""

# The page Chromium lays out: the SVG inline, and a script that writes what
# it measured into <pre id="result"> for --dump-dom to print.
HARNESS = """<!DOCTYPE html><html><body style="margin:0">{svg}
<pre id="result"></pre>
<script>
const svg = document.querySelector("svg");
const box = svg.getBoundingClientRect();
const texts = [...svg.querySelectorAll("text")]
  .filter(t => t.textContent.trim() !== "")
  .map(t => ({{text: t.textContent.trim(), r: t.getBoundingClientRect()}}));
const outside = texts.filter(t => t.r.left < box.left - 0.5 || t.r.right > box.right + 0.5
  || t.r.top < box.top - 0.5 || t.r.bottom > box.bottom + 0.5).map(t => t.text);
const overlaps = [];
for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {{
  const a = texts[i].r, b = texts[j].r;
  const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  if (w > 1 && h > 1) overlaps.push([texts[i].text, texts[j].text]);
}}
const marks = svg.querySelectorAll("path, line, polyline, circle, rect").length;
document.getElementById("result").textContent = JSON.stringify(
  {{width: box.width, height: box.height, texts: texts.length, marks, outside, overlaps}});
</script></body></html>"""


@pytest.fixture(scope="module")
def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI") == "true":
        pytest.fail("no chromium: scripts/setup.sh --with-python installs it; CI=true needs it")
    pytest.skip("no chromium on PATH (apt-get install -y chromium)")


def dump_dom(chromium: str, page: Path) -> str:
    done = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=3000",
         "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def plots(anneal_cli, tmp_path_factory) -> list:
    """The SVGs of a small sweep, a small tuning study and a small quantization, as the CLI writes them."""
    work = tmp_path_factory.mktemp("plots")
    spec = work / "sweep.yaml"
    spec.write_text(TINY_SWEEP)
    sweep = run_cli(anneal_cli, "sweep", str(spec), "--output", str(work / "sweep"))
    assert sweep.returncode == 0, sweep.stderr[-2000:]
    tune = subprocess.run(
        [anneal_cli, "tune", "problems/tune-quadratic.yaml", "--trials", "14",
         "--report", str(work / "tune")],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert tune.returncode == 0, tune.stderr[-2000:]
    # A study with a long name: the report's titles are set smaller to fit.
    long_spec = work / "long-name.yaml"
    long_spec.write_text((ROOT / "problems/tune-quadratic.yaml").read_text().replace(
        "name: quadratic", "name: " + "a_study_whose_name_is_much_longer_than_a_title_line" * 2, 1))
    tune_long = subprocess.run(
        [anneal_cli, "tune", str(long_spec), "--trials", "12", "--report", str(work / "tune-long")],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert tune_long.returncode == 0, tune_long.stderr[-2000:]
    quantize = run_cli(anneal_cli, "quantize", "--dataset", "iris", "--hidden", "6", "--bits", "2",
                       "--seeds", "1-3", "--methods", "rtn,greedy,anneal",
                       "--plot", str(work / "quantize-energy-accuracy.svg"))
    assert quantize.returncode == 0, quantize.stderr[-2000:]
    svgs = sorted(work.rglob("*.svg"))
    names = {p.name.split("-")[0] for p in svgs}
    # Every kind of plot is here: TTS and residual against sweeps, the optimal
    # TTS against size, the success heat map, the tuning report's two and
    # quantize's energy against accuracy.
    assert {"tts_vs_sweeps", "residual_vs_sweeps", "optimal_tts.svg", "success_heatmap",
            "history.svg", "importance.svg", "quantize"} <= names, names
    return svgs


def layout_problems(chromium: str, svg: Path, work: Path) -> list:
    """What is wrong with `svg` as Chromium lays it out (empty when nothing)."""
    # Opened directly, a malformed SVG shows Chromium's XML error page.
    raw = dump_dom(chromium, svg)
    if "parsererror" in raw or "<svg" not in raw:
        return [f"{svg.name}: Chromium could not parse it as SVG"]
    text = svg.read_text()
    page = work / (svg.stem + ".html")
    page.write_text(HARNESS.format(svg=text[text.index("<svg"):]))
    dom = dump_dom(chromium, page)
    start = dom.index('<pre id="result">') + len('<pre id="result">')
    result = json.loads(html.unescape(dom[start:dom.index("</pre>", start)]))
    problems = []
    if result["width"] < 100 or result["height"] < 100:
        problems.append(f"{svg.name}: laid out {result['width']}x{result['height']}")
    if result["marks"] < 5 or result["texts"] < 3:
        problems.append(f"{svg.name}: nearly empty ({result['marks']} marks, {result['texts']} labels)")
    if result["outside"]:
        problems.append(f"{svg.name}: labels outside the picture: {result['outside'][:5]}")
    if result["overlaps"]:
        problems.append(f"{svg.name}: overlapping labels: {result['overlaps'][:5]}")
    return problems


def test_every_plot_parses_and_lays_out_cleanly(chromium, plots, tmp_path):
    problems = [p for svg in plots for p in layout_problems(chromium, svg, tmp_path)]
    assert not problems, "\n".join(problems)


def test_the_check_sees_broken_plots(chromium, tmp_path):
    """The check fails on what it is meant to catch."""
    head = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">'
    marks = "".join(f'<line x1="{k}" y1="0" x2="{k}" y2="10" stroke="black"/>' for k in range(6))
    cases = {
        "malformed.svg": (head + '<text x="10" y="20">a & b</text></svg>', "could not parse"),
        "overlap.svg": (head + marks + '<text x="50" y="50">1e+06</text><text x="55" y="50">2e+06</text>'
                        '<text x="200" y="200">axis</text></svg>', "overlapping labels"),
        "outside.svg": (head + marks + '<text x="380" y="50">a long tick label</text>'
                        '<text x="10" y="100">x</text><text x="10" y="200">y</text></svg>',
                        "labels outside"),
    }
    for name, (body, expected) in cases.items():
        svg = tmp_path / name
        svg.write_text(body)
        problems = layout_problems(chromium, svg, tmp_path)
        assert any(expected in p for p in problems), (name, problems)
