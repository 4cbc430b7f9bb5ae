"""The HTML view (kg.viz) without a browser: offline, escaped, deterministic, selections.

The graph is the hand-made fixture of tests/test_graph.py (see its docstring);
the browser checks are in tests/test_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_graph import XSS, build_fixture

from kg.errors import OutputError, UsageError
from kg.graph import to_networkx
from kg.viz import find_nodes, render

DATA_RE = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.S)

# Anything a browser would fetch from the network.
NETWORK_LOADS = [
    re.compile(r"<script[^>]*\ssrc\s*=", re.I),
    re.compile(r"<link[^>]*\shref\s*=\s*[\"']?(https?:)?//", re.I),
    re.compile(
        r"<(img|iframe|source|video|audio|embed|object)[^>]*\s(src|data)\s*=\s*[\"']?(https?:)?//",
        re.I,
    ),
    re.compile(r"@import", re.I),
    re.compile(r"url\(\s*[\"']?\s*(https?:)?//", re.I),
]


def page_data(path: Path) -> dict[str, Any]:
    m = DATA_RE.search(path.read_text(encoding="utf-8"))
    assert m is not None, "the page has no kg-data block"
    data: dict[str, Any] = json.loads(m.group(1))
    return data


def labels(data: dict[str, Any]) -> set[str]:
    return {n["label"] for n in data["nodes"] if not n["summary"]}


@pytest.fixture(scope="module")
def G() -> nx.MultiDiGraph:
    return to_networkx(build_fixture())


def test_full_page(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = tmp_path / "net.html"
    rep = render(G, out, title="测试 <b>title</b>")
    assert (rep.nodes, rep.edges, rep.aggregated, rep.focus) == (9, 7, 0, ())
    assert rep.bytes == out.stat().st_size
    page = out.read_text(encoding="utf-8")
    assert "<title>测试 &lt;b&gt;title&lt;/b&gt;</title>" in page
    data = page_data(out)
    assert len(data["nodes"]) == 9 and len(data["edges"]) == 7
    assert data["kinds"] == ["UnionBody", "PartnerAgency", "Program", "WorkerGroup"]
    assert data["predicates"] == ["cooperatesWith", "runs", "participatesIn", "serves"]
    assert data["provinces"] == ["丁省", "甲省"]
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    # node size grows with degree
    size = {n["label"]: n["value"] for n in data["nodes"]}
    assert size["法律服务驿站"] > size["外卖骑手"]
    # every predicate and kind has a colour, label and shape in the legend data
    for k in data["kinds"]:
        assert {"color", "label", "shape"} <= set(data["style"]["kinds"][k])
    for p in data["predicates"]:
        assert {"color", "label"} <= set(data["style"]["predicates"][p])
    # the settle-then-freeze physics is bounded
    stab = data["options"]["physics"]["stabilization"]
    assert stab["enabled"] and 0 < stab["iterations"] <= 1000
    assert data["options"]["layout"]["randomSeed"] == 7


def test_page_is_offline(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = tmp_path / "net.html"
    render(G, out)
    page = out.read_text(encoding="utf-8")
    for pattern in NETWORK_LOADS:
        assert not pattern.search(page), pattern.pattern
    assert "cdn" not in page.lower().replace("cdnjs", "cdn")  # no CDN reference of any kind
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert csp is not None
    assert "default-src 'none'" in csp.group(1)  # CSP forbids every load ...
    # ... and only the page's own scripts may run: one hash per inline script
    bodies = re.findall(r"^<script>(.*?)</script>$", page, re.S | re.M)
    assert len(bodies) == 3
    hashes = re.findall(r"'sha256-([A-Za-z0-9+/=]+)'", csp.group(1))
    assert sorted(hashes) == sorted(
        base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() for b in bodies
    )
    assert "unsafe-inline" not in csp.group(1).split("style-src")[0]
    assert "vis-network" in page and "9.1.2" in page  # the bundle is inlined
    assert len(page) > 400_000


def test_article_text_cannot_inject_markup(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = tmp_path / "net.html"
    render(G, out)
    page = out.read_text(encoding="utf-8")
    # the payload is present only as escaped JSON, never as markup
    assert "__kgPwned" in page
    assert "<script>window.__kgPwned" not in page
    assert "<img src=x" not in page
    # four scripts (error capture, data, vis-network, app) and nothing closes one early
    assert len(re.findall(r"^<script", page, re.M)) == 4
    assert page.count("</script") == 4
    data = page_data(out)
    sentences = [ev["sentence"] for e in data["edges"] for ev in e["evidence"]]
    assert any(XSS in s for s in sentences)  # round-trips exactly
    titles = [ev["article"] for e in data["edges"] for ev in e["evidence"]]
    assert any(XSS in t for t in titles)
    # the page script builds tooltips with textContent only
    app = (Path(__file__).parents[1] / "kg" / "assets" / "network.js").read_text(encoding="utf-8")
    assert "innerHTML" not in app and "insertAdjacentHTML" not in app
    assert "document.write" not in app


def test_deterministic_bytes(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    render(G, a)
    render(to_networkx(build_fixture()), b)
    assert a.read_bytes() == b.read_bytes()


def test_focus_ego_view(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = tmp_path / "ego.html"
    rep = render(G, out, focus="甲省总工会", hops=1)
    assert rep.focus == ("甲省总工会",)
    assert labels(page_data(out)) == {"甲省总工会", "甲省高级人民法院", "一函两书"}
    assert "甲省总工会" in page_data(out)["note"]
    render(G, out, focus="乙市总工会", hops=2)
    assert labels(page_data(out)) == {
        "乙市总工会",
        "乙市人民检察院",
        "法律服务驿站",
        "外卖骑手",
        "丙区人力资源和社会保障局",
    }
    render(G, out, focus="乙市总工会", hops=0)
    assert labels(page_data(out)) == {"乙市总工会"}


def test_focus_matches_alias_width_and_traditional(G: nx.MultiDiGraph) -> None:
    iri = find_nodes(G, "甲省总工会")
    assert find_nodes(G, "甲省总") == iri  # alias
    assert find_nodes(G, "甲省總工會") == iri  # traditional characters
    assert find_nodes(G, " 甲省总工会 ") == iri
    assert find_nodes(G, "外卖小哥") == find_nodes(G, "外卖骑手")
    assert find_nodes(G, iri[0]) == iri  # an IRI works too


def test_unknown_focus_lists_close_matches(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as err:
        render(G, tmp_path / "x.html", focus="甲省工会")
    assert "甲省工会" in str(err.value) and "甲省总工会" in str(err.value)
    assert err.value.exit_code == 2
    with pytest.raises(UsageError, match="kg stats"):
        render(G, tmp_path / "x.html", focus="完全无关")
    assert not (tmp_path / "x.html").exists()


def test_kinds_filter(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = tmp_path / "k.html"
    render(G, out, kinds=["UnionBody", "PartnerAgency"])
    data = page_data(out)
    assert {n["type"] for n in data["nodes"]} == {"UnionBody", "PartnerAgency"}
    assert {e["predicate"] for e in data["edges"]} == {"cooperatesWith"}
    render(G, out, kinds=["program,workergroup"])  # case-insensitive, comma lists
    assert {n["type"] for n in page_data(out)["nodes"]} == {"Program", "WorkerGroup"}
    render(G, out, kinds=["工会"])  # the legend's Chinese word works too
    assert {n["type"] for n in page_data(out)["nodes"]} == {"UnionBody"}
    # the focus node stays even when its kind is filtered out
    render(G, out, focus="甲省总工会", kinds=["Program"])
    assert labels(page_data(out)) == {"甲省总工会", "一函两书"}


def test_reduction_to_max_nodes(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    rep = render(G, out, max_nodes=6)
    data = page_data(out)
    summary = [n for n in data["nodes"] if n["summary"]]
    real = [n for n in data["nodes"] if not n["summary"]]
    assert rep.reduced and rep.nodes == len(data["nodes"]) <= 6
    assert len(real) + sum(n["count"] for n in summary) == G.number_of_nodes()
    assert rep.aggregated == sum(n["count"] for n in summary)
    assert data["groupedCounts"] == {n["type"]: n["count"] for n in summary}
    assert len({n["type"] for n in summary}) == len(summary)  # one per kind
    # the most connected node survives
    assert "法律服务驿站" in {n["label"] for n in real}
    assert "grouped into per-kind summary nodes" in data["note"]
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    assert "summary" in rep.format() or "grouped" in rep.format()


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"hops": -1}, UsageError),
        ({"max_nodes": 0}, UsageError),
        ({"kinds": ["Company"]}, UsageError),
        ({"kinds": [""]}, UsageError),
    ],
)
def test_bad_arguments(
    G: nx.MultiDiGraph, tmp_path: Path, kwargs: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error) as err:
        render(G, tmp_path / "bad.html", **kwargs)
    assert str(err.value)  # a message, one line
    assert "\n" not in str(err.value)


def test_output_is_a_directory(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="directory"):
        render(G, tmp_path)


def test_output_cannot_be_written(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="cannot write"):
        render(G, tmp_path / "afile" / "net.html")


def test_empty_graph(tmp_path: Path) -> None:
    out = tmp_path / "e.html"
    rep = render(nx.MultiDiGraph(), out)
    assert rep.nodes == 0 and "empty" in page_data(out)["note"]


# --------------------------------------------------------------------------- properties

text = st.lists(
    st.sampled_from([*"工会法院甲乙<>&\"'/\\ \u2028\u00e9{}$", "</script>", "<!--", "]]>"]),
    max_size=8,
).map("".join)


@st.composite
def graphs(draw: st.DrawFn) -> nx.MultiDiGraph:
    n = draw(st.integers(0, 14))
    H = nx.MultiDiGraph()
    for i in range(n):
        H.add_node(
            f"iri:{i}",
            label=draw(text) or f"n{i}",
            type=draw(st.sampled_from(["UnionBody", "PartnerAgency", "Program", "WorkerGroup"])),
            province=draw(st.sampled_from(["", "甲省", "乙省"])),
            aliases=[],
        )
    if n:
        for _ in range(draw(st.integers(0, 20))):
            u, v = f"iri:{draw(st.integers(0, n - 1))}", f"iri:{draw(st.integers(0, n - 1))}"
            p = draw(st.sampled_from(["runs", "serves", "cooperatesWith"]))
            ev = [{"sentence": draw(text), "article": draw(text), "file": "f", "date": ""}]
            H.add_edge(u, v, key=p, predicate=p, weight=1, evidence=ev)
    return H


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(H=graphs(), max_nodes=st.integers(1, 10))
def test_property_page_data_is_sound(H: nx.MultiDiGraph, max_nodes: int, tmp_path: Path) -> None:
    out = tmp_path / "p.html"
    rep = render(H, out, max_nodes=max_nodes)
    page = out.read_text(encoding="utf-8")
    assert len(re.findall(r"^<script", page, re.M)) == 4 and page.count("</script") == 4
    data = page_data(out)
    ids = [n["id"] for n in data["nodes"]]
    assert len(ids) == len(set(ids)) == rep.nodes
    assert rep.nodes <= max(max_nodes, 1) + 4
    real = [n for n in data["nodes"] if not n["summary"]]
    assert len(real) + rep.aggregated == H.number_of_nodes()
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    got = sorted(n["label"] for n in real)
    assert set(got) <= {str(d["label"]) for _, d in H.nodes(data=True)}


def test_unconnected_nodes_are_hidden_behind_a_toggle(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    H = G.copy()
    H.add_node("iri:lonely", label="孤零零项目", type="Program", aliases=[], province="")
    out = tmp_path / "iso.html"
    rep = render(H, out)
    data = page_data(out)
    assert rep.nodes == 10  # still on the page ...
    lonely = [n for n in data["nodes"] if n["isolated"]]
    assert [n["label"] for n in lonely] == ["孤零零项目"]
    assert data["isolatedCount"] == 1 and data["showIsolated"] is False  # ... hidden at first
    assert "1 unconnected nodes are hidden" in data["note"]
    # a graph of unconnected nodes only shows them
    E = nx.MultiDiGraph()
    E.add_node("a", label="甲", type="Program")
    render(E, out)
    assert page_data(out)["showIsolated"] is True


def test_same_bytes_across_processes(tmp_path: Path) -> None:
    """No dependence on hash randomisation: other PYTHONHASHSEEDs give the same page."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from test_graph import build_fixture; from kg.graph import to_networkx;"
        "from kg.viz import render; render(to_networkx(build_fixture()), sys.argv[2])"
    )
    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"p{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-c", script, str(Path(__file__).parent), str(out)],
            check=True,
            env=env,
            timeout=120,
        )
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]


def test_unknown_node_types_are_drawn_as_other(tmp_path: Path) -> None:
    H = nx.MultiDiGraph()
    H.add_node("a", label="某公司", type="Company")
    H.add_node("b", label="某工会", type="UnionBody")
    H.add_node("c", label="某地", type="Region")
    H.add_edge("b", "a", key="runs", predicate="runs", weight=1, evidence=[])
    out = tmp_path / "o.html"
    rep = render(H, out, max_nodes=1)
    assert rep.reduced
    data = page_data(out)
    assert data["kinds"] == ["UnionBody", "Company", "Region"]
