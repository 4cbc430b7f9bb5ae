"""Figures in the networkx view (attributes of their subject, not nodes) and in the page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from test_rdf_facts import _fact, _result

from kg.cli import main
from kg.graph import load_build, to_networkx, write_gexf, write_graphml
from kg.rdf.build import build_quads
from kg.rdf.iri import entity_iri
from kg.viz import render

DATA_RE = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.S)
XSS = '</script><script>window.__kgFact=1</script><img src=x onerror="alert(1)">'


def _two_figures() -> nx.MultiDiGraph:
    res = _result(
        _fact(),
        _fact(start=3, end=5, value=300, kind="people", unit="人", what="骑手", approx=True),
    )
    return to_networkx(build_quads([res]))


def test_figures_are_attributes_of_their_subject_not_nodes() -> None:
    G = _two_figures()
    assert all("/fact/" not in n and "/evidence/" not in n for n in G.nodes)
    body = G.nodes[str(entity_iri("UnionBody", "江苏省总工会"))]
    facts = json.loads(body["facts"])
    assert [(f["kind"], f["value"], f["unit"]) for f in facts] == [
        ("people", 300, "人"),
        ("money", 1200000, "元"),
    ]
    money = facts[1]
    assert money["group"] == "外卖骑手" and money["what"] == "工资"
    assert money["approx"] is False and facts[0]["approx"] is True
    assert money["evidence"].startswith("江苏省总工会为外卖骑手")
    assert money["article"] == "标题" and money["file"] == "d.txt"
    assert body["total_money_元"] == 1200000.0
    assert body["total_people_人"] == 300
    group = G.nodes[str(entity_iri("WorkerGroup", "外卖骑手"))]
    assert group["facts"] == "[]"
    assert not [k for k in group if k.startswith("total_")]


def test_totals_add_up_and_every_attribute_is_scalar() -> None:
    res = _result(_fact(), _fact(start=30, end=35, value=800000))
    body = to_networkx(build_quads([res])).nodes[str(entity_iri("UnionBody", "江苏省总工会"))]
    assert body["total_money_元"] == 2000000.0
    assert len(json.loads(body["facts"])) == 2
    for key, value in body.items():
        if key.startswith("total_") or key == "facts":
            assert isinstance(value, int | float | str)


def test_graphml_and_gexf_keep_the_figures(tmp_path: Path) -> None:
    G = _two_figures()
    write_graphml(G, tmp_path / "g.graphml")
    write_gexf(G, tmp_path / "g.gexf")
    H = nx.read_graphml(tmp_path / "g.graphml")
    node = H.nodes[str(entity_iri("UnionBody", "江苏省总工会"))]
    assert node["total_money_元"] == 1200000.0
    assert json.loads(node["facts"])[1]["value"] == 1200000
    X = nx.read_gexf(tmp_path / "g.gexf")
    assert any("total_people_人" in d for _, d in X.nodes(data=True))


def test_seed_build_exports_with_figures(seed_out: Path, tmp_path: Path) -> None:
    G = load_build(seed_out)
    with_facts = [d for _, d in G.nodes(data=True) if d["facts"] != "[]"]
    assert len(with_facts) >= 20
    assert any("total_money_元" in d for d in with_facts)
    for fmt in ("graphml", "gexf"):
        out = tmp_path / f"g.{fmt}"
        assert main(["export", str(seed_out), "--format", fmt, "--out", str(out)]) == 0
        text = out.read_text(encoding="utf-8")
        assert "total_money_元" in text and "facts" in text
    H = nx.read_graphml(tmp_path / "g.graphml")
    assert any(json.loads(d.get("facts", "[]")) for _, d in H.nodes(data=True))


def test_the_page_lists_figures_with_escaped_evidence(tmp_path: Path) -> None:
    f = _fact(text="江苏省总工会" + XSS)
    G = to_networkx(build_quads([_result(f)]))
    out = tmp_path / "net.html"
    render(G, out)
    page = out.read_text(encoding="utf-8")
    assert "<script>window.__kgFact" not in page and "<img src=x" not in page
    assert len(re.findall(r"^<script", page, re.M)) == 4
    assert page.count("</script") == 4
    m = DATA_RE.search(page)
    assert m is not None
    data = json.loads(m.group(1))
    body = next(n for n in data["nodes"] if n["label"] == "江苏省总工会")
    assert body["facts"][0]["value"] == "1200000"
    assert body["facts"][0]["unit"] == "元"
    assert XSS in body["facts"][0]["evidence"]  # round-trips exactly, shown via textContent
    assert body["factsMore"] == 0
    js = (Path(__file__).resolve().parents[1] / "kg" / "assets" / "network.js").read_text()
    fact_code = js[js.index("n.facts") : js.index("return box;", js.index("n.facts"))]
    assert "innerHTML" not in fact_code and "f.evidence" in fact_code


@pytest.mark.parametrize("raw", ["not json", None, "[1, 2]"])
def test_the_page_tolerates_odd_fact_attributes(raw: object, tmp_path: Path) -> None:
    G = nx.MultiDiGraph()
    G.add_node("a", label="A", type="UnionBody", facts=raw)
    render(G, tmp_path / "n.html")
    assert (tmp_path / "n.html").stat().st_size > 0
