"""Issue 15, round 4: a build whose memory does not grow with the corpus.

* GraphML is written element by element (:func:`kg.graph.write_graphml`), with
  the bytes networkx's writer gives for the same graph;
* the readings and figures of :class:`kg.graph.NetworkBuilder` go to sorted
  runs on disk, and a view without readings (``graph(evidence=False)``) reads
  each edge's back from a file: the outputs are those of the in-memory view.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx
import pytest

import kg.graph as graph_mod
from kg.graph import NetworkBuilder, _scalar_copy, write_graphml
from kg.model import DocResult
from kg.pipeline import extract_paths
from kg.rdf.build import QuadBuilder

ROOT = Path(__file__).resolve().parents[1]


def _nx_graphml(G: nx.MultiDiGraph, path: Path) -> bytes:
    """What networkx's own writer gives (the reference of the streaming writer)."""
    with open(path, "wb") as fh:
        nx.write_graphml(_scalar_copy(G), fh, encoding="utf-8", prettyprint=True)
    return path.read_bytes()


def _tricky() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node('a&b<"c">', label="名 & <x>", flag=True, n=3, x=1.5, empty="", items=["甲", "乙"])
    G.add_node("line\nbreak\ttab\r", label="t\tab\nnl", n=2.0, inf=math.inf, gone=None)
    G.add_node("plain", label="only", flag=False, n="three")  # another type: another key
    G.add_node("lonely")
    G.add_edge('a&b<"c">', "plain", key="runs", predicate="runs", weight=2, evidence=[{"s": "x"}])
    G.add_edge('a&b<"c">', "plain", key="serves", predicate="serves", weight=1, evidence=[])
    G.add_edge("plain", "line\nbreak\ttab\r", key="k", note="<&>", weight=0.25)
    G.add_edge("lonely", "lonely", key="self", predicate="self", weight=1, evidence=[])
    return G


@pytest.mark.parametrize("shape", ["tricky", "empty", "nodes only"])
def test_streamed_graphml_is_networkx_bytes(tmp_path: Path, shape: str) -> None:
    G = nx.MultiDiGraph()
    if shape == "tricky":
        G = _tricky()
    elif shape == "nodes only":
        G.add_node("x", label="X")
        G.add_node("y")
    write_graphml(G, tmp_path / "s.graphml")
    assert (tmp_path / "s.graphml").read_bytes() == _nx_graphml(G, tmp_path / "n.graphml")
    assert not [p for p in tmp_path.iterdir() if p.name not in {"s.graphml", "n.graphml"}]


def test_streamed_graphml_reads_back(tmp_path: Path) -> None:
    G = _tricky()
    write_graphml(G, tmp_path / "s.graphml")
    back = nx.read_graphml(tmp_path / "s.graphml", force_multigraph=True)
    _nx_graphml(G, tmp_path / "n.graphml")
    ref = nx.read_graphml(tmp_path / "n.graphml", force_multigraph=True)
    assert sorted(back.nodes) == sorted(str(n) for n in G.nodes)
    assert back.nodes['a&b<"c">']["label"] == "名 & <x>"
    assert back.nodes['a&b<"c">']["flag"] is True
    assert nx.utils.graphs_equal(back, ref)


@pytest.fixture(scope="module")
def seed_results() -> list[DocResult]:
    return extract_paths([ROOT / "seeds"])


def _builder(results: list[DocResult], tmp: Path, run_items: int, **caps: int) -> NetworkBuilder:
    net = NetworkBuilder(work=tmp, **caps)
    net._evidence.run_items = run_items
    net._facts.run_items = run_items
    quads = QuadBuilder()
    for res in results:
        quads.add(res)
        batch, quads.quads = quads.quads, []
        net.add((s, p, o, str(g)) for s, p, o, g in batch)
    net.add((s, p, o, str(g)) for s, p, o, g in quads.finish())
    return net


@pytest.mark.parametrize("caps", [{}, {"max_evidence": 2, "max_facts": 1}])
def test_readings_on_disk_are_the_readings_in_memory(
    tmp_path: Path, seed_results: list[DocResult], caps: dict[str, int]
) -> None:
    """Runs of 3 records (dozens of files) give the view that one run in memory gives."""
    small = _builder(seed_results, tmp_path, 3, **caps)
    big = _builder(seed_results, tmp_path, 10**9, **caps)
    assert len(small._evidence._files) > 10 and not big._evidence._files
    a, b = small.graph(), big.graph()
    assert _nx_graphml(a, tmp_path / "a.graphml") == _nx_graphml(b, tmp_path / "b.graphml")
    # and in reverse document order (the kept readings are the first in sorted order)
    c = _builder(seed_results[::-1], tmp_path, 3, **caps).graph()
    assert _nx_graphml(c, tmp_path / "c.graphml") == _nx_graphml(a, tmp_path / "a.graphml")
    for net in (small, big):
        net.close()
    assert not list(tmp_path.glob("*[!l]"))  # only the .graphml files are left


def test_view_without_readings_writes_the_same_files(
    tmp_path: Path, seed_results: list[DocResult]
) -> None:
    net = _builder(seed_results, tmp_path, 50, max_evidence=3, max_facts=2)
    full = net.graph()
    lean = net.graph(evidence=False)
    assert all("evidence" not in d for _, _, d in lean.edges(data=True))
    read = 0
    for u, v, k, d in full.edges(keys=True, data=True):
        assert net.edge_evidence(u, v, k) == d["evidence"]
        assert json.loads(net.edge_evidence_json(u, v, k)) == d["evidence"]
        read += len(d["evidence"])
    assert read > 0
    write_graphml(lean, tmp_path / "lean.graphml", evidence=net.edge_evidence_json)
    write_graphml(full, tmp_path / "full.graphml")
    lean_bytes = (tmp_path / "lean.graphml").read_bytes()
    assert lean_bytes == (tmp_path / "full.graphml").read_bytes()
    assert lean_bytes == _nx_graphml(full, tmp_path / "nx.graphml")

    from kg.viz import render

    render(full, tmp_path / "full.html", max_nodes=40)
    render(lean, tmp_path / "lean.html", max_nodes=40, evidence=net.edge_evidence)
    assert (tmp_path / "lean.html").read_bytes() == (tmp_path / "full.html").read_bytes()
    net.close()


def test_to_networkx_leaves_no_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graph_mod.tempfile, "tempdir", str(tmp_path))
    from test_rdf_fixture import make_results

    from kg.rdf.build import build_quads

    G = graph_mod.to_networkx(build_quads(make_results()))
    assert G.number_of_edges() > 0
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("shared_run", [1, 7, 10**9])
def test_entity_descriptions_in_runs_on_disk_give_the_same_files(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    seed_results: list[DocResult],
    shared_run: int,
) -> None:
    """graph.ttl merges each entity's descriptions from sorted runs: bytes as the eager path."""
    import kg.rdf.stream as stream_mod
    from kg.rdf.build import build_quads, write_graphs
    from kg.rdf.stream import GraphStream

    monkeypatch.setattr(stream_mod, "SHARED_RUN", shared_run)
    monkeypatch.setattr(stream_mod, "RUN_BYTES", 4096)
    out, work, eager = tmp_path / "s", tmp_path / "s" / "work", tmp_path / "e"
    work.mkdir(parents=True)
    eager.mkdir()
    builder, stream = QuadBuilder(), GraphStream(work)
    for res in seed_results:
        builder.add(res)
        quads, builder.quads = builder.quads, []
        stream.add(quads)
    triples = stream.finish(builder.finish(), out)
    if shared_run < 10:
        assert len(list(work.glob("shared-run-*"))) > len(seed_results)  # one per document
    assert triples == write_graphs(build_quads(seed_results), eager, store=False)["triples"]
    for name in ("graph.trig", "graph.ttl"):
        assert (out / name).read_bytes() == (eager / name).read_bytes()


def _quads(path: Path) -> list[str]:
    import pyoxigraph as ox

    return sorted(str(q) for q in ox.Store.read_only(str(path)))


def test_store_loaded_as_the_build_goes_is_the_store_of_the_files(tmp_path: Path) -> None:
    """The store loaded in pieces during the build holds what a load of the files gives."""
    from kg import pipeline
    from kg.rdf.store import write_store

    out = tmp_path / "out"
    pipeline.build([ROOT / "seeds"], out, html=False, progress=False)
    ref = write_store(out, tmp_path / "ref")
    got = _quads(out / "store")
    assert got == _quads(ref)
    assert any("implicit" in q for q in got)


def test_store_loader_reports_a_bad_piece(tmp_path: Path) -> None:
    from kg.errors import OutputError
    from kg.rdf.store import StoreLoader

    loader = StoreLoader(tmp_path / "store", piece_bytes=1)
    loader.add("<urn:g> { <urn:s> <urn:p> <urn:o> . }\n", "<urn:s> <urn:p> <urn:o> .\n")
    loader.add("<urn:g> { this is not TriG }\n", "")
    with pytest.raises(OutputError, match="cannot load the store"):
        loader.finish()
    loader.close()


def test_store_loader_close_lets_the_store_go(tmp_path: Path) -> None:
    """After close the store is closed: its directory, once removed, stays removed (a
    store closed later wrote RocksDB's manifest into a build's removed temporary
    directory again)."""
    import gc
    import shutil

    from kg.rdf.store import StoreLoader

    loader = StoreLoader(tmp_path / "store", piece_bytes=1)
    for i in range(5):
        loader.add(f"<urn:g> {{ <urn:s{i}> <urn:p> <urn:o> . }}\n", "")
    loader.close()
    assert not loader.alive  # the loading process is gone: nothing writes there any more
    shutil.rmtree(tmp_path / "store")
    gc.collect()
    assert not (tmp_path / "store").exists()
