"""Figures (facts) in RDF: nodes with provenance, deterministic IRIs, a SHACL shape."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.cli import main
from kg.model import Article, DocResult, Document, Entity, Fact
from kg.rdf.build import build_quads, fact_triples
from kg.rdf.iri import BASE, KG, PROV, SCHEMA, article_iri, entity_iri, fact_iri
from kg.rdf.validate import validate_graph

_TEXT = "江苏省总工会为外卖骑手追回工资120万元。"


def _fact(**kw: object) -> Fact:
    base: dict[str, object] = dict(
        kind="money",
        value=1200000,
        unit="元",
        approx=False,
        what="工资",
        subject="UnionBody:江苏省总工会",
        group="WorkerGroup:外卖骑手",
        article=0,
        sentence=0,
        start=15,
        end=20,
        evidence_start=0,
        evidence_end=22,
        text=_TEXT,
        extractor="facts",
        confidence=0.8,
    )
    base.update(kw)
    return Fact(**base)  # type: ignore[arg-type]


def _result(*facts: Fact) -> DocResult:
    doc = Document("d.txt", "d.txt", _TEXT)
    ents = {
        "UnionBody:江苏省总工会": Entity("UnionBody", "江苏省总工会"),
        "WorkerGroup:外卖骑手": Entity("WorkerGroup", "外卖骑手"),
    }
    res = DocResult(doc, [Article("d.txt", 0, 0, len(_TEXT), "标题")], ents)
    res.facts = list(facts)
    return res


def _graph(res: DocResult) -> Graph:
    g = Graph()
    for s, p, o, _ in build_quads([res]):
        g.add((s, p, o))
    return g


def test_a_fact_is_a_node_with_provenance_in_its_article_graph() -> None:
    quads = build_quads([_result(_fact())])
    node = fact_iri("d.txt", 0, 15, 20, "money", 1200000, "元")
    art = article_iri("d.txt", 0)
    mine = {(s, p, o) for s, p, o, g in quads if g == art}
    assert (node, RDF.type, SCHEMA.QuantitativeValue) in mine
    assert (node, SCHEMA.value, Literal("1200000", datatype=XSD.integer)) in mine
    assert (node, SCHEMA.unitText, Literal("元")) in mine
    assert (node, KG.factKind, Literal("money")) in mine
    assert (node, KG.measures, Literal("工资", lang="zh")) in mine
    assert (node, KG.factAbout, entity_iri("UnionBody", "江苏省总工会")) in mine
    assert (node, KG.factGroup, entity_iri("WorkerGroup", "外卖骑手")) in mine
    assert (node, KG.approximate, Literal(False)) in mine
    ev = next(s for s, p, o in mine if p == RDF.subject and o == node)
    assert (ev, RDF.type, KG.FactEvidence) in mine
    assert (ev, KG.sentence, Literal(_TEXT, lang="zh")) in mine
    assert (ev, KG.valueStart, Literal("15", datatype=XSD.integer)) in mine
    assert (ev, KG.sentenceEnd, Literal("22", datatype=XSD.integer)) in mine
    assert (ev, KG.extractor, Literal("facts")) in mine
    assert (ev, KG.confidence, Literal("0.8", datatype=XSD.decimal)) in mine
    assert (ev, PROV.wasDerivedFrom, art) in mine
    # the subject and group are described in the same graph (the shape can see their class)
    assert (entity_iri("UnionBody", "江苏省总工会"), KG.mentionedIn, art) in mine
    assert validate_graph(_graph(_result(_fact()))).conforms


def test_decimal_values_and_subjectless_facts() -> None:
    f = _fact(value=Decimal("3.50"), unit="万元", subject=None, group=None, approx=True)
    g = _graph(_result(f))
    node = fact_iri("d.txt", 0, 15, 20, "money", Decimal("3.5"), "万元")
    assert g.value(node, SCHEMA.value) == Literal("3.5", datatype=XSD.decimal)
    assert g.value(node, KG.factAbout) is None
    assert g.value(node, KG.approximate) == Literal(True)
    assert validate_graph(g).conforms


def test_a_fact_about_a_worker_group_is_not_linked_as_subject() -> None:
    triples = fact_triples(
        _fact(subject="WorkerGroup:外卖骑手"),
        "d.txt",
        article_iri("d.txt", 0),
        {"WorkerGroup:外卖骑手": Entity("WorkerGroup", "外卖骑手")},
    )
    assert not [t for t in triples if t[1] == KG.factAbout]


parts = st.tuples(
    st.text(max_size=12),
    st.integers(0, 50),
    st.integers(0, 10_000),
    st.integers(0, 10_000),
    st.sampled_from(["money", "people", "count"]),
    st.one_of(
        st.integers(0, 10**15),
        st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False),
    ),
    st.text(max_size=4),
)


@given(parts, parts)
def test_fact_iris_are_deterministic_and_collision_free(
    a: tuple[str, int, int, int, str, int | Decimal, str],
    b: tuple[str, int, int, int, str, int | Decimal, str],
) -> None:
    assert fact_iri(*a) == fact_iri(*a)
    assert str(fact_iri(*a)).startswith(BASE + "fact/")

    def key(p: tuple[str, int, int, int, str, int | Decimal, str]) -> tuple[object, ...]:
        return (*p[:5], Decimal(p[5]).normalize(), p[6])

    if key(a) != key(b):
        assert fact_iri(*a) != fact_iri(*b)
    else:
        assert fact_iri(*a) == fact_iri(*b)


@pytest.mark.parametrize(
    "field, bad",
    [
        ("kind", Literal("percent")),
        ("value", None),
        ("unit", None),
        ("about", "WorkerGroup"),
    ],
)
def test_planted_bad_facts_fail_the_shape(field: str, bad: object) -> None:
    g = _graph(_result(_fact()))
    node = fact_iri("d.txt", 0, 15, 20, "money", 1200000, "元")
    path = {
        "kind": KG.factKind,
        "value": SCHEMA.value,
        "unit": SCHEMA.unitText,
        "about": KG.factAbout,
    }[field]
    if field == "about":
        g.set((node, KG.factAbout, entity_iri("WorkerGroup", "外卖骑手")))
    elif bad is None:
        g.remove((node, path, None))
    else:
        g.set((node, path, bad))  # type: ignore[arg-type]
    report = validate_graph(g)
    assert not report.conforms
    assert (str(node), str(path)) in {(v.focus, v.path) for v in report.errors}


def test_seed_build_has_facts_in_graphs_and_store_and_validates(
    seed_out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ds = Dataset()
    ds.parse(seed_out / "graph.trig", format="trig")
    named = [
        (s, g)
        for s, _, _, g in ds.quads((None, RDF.type, SCHEMA.QuantitativeValue, None))
        if g is not None
    ]
    assert len(named) >= 100
    assert all(str(getattr(g, "identifier", g)).startswith(BASE + "article/") for _, g in named)
    assert main(["validate", str(seed_out)]) == 0
    capsys.readouterr()

    # the merged default graph of the store holds the figures too, and their
    # evidence stays in the article graphs only
    def count(where: str) -> int:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"
        assert main(["query", str(seed_out), query, "--format", "csv"]) == 0
        return int(capsys.readouterr().out.split()[-1])

    n = count(
        "?f a schema:QuantitativeValue ; kg:factAbout ?s . "
        "GRAPH ?g { ?ev rdf:subject ?f ; a kg:FactEvidence . }"
    )
    assert n >= 100
    assert count("?ev a kg:FactEvidence") == 0
    assert count("?ev a kg:Evidence") == 0
    assert count("GRAPH ?g { ?ev a kg:Evidence }") >= 100
    # a planted bad figure in graph.trig makes kg validate fail
    work = tmp_path / "b"
    shutil.copytree(seed_out, work)
    shutil.rmtree(work / "store")  # validate reads graph.trig then
    assert main(["validate", str(work)]) == 0
    bad = URIRef(BASE + "fact/0000000000000000")
    art = named[0][1]
    with open(work / "graph.trig", "a", encoding="utf-8") as fh:
        fh.write(
            f"<{getattr(art, 'identifier', art)}> {{ <{bad}> a <{KG.Fact}> , "
            f'<{SCHEMA.QuantitativeValue}> ; <{KG.factKind}> "percent" . }}\n'
        )
    assert main(["validate", str(work)]) != 0


def test_money_for_groups_on_the_seeds(seed_out: Path) -> None:
    from kg.rdf.query import select

    rows = select(seed_out, "money_for_groups")
    assert len(rows) >= 10
    named = [r for r in rows if not r["groupName"].startswith("(")]
    assert named, "at least one money figure names its worker group"
    assert rows[: len(named)] == named  # named groups first
    for r in rows:
        assert r["unit"] and r["sentence"] and "seeds/" in r["file"]
        assert float(r["value"]) > 0
    assert any(r["provinceName"] == "江苏省" for r in rows)
    driver = next(r for r in named if r["groupName"] == "货车司机")
    assert driver["value"] == "23530000" and driver["unit"] == "元"
    assert driver["provinceName"] == "江苏省" and "2353万余元" in driver["sentence"]


def test_program_reach_on_the_seeds(seed_out: Path) -> None:
    from kg.rdf.query import select

    rows = select(seed_out, "program_reach")
    assert len(rows) >= 10
    assert {r["kind"] for r in rows} == {"people", "count"}
    assert [r["programName"] for r in rows] == sorted(r["programName"] for r in rows)
    letters = [r for r in rows if r["programName"] == "一函两书"]
    assert {(r["value"], r["unit"]) for r in letters} >= {("5800", "份"), ("6200", "份")}
    assert all(r["sentence"] and r["file"] for r in rows)


def test_reasoning_types_figure_readings_as_readings_not_relation_evidence(
    tmp_path: Path,
) -> None:
    """Regression: the shared evidence properties had kg:Evidence as their domain, so
    after ``kg reason`` every figure's reading was also a kg:Evidence (and then broke
    the relation-evidence shape). They now have kg:Reading, of which both are kinds."""
    from kg.rdf.build import to_dataset, write_graphs
    from kg.rdf.reason import reason
    from kg.rdf.store import open_build

    write_graphs(to_dataset([_result(_fact())]), tmp_path)
    reason(tmp_path)
    store = open_build(tmp_path).ox
    rows = list(
        store.query(
            # evidence nodes and what is derived of them are in named graphs only
            "SELECT ?ev ?wrong ?reading WHERE { GRAPH ?a { ?ev a kg:FactEvidence }"
            " BIND(EXISTS { GRAPH ?g { ?ev a kg:Evidence } } AS ?wrong)"
            " BIND(EXISTS { GRAPH ?g { ?ev a kg:Reading } } AS ?reading) }",
            prefixes={"kg": str(KG)},
        )
    )
    assert rows
    assert all(r["wrong"].value == "false" for r in rows)  # type: ignore[index,union-attr]
    assert all(r["reading"].value == "true" for r in rows)  # type: ignore[index,union-attr]
    assert main(["validate", str(tmp_path)]) == 0
