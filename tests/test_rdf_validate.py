"""SHACL validation: builds conform; planted violations are found with their focus node."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from test_rdf_fixture import make_results

from kg.errors import InputError
from kg.rdf.build import dataset_quads, to_dataset, write_graphs
from kg.rdf.iri import BASE, KG, PROV, entity_iri
from kg.rdf.validate import validate, validate_graph


def _graph() -> Graph:
    g = Graph()
    for s, p, o, _ in dataset_quads(to_dataset(make_results())):
        g.add((s, p, o))
    return g


def _evidence(g: Graph, predicate: URIRef) -> URIRef:
    ev = next(e for e in sorted(g.subjects(RDF.predicate, predicate)))
    assert isinstance(ev, URIRef)
    return ev


def test_fixture_build_conforms(tmp_path: Path) -> None:
    write_graphs(to_dataset(make_results()), tmp_path)
    report = validate(tmp_path)
    assert report.conforms, report.format()
    assert report.violations == []
    assert report.format().startswith("conforms")


def test_planted_violations_are_reported() -> None:
    g = _graph()
    js = entity_iri("UnionBody", "江苏省总工会")
    rider = entity_iri("WorkerGroup", "外卖骑手")
    ev_coop = _evidence(g, KG.cooperatesWith)
    ev_runs = _evidence(g, KG.runs)
    # 1. evidence without extractor, 2. confidence out of range
    g.remove((ev_coop, KG.extractor, None))
    g.set((ev_coop, KG.confidence, Literal("1.5", datatype=XSD.decimal)))
    # 3. runs pointing at a worker group
    g.add((js, KG.runs, rider))
    # 4. a second label
    g.add((js, RDFS.label, Literal("另一个名字", lang="zh")))
    # 5. a worker group cooperating
    g.add((rider, KG.cooperatesWith, js))
    # 6. a malformed region
    bad_region = URIRef(BASE + "region/12")
    g.add((bad_region, RDF.type, KG.Region))
    g.add((bad_region, KG.adminCode, Literal("12")))
    # 7. evidence of a relation that is not asserted
    s, p, o = (g.value(ev_runs, q) for q in (RDF.subject, RDF.predicate, RDF.object))
    g.remove((s, p, o))
    # 8. evidence derived from something that is not an article
    g.set((ev_runs, PROV.wasDerivedFrom, js))
    report = validate_graph(g)
    assert not report.conforms
    found = {(v.focus, v.path, v.message) for v in report.errors}
    paths = {(v.focus, v.path) for v in report.errors}
    assert (str(ev_coop), str(KG.extractor)) in paths
    assert (str(ev_coop), str(KG.confidence)) in paths
    assert (str(js), str(KG.runs)) in paths
    assert (str(js), str(RDFS.label)) in paths
    assert any(f == str(rider) and "cooperates" in m for f, _, m in found)
    assert (str(bad_region), str(KG.adminCode)) in paths
    assert (str(bad_region), str(KG.adminLevel)) in paths
    assert any(f == str(ev_runs) and "not asserted" in m for f, _, m in found)
    assert (str(ev_runs), str(PROV.wasDerivedFrom)) in paths
    text = report.format()
    assert text.startswith("does not conform")
    assert "id:UnionBody/江苏省总工会 kg:runs" in text


def test_warnings_do_not_fail() -> None:
    g = _graph()
    region = URIRef(BASE + "region/990000")
    g.add((region, RDF.type, KG.Region))
    g.add((region, KG.adminCode, Literal("990000")))
    g.add((region, KG.adminLevel, Literal("province")))
    report = validate_graph(g)
    assert report.conforms
    assert [(v.severity, v.focus) for v in report.violations] == [("Warning", str(region))]


def test_validate_needs_a_build(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="kg build"):
        validate(tmp_path / "nope")
