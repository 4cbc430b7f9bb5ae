"""The RDF build: shape contract, determinism, round trips through RDF formats."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from test_rdf_fixture import make_results

from kg.errors import DataError
from kg.model import Entity, Relation
from kg.rdf.build import dataset_quads, to_dataset, write_graphs
from kg.rdf.iri import BACKGROUND_GRAPH, KG, PROV, SCHEMA, article_iri, entity_iri, region_iri


def _quads(ds: Dataset) -> set[tuple[object, ...]]:
    return set(dataset_quads(ds))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dataset, Path, dict[str, int]]:
    ds = to_dataset(make_results())
    out = tmp_path_factory.mktemp("build")
    counts = write_graphs(ds, out)
    return ds, out, counts


def test_counts(built: tuple[Dataset, Path, dict[str, int]]) -> None:
    _, _, counts = built
    assert counts["articles"] == 3
    assert counts["graphs"] == 4  # 3 articles + background
    assert counts["relations"] == 10
    assert counts["evidence"] == 10
    # 江苏省总工会 appears in both documents but is one node
    assert counts["entities"] == 13


def test_entity_shape(built: tuple[Dataset, Path, dict[str, int]]) -> None:
    ds, _, _ = built
    js = entity_iri("UnionBody", "江苏省总工会")
    art = article_iri("jsdoc.txt", 0)
    g = ds.graph(art)
    assert (js, RDF.type, KG.ProvincialUnion) in g
    assert (js, RDF.type, KG.UnionBody) in g
    assert (js, RDFS.label, Literal("江苏省总工会", lang="zh")) in g
    assert (js, SKOS.prefLabel, Literal("江苏省总工会", lang="zh")) in g
    assert (js, SKOS.altLabel, Literal("江苏省总", lang="zh")) in g
    assert (js, KG.level, Literal("provincial")) in g
    assert (js, KG.region, region_iri("320000")) in g
    assert (js, KG.mentionedIn, art) in g
    proc = entity_iri("PartnerAgency", "江苏省人民检察院")
    assert (proc, RDF.type, KG.Procuratorate) in g
    assert (proc, KG.implicit, Literal(True)) in g
    # 江苏省总工会 is explicit in both documents: never marked implicit
    assert not any(ds.quads((js, KG.implicit, None, None)))


def test_relation_in_article_graph_with_evidence(
    built: tuple[Dataset, Path, dict[str, int]],
) -> None:
    ds, _, _ = built
    js = entity_iri("UnionBody", "江苏省总工会")
    proc = entity_iri("PartnerAgency", "江苏省人民检察院")
    art = article_iri("jsdoc.txt", 0)
    g = ds.graph(art)
    assert (js, KG.cooperatesWith, proc) in g
    assert not any(ds.graph(BACKGROUND_GRAPH).triples((js, KG.cooperatesWith, None)))
    evs = [e for e in g.subjects(RDF.predicate, KG.cooperatesWith) if (e, RDF.subject, js) in g]
    assert len(evs) == 1
    ev = evs[0]
    assert str(ev).startswith("https://w3id.org/union-kg/id/evidence/")
    assert len(str(ev).rsplit("/", 1)[1]) == 16
    assert (ev, RDF.type, KG.Evidence) in g
    assert (ev, RDF.object, proc) in g
    assert (ev, PROV.wasDerivedFrom, art) in g
    assert (ev, KG.extractor, Literal("cooperation")) in g
    assert (ev, KG.confidence, Literal("0.9", datatype=XSD.decimal)) in g
    assert (ev, KG.trigger, Literal("签订", lang="zh")) in g
    sentence = g.value(ev, KG.sentence)
    assert isinstance(sentence, Literal) and sentence.language == "zh"
    doc = make_results()[0].doc
    start = g.value(ev, KG.sentenceStart)
    end = g.value(ev, KG.sentenceEnd)
    assert isinstance(start, Literal) and isinstance(end, Literal)
    assert doc.text[int(start) : int(end)] == str(sentence)


def test_participation_in_second_article(built: tuple[Dataset, Path, dict[str, int]]) -> None:
    ds, _, _ = built
    acftu = entity_iri("UnionBody", "中华全国总工会")
    art1 = article_iri("jsdoc.txt", 1)
    assert (acftu, KG.participatesIn, entity_iri("Program", "一函两书")) in ds.graph(art1)
    assert (acftu, RDF.type, KG.NationalUnion) in ds.graph(art1)
    # the program's description is in the graph that uses it
    assert (entity_iri("Program", "一函两书"), RDF.type, KG.Program) in ds.graph(art1)


def test_article_and_regions(built: tuple[Dataset, Path, dict[str, int]]) -> None:
    ds, _, _ = built
    art = article_iri("gddoc.jsonl#7", 0)
    g = ds.graph(art)
    assert (art, RDF.type, SCHEMA.NewsArticle) in g
    assert (art, RDF.type, PROV.Entity) in g
    assert (art, SCHEMA.headline, Literal("广东暖心驿站", lang="zh")) in g
    assert (art, SCHEMA.datePublished, Literal("2024-12-01", datatype=XSD.date)) in g
    assert (art, KG.docId, Literal("gddoc.jsonl#7")) in g
    assert (art, KG.articleIndex, Literal(0)) in g
    bg = ds.graph(BACKGROUND_GRAPH)
    county = region_iri("321084")
    assert (county, RDF.type, KG.Region) in bg
    assert (county, KG.adminCode, Literal("321084")) in bg
    assert (county, KG.adminLevel, Literal("county")) in bg
    assert (county, KG.partOf, region_iri("321000")) in bg
    assert (region_iri("321000"), KG.partOf, region_iri("320000")) in bg
    assert (region_iri("320000"), RDFS.label, Literal("江苏省", lang="zh")) in bg


def test_deterministic_bytes(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write_graphs(to_dataset(make_results()), a)
    shuffled = make_results()[::-1]
    rng = random.Random(7)
    for res in shuffled:
        rng.shuffle(res.relations)
        rng.shuffle(res.mentions)
        res.entities = dict(rng.sample(list(res.entities.items()), len(res.entities)))
    write_graphs(to_dataset(shuffled), b)
    for name in ("graph.trig", "graph.ttl"):
        assert (a / name).read_bytes() == (b / name).read_bytes()


@pytest.mark.parametrize("fmt", ["trig", "nquads", "json-ld"])
def test_dataset_round_trip(built: tuple[Dataset, Path, dict[str, int]], fmt: str) -> None:
    ds, out, _ = built
    text = (out / "graph.trig").read_text(encoding="utf-8")
    parsed = Dataset()
    parsed.parse(data=text, format="trig")
    assert _quads(parsed) == _quads(ds)
    again = Dataset()
    again.parse(data=parsed.serialize(format=fmt), format=fmt)
    assert _quads(again) == _quads(ds)


def test_turtle_is_the_union(built: tuple[Dataset, Path, dict[str, int]]) -> None:
    ds, out, counts = built
    g = Graph()
    g.parse(out / "graph.ttl", format="turtle")
    union = Graph()
    for s, p, o, _ in dataset_quads(ds):
        union.add((s, p, o))
    assert isomorphic(g, union)
    assert len(g) == counts["triples"]
    again = Graph()
    again.parse(data=g.serialize(format="turtle"), format="turtle")
    assert isomorphic(again, union)


def test_unknown_predicate_is_data_error() -> None:
    results = make_results()
    results[0].relations.append(Relation("UnionBody:江苏省总工会", "likes", "Program:一函两书"))
    with pytest.raises(DataError, match="unknown predicate"):
        to_dataset(results)


def test_bad_entity_type_is_data_error() -> None:
    results = make_results()
    results[0].relations.append(Relation("Company:某公司", "runs", "Program:一函两书"))
    with pytest.raises(DataError, match="unknown entity type"):
        to_dataset(results)


def test_no_blank_nodes(built: tuple[Dataset, Path, dict[str, int]]) -> None:
    ds, _, _ = built
    for s, _p, o, _g in dataset_quads(ds):
        assert isinstance(s, URIRef)
        assert isinstance(o, URIRef | Literal)


def test_region_and_other_entities_are_not_nodes() -> None:
    results = make_results()
    place = Entity("Region", "宿迁市", region_code="321300", region_name="宿迁市")
    firm = Entity("Company", "满帮集团")
    results[0].entities[place.key] = place
    results[0].entities[firm.key] = firm
    ds = to_dataset(results)
    subjects = {str(s) for s, *_ in dataset_quads(ds)}
    assert not any("Company/" in s or "/Region/" in s for s in subjects)
    bg = ds.graph(BACKGROUND_GRAPH)
    assert (region_iri("321300"), RDFS.label, Literal("宿迁市", lang="zh")) in bg
    assert (region_iri("321300"), KG.partOf, region_iri("320000")) in bg


def test_quads_path_writes_the_same_files_as_the_dataset_path(tmp_path: Path) -> None:
    """Regression: kg build writes from build_quads; it must equal the Dataset route."""
    from kg.graph import to_networkx, write_graphml
    from kg.pipeline import extract_paths
    from kg.rdf.build import build_quads, to_dataset, write_graphs

    seeds = Path(__file__).resolve().parents[1] / "seeds"
    results = extract_paths([seeds / "000_20dd1265d34bf7f5.txt"])
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    ds = to_dataset(results)
    quads = build_quads(results)
    assert write_graphs(ds, a) == write_graphs(quads, b)
    write_graphml(to_networkx(ds), a / "g.graphml")
    write_graphml(to_networkx(quads), b / "g.graphml")
    for name in ["graph.trig", "graph.ttl", "g.graphml"]:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
