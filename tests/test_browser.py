"""The HTML view in a real browser: headless Chromium with the network disabled.

Each page is opened with ``#selftest`` (see kg/viz.py): once the physics has
settled and frozen, the page writes a JSON report (node and edge counts, the
console errors it captured, every resource it loaded, whether the planted
payload ran) into ``<pre id="kg-selftest">``, which ``--dump-dom`` prints.
``#selftest:hover=ID`` also moves the mouse onto a node or edge and reports the
tooltip vis-network shows.

Chromium is found as ``$KG_CHROMIUM``, ``chromium``, ``chromium-browser`` or
``google-chrome``.  When it is missing these tests are skipped, except when
``CI=true``, where they fail (``.ci/run`` installs ``chromium`` and
``fonts-wqy-microhei``).  Screenshots are kept under each test's tmp dir; set
``KG_UPDATE_SCREENSHOTS=1`` to copy the seed graph's to docs/screenshots/.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from test_graph import XSS, build_fixture
from test_viz import page_data

from kg.graph import load_build, to_networkx
from kg.viz import render

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SELFTEST_RE = re.compile(r'<pre id="kg-selftest"[^>]*>(.*?)</pre>', re.S)
_runs = itertools.count()


@pytest.fixture(scope="session")
def chromium() -> str:
    for cand in (os.environ.get("KG_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if cand and (path := shutil.which(cand)):
            return path
    if os.environ.get("CI") == "true":
        pytest.fail(
            "headless Chromium is required in CI: apt-get install chromium fonts-wqy-microhei"
        )
    pytest.skip("headless Chromium is not installed (apt-get install chromium)")


def run_chromium(
    exe: str,
    tmp: Path,
    url: str,
    *,
    action: list[str],
    budget_ms: int = 20000,
) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium once, offline, with a fresh profile."""
    profile = tmp / f"profile-{next(_runs)}"
    cmd = [
        exe,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        f"--user-data-dir={profile}",
        # the network is disabled: every request goes to a dead proxy, no name resolves
        "--proxy-server=127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--window-size=1400,900",
        "--hide-scrollbars",
        f"--virtual-time-budget={budget_ms}",
        "--enable-logging=stderr",
        "--v=0",
        *action,
        url,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=180)
    shutil.rmtree(profile, ignore_errors=True)
    return proc


def console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "CONSOLE" in line]


def selftest(
    exe: str, tmp: Path, page: Path, *, hover: str | None = None
) -> tuple[dict[str, Any], str, list[str]]:
    """Open ``page#selftest``; return the page's report, the dumped DOM and the console."""
    frag = "#selftest" + (f":hover={hover}" if hover else "")
    proc = run_chromium(exe, tmp, page.resolve().as_uri() + frag, action=["--dump-dom"])
    m = SELFTEST_RE.search(proc.stdout)
    assert m and m.group(1).strip(), "the page wrote no self-test report; console:\n" + "\n".join(
        console_lines(proc.stderr)
    )
    report: dict[str, Any] = json.loads(html.unescape(m.group(1)))
    return report, proc.stdout, console_lines(proc.stderr)


def screenshot(exe: str, tmp: Path, page: Path, png: Path) -> None:
    proc = run_chromium(exe, tmp, page.resolve().as_uri(), action=[f"--screenshot={png}"])
    assert png.is_file(), proc.stderr[-2000:]
    head = png.read_bytes()[:8]
    assert head == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 10_000  # a drawn network, not a blank page


def assert_healthy(report: dict[str, Any], console: list[str]) -> None:
    assert report["errors"] == [], report["errors"]
    bad = [line for line in console if "Uncaught" in line or "Content Security Policy" in line]
    assert bad == [], bad
    assert report["resources"] == [], "the page loaded resources: " + repr(report["resources"])
    assert report["pwned"] is None
    assert report["stabilized"] is True
    assert report["frozenBy"] in {"stabilization", "empty"}  # settled, not cut off by the timer
    assert report["physicsEnabled"] is False  # frozen after stabilisation
    hidden = 0 if report["isolatedShown"] else report["isolated"]
    assert report["visible"] == {"nodes": report["nodes"] - hidden, "edges": report["edges"]}
    assert report["drawnNodes"] == report["nodes"] - hidden
    assert report["drawnEdges"] == report["edges"]
    assert report["hiddenByKindFilter"] == {"nodes": 0, "edges": 0}
    assert report["withIsolated"] == {"nodes": report["nodes"], "edges": report["edges"]}
    assert report["noPredicates"]["edges"] == 0
    assert report["tipElements"] == 0


@pytest.fixture(scope="module")
def G() -> nx.MultiDiGraph:
    return to_networkx(build_fixture())


# --------------------------------------------------------------------------- fixture graph


def test_full_view(chromium: str, G: nx.MultiDiGraph, tmp_path: Path) -> None:
    page = tmp_path / "full.html"
    render(G, page)
    report, dom, console = selftest(chromium, tmp_path, page)
    assert (report["nodes"], report["edges"]) == (9, 7)
    assert_healthy(report, console)
    assert report["searchHits"] >= 1
    # the province filter keeps the nodes of that province (no summary nodes here)
    assert report["byProvince"] == {"甲省": 4, "丁省": 2}
    # the tooltips (added to the DOM by the self-test) hold the payload as text
    assert html.escape("<script>window.__kgPwned", quote=False) in dom
    screenshot(chromium, tmp_path, page, tmp_path / "full.png")


def test_planted_script_is_text_in_the_tooltip(
    chromium: str, G: nx.MultiDiGraph, tmp_path: Path
) -> None:
    page = tmp_path / "xss.html"
    render(G, page)
    data = page_data(page)
    in_sentence = [
        e["id"] for e in data["edges"] if any(XSS in v["sentence"] for v in e["evidence"])
    ]
    in_title = [e["id"] for e in data["edges"] if any(XSS in v["article"] for v in e["evidence"])]
    assert in_sentence and in_title
    for edge in sorted({in_sentence[0], in_title[0]}):
        report, _, _ = selftest(chromium, tmp_path, page, hover=edge)
        hover = report["hover"]
        assert hover.get("visible") is True, hover
        assert XSS in hover["text"]  # shown literally, as text
        assert hover["elements"] == 0  # no <script>/<img> element was created
        assert report["pwned"] is None  # and nothing ran
        assert report["errors"] == []


def test_injected_markup_would_not_run(chromium: str, G: nx.MultiDiGraph, tmp_path: Path) -> None:
    """Defence in depth: the page's CSP lets only its own scripts run."""
    page = tmp_path / "csp.html"
    render(G, page)
    text = page.read_text(encoding="utf-8")
    planted = XSS + "<script>window.__kgPwned='inline'</script>"
    page.write_text(text.replace("</body>", planted + "</body>"), encoding="utf-8")
    report, _, console = selftest(chromium, tmp_path, page)
    assert report["pwned"] is None
    blocked = [line for line in console if "Content Security Policy" in line and "blocked" in line]
    assert len(blocked) >= 3, console  # the <script>, the onerror handler and the <img> load


def test_node_tooltip(chromium: str, G: nx.MultiDiGraph, tmp_path: Path) -> None:
    page = tmp_path / "node.html"
    render(G, page)
    node = next(n for n in page_data(page)["nodes"] if n["label"] == "甲省总工会")
    report, _, _ = selftest(chromium, tmp_path, page, hover=node["id"])
    assert report["hover"]["visible"] is True
    for text in ("甲省总工会", "甲省", "甲省总", "省级总工会"):
        assert text in report["hover"]["text"]


def test_ego_view(chromium: str, G: nx.MultiDiGraph, tmp_path: Path) -> None:
    page = tmp_path / "ego.html"
    render(G, page, focus="甲省总工会", hops=1)
    report, dom, console = selftest(chromium, tmp_path, page)
    assert (report["nodes"], report["edges"]) == (3, 2)
    assert_healthy(report, console)
    assert "甲省总工会" in dom


@pytest.mark.slow
def test_large_graph_is_reduced_and_settles(chromium: str, tmp_path: Path) -> None:
    H = nx.gnm_random_graph(900, 1800, seed=3, directed=True)
    big = nx.MultiDiGraph()
    kinds = ["UnionBody", "PartnerAgency", "Program", "WorkerGroup"]
    for n in sorted(H.nodes):
        big.add_node(f"n{n}", label=f"机构{n}", type=kinds[n % 4], province="", aliases=[])
    for u, v in sorted(H.edges):
        big.add_edge(f"n{u}", f"n{v}", key="runs", predicate="runs", weight=1, evidence=[])
    page = tmp_path / "big.html"
    rep = render(big, page, max_nodes=300)
    assert rep.reduced and rep.nodes <= 300
    report, _, console = selftest(chromium, tmp_path, page)
    assert report["nodes"] == rep.nodes and report["edges"] == rep.edges
    assert_healthy(report, console)


# --------------------------------------------------------------------------- seeds


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seeds") / "build"
    proc = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", str(ROOT / "seeds"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    if proc.returncode != 0 or not (out / "graph.trig").is_file():
        pytest.skip(f"`kg build seeds` does not work yet: {proc.stderr.strip()[-300:]}")
    return out


def test_seed_network_page(chromium: str, seed_build: Path, tmp_path: Path) -> None:
    """The network.html that `kg build` writes works offline."""
    page = seed_build / "network.html"
    assert page.is_file()
    G = load_build(seed_build)
    report, _, console = selftest(chromium, tmp_path, page)
    if G.number_of_nodes() <= 500:  # kg build's default --max-nodes
        assert (report["nodes"], report["edges"]) == (G.number_of_nodes(), G.number_of_edges())
    else:
        assert report["nodes"] <= 500
    assert report["nodes"] >= 10 and report["edges"] >= 5
    assert_healthy(report, console)
    png = tmp_path / "seed-graph.png"
    screenshot(chromium, tmp_path, page, png)
    if os.environ.get("KG_UPDATE_SCREENSHOTS") == "1":
        target = ROOT / "docs" / "screenshots" / "seed-graph.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, target)


def test_seed_ego_view_of_a_provincial_union(
    chromium: str, seed_build: Path, tmp_path: Path
) -> None:
    G = load_build(seed_build)
    page = tmp_path / "jiangsu.html"
    rep = render(G, page, focus="江苏省总工会", hops=1)
    assert rep.focus == ("江苏省总工会",)
    assert rep.nodes >= 2
    report, dom, console = selftest(chromium, tmp_path, page)
    assert (report["nodes"], report["edges"]) == (rep.nodes, rep.edges)
    assert_healthy(report, console)
    assert "江苏省总工会" in dom
    screenshot(chromium, tmp_path, page, tmp_path / "jiangsu.png")
