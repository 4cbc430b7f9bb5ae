"""Reasoning: OWL 2 RL part equals owlrl's closure (restricted to the rule kinds), domain rules."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from test_rdf_fixture import make_results

from kg.errors import InputError
from kg.rdf.build import dataset_quads, to_dataset, write_graphs
from kg.rdf.iri import INFERRED_GRAPH, KG, ORG, entity_iri, region_iri
from kg.rdf.ontology import ontology_graph
from kg.rdf.reason import infer, load_rules, reason

Triple = tuple[object, object, object]
_SCHEMA_PREDICATES = {
    OWL.sameAs,
    OWL.equivalentClass,
    OWL.equivalentProperty,
    OWL.disjointWith,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
}
_META = tuple(str(ns) for ns in (OWL, RDF, RDFS, XSD))


def covered(triples: Iterable[Triple], schema_terms: set[object]) -> set[Triple]:
    """The consequences of the kinds the shipped OWL rules derive.

    Instance-level triples only: the subject is an IRI that is not a term of the
    ontology or of OWL/RDF/RDFS/XSD; no schema predicates (subClassOf closure,
    sameAs, equivalences); no rdf:type to OWL/RDFS/XSD meta-classes (owl:Thing,
    rdfs:Datatype) and no typing of literals.
    """
    out = set()
    for s, p, o in triples:
        if not isinstance(s, URIRef) or s in schema_terms or str(s).startswith(_META):
            continue
        if p in _SCHEMA_PREDICATES:
            continue
        if p == RDF.type and str(o).startswith(_META[:1] + _META[2:]):
            continue
        out.add((s, p, o))
    return out


def owlrl_consequences(data: Graph) -> set[Triple]:
    import owlrl

    ont = ontology_graph()
    g = Graph()
    for t in data:
        g.add(t)
    for t in ont:
        g.add(t)
    before = set(g)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    return covered(set(g) - before, set(ont.subjects()))


def our_consequences(data: Graph, kinds: tuple[str, ...] = ("owl",)) -> set[Triple]:
    store = ox.Store()
    store.load(data.serialize(format="nt"), format=ox.RdfFormat.N_TRIPLES)
    rules = [r for r in load_rules() if r.kind in kinds]
    derived, _, _ = infer(store, rules)
    back = Graph()
    back.parse(
        data="".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in derived), format="nt"
    )
    return covered(set(back), set(ontology_graph().subjects()))


def union_graph(ds: Dataset) -> Graph:
    g = Graph()
    for s, p, o, _ in dataset_quads(ds):
        g.add((s, p, o))
    return g


def test_owl_part_equals_owlrl_on_fixture() -> None:
    data = union_graph(to_dataset(make_results()))
    ours = our_consequences(data)
    theirs = owlrl_consequences(data)
    assert ours == theirs
    assert len(ours) > 50  # the comparison is not vacuous
    kinds = {p for _, p, _ in ours}
    assert {RDF.type, KG.cooperatesWith, KG.runBy, ORG.linkedTo} <= kinds


def test_owl_part_equals_owlrl_with_domain_consequences() -> None:
    """Domain-rule output fed to owlrl gives the same OWL consequences as our fixpoint."""
    data = union_graph(to_dataset(make_results()))
    ours_all = our_consequences(data, ("owl", "domain"))
    domain_only = {t for t in ours_all if t[1] in (KG.subOrganizationOf, KG.partOf)}
    enriched = Graph()
    for t in data:
        enriched.add(t)
    for t in domain_only:
        enriched.add(t)
    theirs = owlrl_consequences(enriched) | domain_only
    assert ours_all == theirs


def test_domain_rules_on_fixture(tmp_path: Path) -> None:
    write_graphs(to_dataset(make_results()), tmp_path)
    report = reason(tmp_path)
    assert report.inferred > 0 and report.rounds >= 2
    assert set(report.per_rule) == {r.name for r in load_rules()}
    inferred = Dataset()
    inferred.parse(tmp_path / "inferred.trig", format="trig")
    graphs = {
        str(getattr(g, "identifier", g)) for *_, g in inferred.quads((None, None, None, None))
    }
    assert graphs == {str(INFERRED_GRAPH)}
    g = Graph()
    for s, p, o, _ in inferred.quads((None, None, None, None)):
        g.add((s, p, o))

    def body(name: str) -> URIRef:
        return entity_iri("UnionBody", name)

    sub = {(s, o) for s, o in g.subject_objects(KG.subOrganizationOf)}
    assert sub == {
        (body("高邮市总工会"), body("扬州市总工会")),
        (body("高邮市总工会"), body("江苏省总工会")),
        (body("高邮市总工会"), body("中华全国总工会")),
        (body("扬州市总工会"), body("江苏省总工会")),
        (body("扬州市总工会"), body("中华全国总工会")),
        (body("江苏省总工会"), body("中华全国总工会")),
        (body("广东省总工会"), body("中华全国总工会")),
    }
    # inverse and ORG alignment of the hierarchy
    assert (body("中华全国总工会"), KG.hasSubOrganization, body("高邮市总工会")) in g
    assert (body("高邮市总工会"), ORG.subOrganizationOf, body("江苏省总工会")) in g
    # region containment is transitive
    assert (region_iri("321084"), KG.partOf, region_iri("320000")) in g
    # symmetric cooperation
    assert (
        entity_iri("PartnerAgency", "江苏省人民检察院"),
        KG.cooperatesWith,
        body("江苏省总工会"),
    ) in g
    # only derived triples: nothing of the input is repeated
    asserted = union_graph(to_dataset(make_results()))
    assert not set(g) & set(asserted)
    assert (body("江苏省总工会"), RDF.type, KG.ProvincialUnion) not in g


def test_inferred_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        write_graphs(to_dataset(make_results()), d)
        reason(d)
    assert (a / "inferred.trig").read_bytes() == (b / "inferred.trig").read_bytes()


def test_reason_falls_back_to_trig(tmp_path: Path) -> None:
    write_graphs(to_dataset(make_results()), tmp_path)
    first = reason(tmp_path).inferred
    (tmp_path / "graph.ttl").unlink()
    assert reason(tmp_path).inferred == first


def test_reason_needs_a_build(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="kg build"):
        reason(tmp_path / "missing")


def test_no_literal_subjects_or_types() -> None:
    data = union_graph(to_dataset(make_results()))
    store = ox.Store()
    store.load(data.serialize(format="nt"), format=ox.RdfFormat.N_TRIPLES)
    derived, _, _ = infer(store)
    assert all(not isinstance(t.subject, ox.Literal) for t in derived)
    assert Literal("x") not in {t.subject for t in derived}


def test_owl_part_equals_owlrl_on_synthetic_graph() -> None:
    """A third input: invented documents over real region chains (the benchmarks' generator)."""
    from benchmarks.synthetic_rdf import synthetic_results

    data = union_graph(to_dataset(synthetic_results(12, seed=3)))
    ours = our_consequences(data)
    assert ours == owlrl_consequences(data)
    assert any(p == KG.hasPart for _, p, _ in ours)
