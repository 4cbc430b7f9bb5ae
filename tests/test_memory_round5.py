"""Issue 15, round 5: what a build keeps does not grow with the copies of one IRI.

* :func:`kg.rdf.serialize.iri_text` writes the IRIs the build mints (one per
  evidence node, figure, article...) without a cache entry each: a cache of
  them grew with the corpus (and pushed out the recurring IRIs);
* :class:`kg.graph.NetworkBuilder` keeps one copy of each IRI it holds across
  documents, however many documents bring their own copy;
* :meth:`kg.pipeline.Views.release` lets the view's state go before the
  store's last step (the outputs are those of the streaming build: see
  ``tests/test_streaming_build.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.graph import NetworkBuilder
from kg.rdf import serialize
from kg.rdf.iri import BASE, PREFIXES


@given(
    st.sampled_from([BASE, *PREFIXES.values(), "http://example.org/", "urn:x:"]),
    st.text(alphabet=st.sampled_from(list('ab/%E9_-#:1 <>"{}|^`\\\n中')), max_size=20),
)
def test_iri_text_is_the_general_rule(ns: str, local: str) -> None:
    """The fast path for minted IRIs gives what the general rule gives."""
    iri = ns + local
    assert serialize.iri_text(iri) == serialize._iri_text.__wrapped__(iri)


def test_minted_iris_take_no_cache_entries() -> None:
    serialize._iri_text.cache_clear()
    for i in range(5000):
        assert serialize.iri_text(f"{BASE}evidence/{i:016x}") == f"<{BASE}evidence/{i:016x}>"
    assert serialize._iri_text.cache_info().currsize == 0
    serialize.iri_text(PREFIXES["kg"] + "runs")
    assert serialize._iri_text.cache_info().currsize == 1


def _copy(text: str) -> str:
    """An equal string that is another object (as each document's quads bring)."""
    return "".join(list(text))


def _document(n: int) -> list[tuple[str, str, object, str]]:
    """One document's quads naming the same two entities (fresh string objects)."""
    from rdflib import Literal, URIRef

    kg = PREFIXES["kg"]
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    union, court = _copy(BASE + "UnionBody/U"), _copy(BASE + "PartnerAgency/C")
    graph = f"{BASE}article/d{n}.txt/0"
    return [
        (URIRef(union), URIRef(_copy(rdf_type)), URIRef(kg + "UnionBody"), graph),
        (URIRef(union), URIRef(_copy(label)), Literal("某总工会", lang="zh"), graph),
        (URIRef(court), URIRef(_copy(rdf_type)), URIRef(kg + "PartnerAgency"), graph),
        (URIRef(union), URIRef(_copy(kg + "cooperatesWith")), URIRef(court), graph),
    ]


def test_network_builder_keeps_one_copy_of_each_iri(tmp_path: Path) -> None:
    net = NetworkBuilder(work=tmp_path)
    for n in range(3):
        net.add(_document(n))
    try:
        iris = {id(iri) for iri in net.entity_iris}
        for s, _p, o in net.keys:
            assert id(s) in iris and id(o) in iris
        for s, _p, o in net.readings:
            assert id(s) in iris and id(o) in iris
        for node in net.props:
            if node in net.entity_iris:
                assert any(node is iri for iri in net.entity_iris)
        preds = [p for node_preds in net.props.values() for p in node_preds]
        assert len({id(p) for p in preds}) == len(set(preds))  # one copy of each predicate IRI
        G = net.graph()
        assert G.number_of_edges() == 1
        assert (
            G.edges[BASE + "UnionBody/U", BASE + "PartnerAgency/C", "cooperatesWith"]["weight"] == 3
        )
    finally:
        net.close()


def test_loader_protocol_loads_pieces_and_finishes(tmp_path: Path) -> None:
    """:mod:`kg.rdf._loader` in this process: pieces, an error, the finish."""
    import io

    import pyoxigraph as ox

    from kg.rdf._loader import frame, serve
    from kg.resources import data_path

    good = frame(b"p", b"<urn:g> { <urn:s> <urn:p> <urn:o> . }\n", b"<urn:s> <urn:p> <urn:o> .\n")
    src = io.BytesIO(good + frame(b"f", str(data_path("kg.ttl")).encode(), b""))
    out = io.BytesIO()
    assert serve(str(tmp_path / "store"), src, out) == 0
    assert out.getvalue().decode().splitlines() == ["ready", "ok", "done"]
    store = ox.Store.read_only(str(tmp_path / "store"))
    triple = (ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o"))
    assert ox.Quad(*triple, ox.NamedNode("urn:g")) in store
    assert ox.Quad(*triple, ox.DefaultGraph()) in store
    del store

    bad = frame(b"p", b"<urn:g> { not TriG }\n", b"")
    out = io.BytesIO()
    assert serve(str(tmp_path / "other"), io.BytesIO(good + bad + good), out) == 1  # input ends
    lines = out.getvalue().decode().splitlines()
    assert lines[:2] == ["ready", "ok"] and lines[2].startswith("error ") and lines[3] == "ok"


def test_loader_finishes_the_store_with_its_links_and_a_compaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loading process ends with finish_store (index links, optimize, flush), as
    write_store does: a store loaded in many pieces is compacted once."""
    import io

    import pyoxigraph as ox

    from kg.rdf import store as store_mod
    from kg.rdf._loader import frame, serve
    from kg.resources import data_path

    finished: list[int] = []
    real = store_mod.finish_store

    def spy(store: ox.Store) -> None:
        real(store)
        finished.append(len(store))

    monkeypatch.setattr(store_mod, "finish_store", spy)
    pieces = b"".join(
        frame(b"p", f"<urn:g{i}> {{ <urn:s{i}> <urn:p> <urn:o> . }}\n".encode(), b"")
        for i in range(40)
    )
    src = io.BytesIO(pieces + frame(b"f", str(data_path("kg.ttl")).encode(), b""))
    assert serve(str(tmp_path / "store"), src, io.BytesIO()) == 0
    assert len(finished) == 1 and finished[0] > 40  # the pieces, the ontology, its links
    compacted = ox.Store(str(tmp_path / "store"))
    before = sorted(p.name for p in (tmp_path / "store").glob("*.sst"))
    compacted.optimize()
    del compacted
    assert sorted(p.name for p in (tmp_path / "store").glob("*.sst")) == before  # nothing left


def test_loader_loads_both_graphs_at_once_as_one_after_the_other(tmp_path: Path) -> None:
    """load_both (the named graphs and the default graph in two threads) gives the
    store of the two loads in turn; an error of either load is raised."""
    import pyoxigraph as ox

    from kg.rdf._loader import load_both

    trig = "".join(
        f'<urn:g{i}> {{ <urn:s{i}> <urn:p> <urn:o{i % 7}> ; <urn:q> "{i}" . }}\n'
        for i in range(3000)
    ).encode()
    turtle = "".join(f"<urn:s{i}> <urn:p> <urn:o{i % 7}> .\n" for i in range(3000)).encode()
    one_by_one = ox.Store(str(tmp_path / "a"))
    one_by_one.bulk_load(input=trig, format=ox.RdfFormat.TRIG)
    one_by_one.bulk_load(input=turtle, format=ox.RdfFormat.TURTLE)
    both = ox.Store(str(tmp_path / "b"))
    load_both(both, trig, turtle)
    assert len(both) == 9000 and set(both) == set(one_by_one)
    for bad_trig, bad_turtle in ((b"<urn:g> { nope }", turtle), (trig, b"<urn:s> nope")):
        with pytest.raises(SyntaxError):
            load_both(ox.Store(), bad_trig, bad_turtle)


def test_store_loader_runs_in_its_own_process_and_close_stops_it(tmp_path: Path) -> None:
    import os

    from kg.rdf.store import StoreLoader

    loader = StoreLoader(tmp_path / "store", piece_bytes=1)
    assert loader.alive
    pid = loader._proc.pid if loader._proc is not None else None
    assert pid is not None and pid != os.getpid()
    loader.add("<urn:g> { <urn:s> <urn:p> <urn:o> . }\n", "<urn:s> <urn:p> <urn:o> .\n")
    loader.close()
    assert not loader.alive
    assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()


def test_loader_exits_when_the_build_is_gone(tmp_path: Path) -> None:
    """A build killed with SIGKILL closes the loader's input: the loader exits."""
    import subprocess
    import sys

    from kg.rdf.store import _LOADER_MAIN, _package_root

    proc = subprocess.Popen(
        [sys.executable, "-c", _LOADER_MAIN.format(root=_package_root()), str(tmp_path / "s")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stdin is not None
    assert proc.stdout.readline() == b"ready\n"
    proc.stdin.close()
    assert proc.wait(timeout=30) == 1


def test_viz_select_does_not_copy_an_unfiltered_view() -> None:
    import networkx as nx

    from kg.viz import select

    G = nx.MultiDiGraph()
    G.add_edge("a", "b", key="runs")
    H, centres = select(G)
    assert H is G and centres == []
    H2, _ = select(G, kinds=["Program"])
    assert H2 is not G
