"""The networkx view (kg.graph): RDF → MultiDiGraph, stats, exports, load_build.

The fixture dataset below is written by hand after the RDF shape contract
between kg.rdf and the views (docs of kg.graph; /work/notes brief "RDF shape"):
entity IRIs ``<base>{Type}/{name}``, one named graph per article, reified
``kg:Evidence`` nodes with ``prov:wasDerivedFrom`` the article.  Its names are
generic examples of each kind, not taken from any seed's annotation.

``build_fixture()`` is also used by tests/test_viz.py and tests/test_browser.py.
"""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import networkx as nx
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, XSD, Literal, Namespace, URIRef

from kg.errors import InputError
from kg.graph import (
    format_stats,
    load_build,
    stats,
    to_networkx,
    write_gexf,
    write_graphml,
)

KG = Namespace("https://w3id.org/union-kg/ontology#")
BASE = "https://w3id.org/union-kg/id/"
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")

#: A planted payload: if it ever ran in the page it would set window.__kgPwned.
XSS = '<script>window.__kgPwned="script"</script><img src=x onerror="window.__kgPwned=\'img\'">'


def ent(type_: str, name: str) -> URIRef:
    return URIRef(f"{BASE}{type_}/{quote(name, safe='')}")


def region(code: str) -> URIRef:
    return URIRef(f"{BASE}region/{code}")


def article(doc: str, index: int) -> URIRef:
    return URIRef(f"{BASE}article/{quote(doc, safe='')}/{index}")


# name, base type, specific class, level, region code, aliases
ENTITIES = [
    ("甲省总工会", "UnionBody", "ProvincialUnion", "provincial", "110000", ["甲省总"]),
    ("甲省高级人民法院", "PartnerAgency", "Court", "provincial", "110000", ["甲省高院"]),
    ("乙市总工会", "UnionBody", "PrefecturalUnion", "prefectural", "110100", []),
    ("乙市人民检察院", "PartnerAgency", "Procuratorate", "prefectural", "110100", []),
    ("丙区总工会", "UnionBody", "CountyUnion", "county", "220102", []),
    (
        "丙区人力资源和社会保障局",
        "PartnerAgency",
        "HumanResourcesSocialSecurity",
        "county",
        "220102",
        [],
    ),
    ("法律服务驿站", "Program", "Program", None, None, []),
    ("一函两书", "Program", "Program", None, None, []),
    ("外卖骑手", "WorkerGroup", "WorkerGroup", None, None, ["外卖小哥"]),
]
REGIONS = [
    ("110000", "甲省", "province", None),
    ("110100", "乙市", "prefecture", "110000"),
    ("220000", "丁省", "province", None),
    ("220100", "戊市", "prefecture", "220000"),
    ("220102", "丙区", "county", "220100"),
]
# (doc, index, headline, date, [(s, p, o, sentence)])
ARTICLES = [
    (
        "page_a.txt",
        0,
        "甲省工会与法院协同化解劳动争议",
        "2024-05-20",
        [
            (
                "甲省总工会",
                "cooperatesWith",
                "甲省高级人民法院",
                "甲省总工会与甲省高院建立协作机制。",
            ),
            ("甲省总工会", "runs", "一函两书", "甲省总工会推行一函两书制度。"),
            (
                "乙市总工会",
                "cooperatesWith",
                "乙市人民检察院",
                "乙市总工会与乙市检察院联合开展监督。",
            ),
        ],
    ),
    (
        "page_a.txt",
        1,
        "骑手有了“法律服务驿站” " + XSS,
        "2024-05-20",
        [
            (
                "甲省高级人民法院",
                "cooperatesWith",
                "甲省总工会",
                "法院与工会联合发布典型案例。" + XSS,
            ),
            ("乙市总工会", "runs", "法律服务驿站", "乙市总工会打造法律服务驿站。"),
            ("法律服务驿站", "serves", "外卖骑手", "驿站为外卖骑手提供法律咨询。"),
        ],
    ),
    (
        "page_b.txt",
        0,
        "丙区共建劳动用工监督机制",
        None,
        [
            (
                "丙区总工会",
                "cooperatesWith",
                "丙区人力资源和社会保障局",
                "丙区总工会与区人社局共建机制。",
            ),
            (
                "丙区人力资源和社会保障局",
                "participatesIn",
                "法律服务驿站",
                "区人社局入驻法律服务驿站。",
            ),
        ],
    ),
]
NAME_TYPE = {name: t for name, t, *_ in ENTITIES}


def build_fixture(extra: list[tuple[str, str, str]] | None = None) -> rdflib.Dataset:
    """A small dataset in the RDF stage's shape (``extra``: more (s, p, o) names)."""
    ds = rdflib.Dataset()
    ds.bind("kg", KG)
    bg = ds.graph(URIRef(BASE + "graph/background"))
    for code, name, level, parent in REGIONS:
        r = region(code)
        bg.add((r, RDF.type, KG.Region))
        bg.add((r, RDFS.label, Literal(name, lang="zh")))
        bg.add((r, KG.adminCode, Literal(code)))
        bg.add((r, KG.adminLevel, Literal(level)))
        if parent:
            bg.add((r, KG.partOf, region(parent)))

    def describe(g: rdflib.Graph, name: str) -> None:
        row = next(e for e in ENTITIES if e[0] == name)
        _, t, cls, level, code, aliases = row
        iri = ent(t, name)
        g.add((iri, RDF.type, KG[t]))
        if cls != t:
            g.add((iri, RDF.type, KG[cls]))
        if cls == "Court":  # an inferred superclass must not hide the specific class
            g.add((iri, RDF.type, KG.JudicialOrgan))
        g.add((iri, RDFS.label, Literal(name, lang="zh")))
        g.add((iri, SKOS.prefLabel, Literal(name, lang="zh")))
        for a in aliases:
            g.add((iri, SKOS.altLabel, Literal(a, lang="zh")))
        if level:
            g.add((iri, KG.level, Literal(level)))
        if code:
            g.add((iri, KG.region, region(code)))

    for doc, idx, headline, date, rels in ARTICLES:
        a = article(doc, idx)
        g = ds.graph(a)
        g.add((a, RDF.type, SCHEMA.NewsArticle))
        g.add((a, RDF.type, PROV.Entity))
        g.add((a, SCHEMA.headline, Literal(headline, lang="zh")))
        if date:
            g.add((a, SCHEMA.datePublished, Literal(date, datatype=XSD.date)))
        g.add((a, KG.sourceFile, Literal(f"seeds/{doc}")))
        g.add((a, KG.docId, Literal(doc)))
        g.add((a, KG.articleIndex, Literal(idx)))
        for s, p, o, sentence in rels:
            si, oi = ent(NAME_TYPE[s], s), ent(NAME_TYPE[o], o)
            describe(g, s)
            describe(g, o)
            g.add((si, KG[p], oi))
            h = hashlib.sha1(f"{doc}|{idx}|{sentence}|{si}|{p}|{oi}".encode()).hexdigest()[:16]
            ev = URIRef(f"{BASE}evidence/{h}")
            g.add((ev, RDF.type, KG.Evidence))
            g.add((ev, RDF.subject, si))
            g.add((ev, RDF.predicate, KG[p]))
            g.add((ev, RDF.object, oi))
            g.add((ev, KG.sentence, Literal(sentence, lang="zh")))
            g.add((ev, KG.sentenceStart, Literal(0)))
            g.add((ev, KG.sentenceEnd, Literal(len(sentence))))
            g.add((ev, KG.extractor, Literal("fixture")))
            g.add((ev, KG.confidence, Literal("0.9", datatype=XSD.decimal)))
            g.add((ev, PROV.wasDerivedFrom, a))
    for s, p, o in extra or ():
        ds.default_graph.add(
            (ent(NAME_TYPE.get(s, "UnionBody"), s), KG[p], ent(NAME_TYPE.get(o, "Program"), o))
        )
    return ds


def node(G: nx.MultiDiGraph, name: str) -> str:
    return str(ent(NAME_TYPE[name], name))


@pytest.fixture(scope="module")
def G() -> nx.MultiDiGraph:
    return to_networkx(build_fixture())


# --------------------------------------------------------------------------- to_networkx


def test_nodes_and_attributes(G: nx.MultiDiGraph) -> None:
    assert G.number_of_nodes() == len(ENTITIES)
    d = G.nodes[node(G, "甲省总工会")]
    assert d["label"] == "甲省总工会"
    assert d["type"] == "UnionBody"
    assert d["kind"] == "ProvincialUnion"
    assert d["aliases"] == ["甲省总"]
    assert d["level"] == "provincial"
    assert d["region"] == "甲省" and d["region_code"] == "110000" and d["province"] == "甲省"
    assert d["iri"] == node(G, "甲省总工会")
    assert d["kind_label"] == "省级总工会"  # read from ontology/kg.ttl
    court = G.nodes[node(G, "甲省高级人民法院")]
    assert court["kind"] == "Court" and court["kind_label"] == "人民法院"
    assert G.nodes[node(G, "一函两书")]["kind"] == "Program"
    # the province is found through the kg:partOf chain
    assert G.nodes[node(G, "乙市总工会")]["province"] == "甲省"
    assert G.nodes[node(G, "丙区总工会")]["province"] == "丁省"
    assert G.nodes[node(G, "丙区总工会")]["region"] == "丙区"
    # no region known: empty strings, not None (GraphML needs scalars)
    assert G.nodes[node(G, "外卖骑手")]["province"] == ""
    assert G.nodes[node(G, "外卖骑手")]["type"] == "WorkerGroup"


def test_edges_weights_and_evidence(G: nx.MultiDiGraph) -> None:
    assert G.number_of_edges() == 7  # 8 relation readings, the two-way cooperation merged
    preds = sorted(d["predicate"] for _, _, d in G.edges(data=True))
    assert preds == ["cooperatesWith"] * 3 + ["participatesIn", "runs", "runs", "serves"]
    u, v = node(G, "甲省总工会"), node(G, "甲省高级人民法院")
    edges = [(a, b, d) for a, b, d in G.edges(data=True) if {a, b} == {u, v}]
    assert len(edges) == 1, "cooperatesWith read in both directions is one edge"
    _, _, d = edges[0]
    assert d["weight"] == 2  # two articles support it
    assert len(d["evidence"]) == 2
    assert {e["article"] for e in d["evidence"]} == {ARTICLES[0][2], ARTICLES[1][2]}
    assert all(e["file"] == "seeds/page_a.txt" for e in d["evidence"])
    assert any(XSS in e["sentence"] for e in d["evidence"])
    runs = G.get_edge_data(u, node(G, "一函两书"))
    assert list(runs) == ["runs"]
    assert runs["runs"]["weight"] == 1
    assert runs["runs"]["evidence"][0]["sentence"] == "甲省总工会推行一函两书制度。"
    assert runs["runs"]["evidence"][0]["date"] == "2024-05-20"


def test_merged_graph_without_named_graphs_gives_same_view(G: nx.MultiDiGraph) -> None:
    merged = rdflib.Graph()
    for s, p, o, _ in build_fixture().quads((None, None, None, None)):
        merged.add((s, p, o))
    M = to_networkx(merged)
    assert sorted(M.nodes) == sorted(G.nodes)
    assert sorted((u, v, k, d["weight"]) for u, v, k, d in M.edges(keys=True, data=True)) == sorted(
        (u, v, k, d["weight"]) for u, v, k, d in G.edges(keys=True, data=True)
    )


def test_relation_without_evidence_still_an_edge() -> None:
    G2 = to_networkx(build_fixture(extra=[("丙区总工会", "runs", "一函两书")]))
    d = G2.get_edge_data(node(G2, "丙区总工会"), node(G2, "一函两书"))
    assert d["runs"]["weight"] == 1 and d["runs"]["evidence"] == []


def test_type_falls_back_to_the_iri_path() -> None:
    g = rdflib.Graph()
    g.add((ent("UnionBody", "某工会"), KG.runs, ent("Program", "某项目")))
    G2 = to_networkx(g)
    assert G2.nodes[str(ent("Program", "某项目"))]["type"] == "Program"
    assert G2.nodes[str(ent("Program", "某项目"))]["label"] == "某项目"


def test_deterministic(G: nx.MultiDiGraph) -> None:
    again = to_networkx(build_fixture())
    assert list(again.nodes(data=True)) == list(G.nodes(data=True))
    assert list(again.edges(keys=True, data=True)) == list(G.edges(keys=True, data=True))


def test_empty_graph() -> None:
    E = to_networkx(rdflib.Graph())
    assert E.number_of_nodes() == 0
    d = stats(E)
    assert d["nodes"] == 0 and d["communities"] == [] and d["top_unions"] == []
    assert "Nodes: 0" in format_stats(d)


# --------------------------------------------------------------------------- stats


def test_stats_figures(G: nx.MultiDiGraph) -> None:
    d = stats(G)
    assert d["nodes"] == 9 and d["edges"] == 7
    assert d["articles"] == 3
    assert d["evidence"] == 8
    assert d["nodes_by_type"] == {
        "PartnerAgency": 3,
        "Program": 2,
        "UnionBody": 3,
        "WorkerGroup": 1,
    }
    assert d["edges_by_predicate"] == {
        "cooperatesWith": 3,
        "participatesIn": 1,
        "runs": 2,
        "serves": 1,
    }
    # two unions with two neighbours each (ties sorted by label), then one with one
    assert [(r["label"], r["value"]) for r in d["top_unions"]] == [
        ("乙市总工会", 2),
        ("甲省总工会", 2),
        ("丙区总工会", 1),
    ]
    assert [(r["label"], r["value"]) for r in d["top_agencies"]] == [
        ("丙区人力资源和社会保障局", 2),
        ("乙市人民检察院", 1),
        ("甲省高级人民法院", 1),
    ]
    # 法律服务驿站 joins two components' worth of paths: highest betweenness
    assert d["betweenness"][0]["label"] == "法律服务驿站"
    assert d["betweenness"][0]["value"] > 0
    coop = d["cooperation_by_province"]
    assert coop["甲省"]["pairs"] == 2
    assert coop["丁省"]["pairs"] == 1
    assert ["甲省总工会", "甲省高级人民法院", 2] in coop["甲省"]["list"]
    members = sorted(m for c in d["communities"] for m in c["members"])
    assert members == sorted(n for n, *_ in ENTITIES)
    json.dumps(d)  # JSON-serialisable


def test_stats_is_deterministic(G: nx.MultiDiGraph) -> None:
    assert stats(G) == stats(to_networkx(build_fixture()))


def test_format_stats_mentions_key_facts(G: nx.MultiDiGraph) -> None:
    text = format_stats(stats(G))
    assert "Nodes: 9" in text
    assert "Most connected unions" in text and "甲省总工会" in text
    assert "Communities (Louvain" in text
    assert "甲省: 2" in text


# --------------------------------------------------------------------------- exports


def test_graphml_roundtrip(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.number_of_nodes() == G.number_of_nodes()
    assert back.number_of_edges() == G.number_of_edges()
    u = node(G, "甲省总工会")
    assert back.nodes[u]["label"] == "甲省总工会"
    assert json.loads(back.nodes[u]["aliases"]) == ["甲省总"]
    ev = [json.loads(d["evidence"]) for a, b, d in back.edges(data=True) if a == u or b == u]
    assert any(any(XSS in e["sentence"] for e in lst) for lst in ev)
    assert not list(tmp_path.glob(".*tmp"))  # atomic: no temporary left behind
    # edge ids are unique (two edges of one predicate must not share an id)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    ids = [e.get("id") for e in ET.parse(path).getroot().iterfind(".//g:edge", ns)]
    assert len(ids) == len(set(ids)) == G.number_of_edges()
    assert sorted(d["predicate"] for _, _, d in back.edges(data=True)) == sorted(
        d["predicate"] for _, _, d in G.edges(data=True)
    )


def test_gexf_is_valid_xml(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "g.gexf"
    write_gexf(G, path)
    root = ET.parse(path).getroot()
    assert root.tag.endswith("gexf")
    back = nx.read_gexf(path)
    assert back.number_of_nodes() == G.number_of_nodes()
    labels = {d.get("label") for _, d in back.nodes(data=True)}
    assert "甲省总工会" in labels


# --------------------------------------------------------------------------- load_build


def test_load_build_reads_trig_then_ttl(tmp_path: Path) -> None:
    ds = build_fixture()
    (tmp_path / "graph.trig").write_text(ds.serialize(format="trig"), encoding="utf-8")
    G1 = load_build(tmp_path)
    assert G1.number_of_nodes() == 9 and G1.number_of_edges() == 7
    other = tmp_path / "ttl"
    other.mkdir()
    merged = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        merged.add((s, p, o))
    (other / "graph.ttl").write_text(merged.serialize(format="turtle"), encoding="utf-8")
    G2 = load_build(other)
    assert sorted(G2.nodes) == sorted(G1.nodes)


def test_load_build_missing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="kg build"):
        load_build(tmp_path / "nowhere")
    with pytest.raises(InputError, match=r"neither graph\.trig nor graph\.ttl"):
        load_build(tmp_path)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="not a build directory"):
        load_build(tmp_path / "file")


def test_load_build_damaged(tmp_path: Path) -> None:
    (tmp_path / "graph.trig").write_text("<a> <b> {{{ nonsense", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read"):
        load_build(tmp_path)


# --------------------------------------------------------------------------- properties

names = (
    st.text(alphabet="工会法院局中心甲乙丙丁<>&\"' 项目", min_size=1, max_size=8)
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(names, st.sampled_from(["runs", "cooperatesWith", "serves"]), names), max_size=12
    )
)
def test_property_edges_match_distinct_relations(rels: list[tuple[str, str, str]]) -> None:
    g = rdflib.Graph()
    expected: set[tuple[str, str, str]] = set()
    for s, p, o in rels:
        si, oi = str(ent("UnionBody", s)), str(ent("Program", o))
        g.add((URIRef(si), KG[p], URIRef(oi)))
        if p == "cooperatesWith":
            expected.add((min(si, oi), p, max(si, oi)))
        else:
            expected.add((si, p, oi))
    Gp = to_networkx(g)
    got = set()
    for u, v, k, d in Gp.edges(keys=True, data=True):
        assert d["weight"] >= 1 and d["predicate"] == k
        got.add((min(u, v), k, max(u, v)) if k == "cooperatesWith" else (u, k, v))
    assert got == expected
    assert Gp.number_of_edges() == len(expected)
    # stats never fail and add up
    d = stats(Gp)
    assert sum(d["nodes_by_type"].values()) == Gp.number_of_nodes()
    assert sum(d["edges_by_predicate"].values()) == Gp.number_of_edges()


# --------------------------------------------------------------------------- contract


def test_contract_with_the_rdf_stage() -> None:
    """The view reads what kg.rdf really writes (its own fixture DocResults)."""
    from test_rdf_fixture import make_results

    from kg.model import SYMMETRIC_PREDICATES
    from kg.rdf.build import to_dataset
    from kg.rdf.iri import entity_iri

    results = make_results()
    Gr = to_networkx(to_dataset(results))
    expected = set()
    for res in results:
        for rel in res.relations:
            s = str(entity_iri(*rel.s.split(":", 1)))
            o = str(entity_iri(*rel.o.split(":", 1)))
            if rel.p in SYMMETRIC_PREDICATES:
                expected.add((min(s, o), rel.p, max(s, o)))
            else:
                expected.add((s, rel.p, o))
            for ev in rel.evidence:
                data = Gr.get_edge_data(s, o) or Gr.get_edge_data(o, s)
                assert data is not None and rel.p in data
                assert ev.text in {e["sentence"] for e in data[rel.p]["evidence"]}
                assert all(e["file"] for e in data[rel.p]["evidence"])
    got = {
        (min(u, v), k, max(u, v)) if k in SYMMETRIC_PREDICATES else (u, k, v)
        for u, v, k in Gr.edges(keys=True)
    }
    assert got == expected
    entities = {e.key: e for res in results for e in res.entities.values()}
    for ent in entities.values():
        d = Gr.nodes[str(entity_iri(ent.type, ent.name))]
        assert d["label"] == ent.name and d["type"] == ent.type
        if ent.region_code == "320000":
            assert d["province"] == "江苏省"


def test_betweenness_is_sampled_on_large_graphs(monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.graph

    H = nx.gnm_random_graph(80, 160, seed=5, directed=True)
    big = nx.MultiDiGraph()
    for n in H.nodes:
        big.add_node(f"n{n}", label=f"会{n}", type="UnionBody", province="")
    for u, v in H.edges:
        big.add_edge(f"n{u}", f"n{v}", key="runs", predicate="runs", weight=1, evidence=[])
    assert stats(big)["betweenness_pivots"] is None  # small: exact
    monkeypatch.setattr(kg.graph, "BETWEENNESS_BUDGET", 1000)
    d = stats(big)
    assert d["betweenness_pivots"] == 32
    assert d == stats(big)  # the sample is seeded: same figures every time
    assert "approximate: 32 sampled sources" in format_stats(d)
