"""The store's precomputed ``kg:labelOrder`` and the named queries that sort by it."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from test_rdf_fixture import make_results

from kg.rdf.build import to_dataset, write_graphs
from kg.rdf.query import select
from kg.rdf.store import LABEL_ORDER, add_index_links, label_order_quads

RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
BASE = "https://w3id.org/union-kg/id/x/"


def _store(labels: list[tuple[str, str, str | None]]) -> ox.Store:
    store = ox.Store()
    for node, text, lang in labels:
        lit = ox.Literal(text, language=lang) if lang else ox.Literal(text)
        store.add(ox.Quad(ox.NamedNode(BASE + node), RDFS_LABEL, lit))
    return store


def _orders(store: ox.Store) -> dict[str, int]:
    return {
        q.subject.value.removeprefix(BASE): int(q.object.value)
        for q in store.quads_for_pattern(None, ox.NamedNode(LABEL_ORDER), None)
    }


def test_label_order_is_code_point_order_with_ties() -> None:
    store = _store(
        [
            ("a", "工会驿站", "zh"),
            ("b", "工会", "zh"),
            ("c", "江苏省总工会", "zh"),
            ("d", "工会", None),  # the same text as b, without a language: a tie
            ("e", "Zhejiang", "en"),  # not a Chinese label: no order
            ("f", "一函两书", "zh"),
        ]
    )
    store.extend(label_order_quads(store))
    orders = _orders(store)
    assert "e" not in orders
    assert orders["b"] == orders["d"]
    by_order = sorted(orders, key=lambda n: (orders[n], n))
    texts = {"a": "工会驿站", "b": "工会", "c": "江苏省总工会", "d": "工会", "f": "一函两书"}
    assert [texts[n] for n in by_order] == sorted(texts[n] for n in by_order)


def test_add_index_links_twice_gives_one_order_per_node() -> None:
    store = _store([("a", "乙", "zh"), ("b", "甲", "zh")])
    add_index_links(store)
    add_index_links(store)
    assert len(list(store.quads_for_pattern(None, ox.NamedNode(LABEL_ORDER), None))) == 2
    assert _orders(store) == {"a": 0, "b": 1}  # 乙 U+4E59 < 甲 U+7532


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ibuild")
    write_graphs(to_dataset(make_results()), out)
    return out


def test_union_hierarchy_rows_are_sorted_by_names(build: Path) -> None:
    rows = select(build, "union_hierarchy", {})
    assert rows
    keys = [(r["parentName"], r["childName"]) for r in rows]
    assert keys == sorted(keys)


def test_groups_by_province_lists_names_in_order(build: Path) -> None:
    rows = select(build, "groups_by_province", {})
    assert rows
    for r in rows:
        names = r["groupNames"].split("、")
        assert names == sorted(names)
        assert int(r["groups"]) == len(names)


def test_union_hierarchy_reads_each_parent_once_and_gives_the_plain_rows() -> None:
    """The query's parent subquery (hash-joined, issue 15) gives the rows, in the
    order, of the plain join of every link with both names."""
    from kg.rdf.iri import PREFIXES
    from kg.rdf.query import resolve

    kg = PREFIXES["kg"]
    store = ox.Store()
    link = ox.NamedNode(kg + "parentFederation")
    names = {"p1": "乙省总工会", "p2": "甲省总工会", "p3": "甲省总工会"}  # p2, p3: one name
    for i in range(12):
        names[f"c{i}"] = f"{'丙丁戊己'[i % 4]}市总工会"
    for node, name in names.items():
        store.add(ox.Quad(ox.NamedNode(BASE + node), RDFS_LABEL, ox.Literal(name, language="zh")))
    for i in range(12):
        parent = ox.NamedNode(BASE + f"p{1 + i % 3}")
        store.add(ox.Quad(ox.NamedNode(BASE + f"c{i}"), link, parent))
    add_index_links(store)
    got = [
        tuple(sol[v].value for v in ("child", "childName", "parent", "parentName"))
        for sol in store.query(resolve("union_hierarchy")[0], prefixes=PREFIXES)
    ]
    plain = """SELECT ?child ?childName ?parent ?parentName WHERE {
      ?child kg:parentFederation ?parent . ?child rdfs:label ?childName .
      ?parent rdfs:label ?parentName }"""
    rows = [
        tuple(sol[v].value for v in ("child", "childName", "parent", "parentName"))
        for sol in store.query(plain, prefixes=PREFIXES)
    ]
    assert sorted(got) == sorted(rows) and len(got) == 12
    keys = [(r[3], r[1]) for r in got]
    assert keys == sorted(keys)


def test_index_links_stream_the_updates_rows(build: Path) -> None:
    """add_index_links (each update's WHERE as a SELECT into the bulk loader) gives
    the quads of the updates themselves."""
    from kg.rdf.iri import PREFIXES
    from kg.rdf.store import INDEX_UPDATES, _as_select

    def loaded() -> ox.Store:
        store = ox.Store()
        store.load(path=str(build / "graph.trig"), format=ox.RdfFormat.TRIG)
        store.load(path=str(build / "graph.ttl"), format=ox.RdfFormat.TURTLE)
        return store

    by_update, streamed = loaded(), loaded()
    for update in INDEX_UPDATES:
        by_update.update(update, prefixes=PREFIXES)
    by_update.update("DELETE WHERE { ?x kg:labelOrder ?n }", prefixes=PREFIXES)
    by_update.extend(label_order_quads(by_update))
    add_index_links(streamed)
    assert set(streamed) == set(by_update)
    assert any(str(q.predicate).endswith("parentFederation>") for q in streamed)
    assert _as_select(INDEX_UPDATES[0])[:3] == ("r", "within", "a")
    with pytest.raises(ValueError):
        _as_select("DELETE WHERE { ?s ?p ?o }")


_LINK_CASES = """
@prefix kg: <https://w3id.org/union-kg/ontology#> .
@prefix x: <https://w3id.org/union-kg/id/x/> .
x:p a kg:Region ; kg:adminLevel "province" .
x:c a kg:Region ; kg:partOf x:p .
x:k a kg:Region ; kg:partOf x:c .
x:k2 a kg:Region ; kg:partOf x:p .
x:q a kg:Region ; kg:adminLevel "province" .
x:acftu a kg:NationalUnion .
x:prov a kg:ProvincialUnion ; kg:region x:p .
x:prov2 a kg:ProvincialUnion ; kg:region x:p .
x:city a kg:PrefecturalUnion ; kg:region x:c .
x:county a kg:CountyUnion ; kg:region x:k .
x:town a kg:TownshipUnion ; kg:region x:k .
x:twice a kg:CountyUnion, kg:PrefecturalUnion ; kg:region x:k2, x:q .
x:lone a kg:ProvincialUnion ; kg:region x:q .
x:agency a kg:PartnerAgency ; kg:region x:c .
x:prog kg:serves x:riders, x:notagroup .
x:city kg:runs x:prog .
x:agency kg:participatesIn x:prog .
x:county kg:serves x:women .
x:prov kg:serves x:riders .
x:riders a kg:WorkerGroup .
x:women a kg:WorkerGroup .
"""


def test_joined_index_links_are_the_updates_rows() -> None:
    """The links joined in Python (kg:reachesGroup, kg:parentFederation) are the rows
    of their updates, on a graph with ties, two regions, two types and a national union."""
    from kg.rdf.iri import PREFIXES
    from kg.rdf.store import _JOINED, INDEX_UPDATES, _as_select

    store = ox.Store()
    store.load(input=_LINK_CASES, format=ox.RdfFormat.TURTLE)
    add_index_links(store)
    for update in INDEX_UPDATES:
        subject, predicate, obj, select = _as_select(update)
        if predicate not in _JOINED:
            continue
        want = {(r[subject], r[obj]) for r in store.query(select, prefixes=PREFIXES)}
        assert want and set(_JOINED[predicate](store)) == want
        got = {
            (q.subject, q.object)
            for q in store.quads_for_pattern(None, ox.NamedNode(PREFIXES["kg"] + predicate), None)
        }
        assert got == want

    def pairs(predicate: str) -> set[tuple[str, str]]:
        link = ox.NamedNode(PREFIXES["kg"] + predicate)
        return {
            (q.subject.value.removeprefix(BASE), q.object.value.removeprefix(BASE))
            for q in store.quads_for_pattern(None, link, None)
        }

    parents = pairs("parentFederation")
    assert ("city", "prov") in parents and ("city", "prov2") in parents  # a tie: both
    assert ("town", "county") in parents and ("county", "city") in parents
    assert ("prov", "acftu") in parents and ("lone", "acftu") in parents
    assert ("twice", "lone") in parents  # its regions' parents, its lowest rank
    reach = pairs("reachesGroup")
    assert {("p", "riders"), ("p", "women")} <= reach
    assert not any(g == "notagroup" for _, g in reach)
