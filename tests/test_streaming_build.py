"""The streaming build: graph files, networkx view and store made one document at a time.

The eager path (every quad in a list: :func:`kg.rdf.build.write_graphs`,
:func:`kg.graph.to_networkx`) is the reference: the streaming writers must give
the same bytes.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pytest
from test_rdf_fixture import make_results

import kg.rdf.stream as stream_mod
from kg import pipeline
from kg.graph import NetworkBuilder, to_networkx, write_graphml
from kg.model import DocResult
from kg.pipeline import extract_paths
from kg.rdf.build import QuadBuilder, build_quads, write_graphs
from kg.rdf.stream import GraphStream

ROOT = Path(__file__).resolve().parents[1]


def _streamed(results: list[DocResult], out: Path) -> int:
    out.mkdir(parents=True)
    work = out / "work"
    work.mkdir()
    builder = QuadBuilder()
    stream = GraphStream(work)
    for res in results:
        builder.add(res)
        quads, builder.quads = builder.quads, []
        stream.add(quads)
    return stream.finish(builder.finish(), out)


def _eager(results: list[DocResult], out: Path) -> int:
    out.mkdir(parents=True)
    return write_graphs(build_quads(results), out, store=False)["triples"]


@pytest.fixture(scope="module")
def seed_results() -> list[DocResult]:
    return extract_paths([ROOT / "seeds"])


@pytest.mark.parametrize("run_bytes", [1, 32 << 20])
def test_stream_writes_the_eager_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_bytes: int
) -> None:
    # run_bytes=1: every document is a sorted run of its own, merged at the end
    monkeypatch.setattr(stream_mod, "RUN_BYTES", run_bytes)
    results = make_results()
    n = _streamed(results, tmp_path / "s")
    m = _eager(results, tmp_path / "e")
    assert n == m
    for name in ("graph.trig", "graph.ttl"):
        assert (tmp_path / "s" / name).read_bytes() == (tmp_path / "e" / name).read_bytes()


def test_implicit_is_decided_after_the_last_document(tmp_path: Path) -> None:
    # an entity implicit in one document and explicit in a later one: never implicit
    results = make_results()
    _streamed(results, tmp_path / "s")
    trig = (tmp_path / "s" / "graph.trig").read_text(encoding="utf-8")
    assert "\x00" not in trig
    assert "kg:implicit true" in trig or 'kg:implicit "true"^^xsd:boolean' in trig
    _eager(results, tmp_path / "e")
    assert trig == (tmp_path / "e" / "graph.trig").read_text(encoding="utf-8")


def test_stream_of_the_seeds_is_byte_identical(
    tmp_path: Path, seed_results: list[DocResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stream_mod, "RUN_BYTES", 4096)
    assert _streamed(seed_results, tmp_path / "s") == _eager(seed_results, tmp_path / "e")
    for name in ("graph.trig", "graph.ttl"):
        assert (tmp_path / "s" / name).read_bytes() == (tmp_path / "e" / name).read_bytes()


def test_stream_of_nothing(tmp_path: Path) -> None:
    assert _streamed([], tmp_path / "s") == _eager([], tmp_path / "e") == 0
    for name in ("graph.trig", "graph.ttl"):
        assert (tmp_path / "s" / name).read_bytes() == (tmp_path / "e" / name).read_bytes()


def _graphml(G: nx.MultiDiGraph, path: Path) -> bytes:
    write_graphml(G, path)
    return path.read_bytes()


def _per_document(results: list[DocResult], **caps: int) -> NetworkBuilder:
    builder = QuadBuilder()
    net = NetworkBuilder(**caps)
    for res in results:
        builder.add(res)
        quads, builder.quads = builder.quads, []
        net.add((s, p, o, str(g)) for s, p, o, g in quads)
    net.add((s, p, o, str(g)) for s, p, o, g in builder.finish())
    return net


def test_network_builder_per_document_is_to_networkx(
    tmp_path: Path, seed_results: list[DocResult]
) -> None:
    for results in (make_results(), seed_results):
        eager = to_networkx(build_quads(results))
        streamed = _per_document(results).graph()
        assert _graphml(streamed, tmp_path / "s.graphml") == _graphml(eager, tmp_path / "e.graphml")


def test_network_builder_limits_are_counted_and_order_free(
    tmp_path: Path, seed_results: list[DocResult]
) -> None:
    full = _per_document(seed_results).graph()
    capped = _per_document(seed_results, max_evidence=1, max_facts=1).graph()
    backwards = _per_document(seed_results[::-1], max_evidence=1, max_facts=1).graph()
    assert _graphml(capped, tmp_path / "a.graphml") == _graphml(backwards, tmp_path / "b.graphml")
    assert sorted(full.edges(keys=True)) == sorted(capped.edges(keys=True))
    omitted = 0
    for u, v, k, d in capped.edges(keys=True, data=True):
        whole = full.edges[u, v, k]
        assert d["weight"] == whole["weight"]
        assert d["evidence"] == whole["evidence"][:1]
        assert d.get("evidence_omitted", 0) == len(whole["evidence"]) - len(d["evidence"])
        omitted += d.get("evidence_omitted", 0)
    assert omitted > 0  # the seeds have edges read more than once
    for n, d in capped.nodes(data=True):
        facts = json.loads(full.nodes[n]["facts"])
        assert json.loads(d["facts"]) == facts[:1]
        assert d.get("facts_omitted", 0) == max(0, len(facts) - 1)
        totals = {k: v for k, v in full.nodes[n].items() if k.startswith("total_")}
        assert {k: v for k, v in d.items() if k.startswith("total_")} == totals


def test_pipeline_build_equals_the_eager_path(
    tmp_path: Path, seed_results: list[DocResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "MAX_EVIDENCE_PER_EDGE", None)
    monkeypatch.setattr(pipeline, "MAX_FACTS_PER_NODE", None)
    out = tmp_path / "out"
    summary = pipeline.build([ROOT / "seeds"], out, html=False, progress=False)
    eager = tmp_path / "eager"
    assert summary.triples == _eager(seed_results, eager)
    for name in ("graph.trig", "graph.ttl"):
        assert (out / name).read_bytes() == (eager / name).read_bytes()
    G = to_networkx(build_quads(seed_results))
    assert (out / "graph.graphml").read_bytes() == _graphml(G, tmp_path / "e.graphml")
    assert not [p for p in out.iterdir() if p.name.startswith(".spool")]
    buf = io.StringIO()
    buf.write((out / "extraction.jsonl").read_text(encoding="utf-8"))
    assert buf.getvalue().count("\n") == len(seed_results)


def test_bounded_results_keep_input_order(monkeypatch: pytest.MonkeyPatch) -> None:
    # one document per task and one task in flight per worker: order as iter_results
    from kg import parallel

    monkeypatch.setattr(pipeline, "DOCS_PER_TASK", 1)
    monkeypatch.setattr(parallel, "AHEAD", 1)
    got = pipeline.iter_results([ROOT / "seeds"], workers=2, progress=False)
    want = pipeline.iter_results([ROOT / "seeds"])
    assert [r.doc.doc_id for r in got] == [r.doc.doc_id for r in want]


def test_build_streams_without_automatic_collection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # regression: the automatic collector's full collections walked the views' growing
    # state again and again, so the build's own CPU time grew faster than the corpus
    # (a third of it at 100x seeds). While documents stream, it is off; young
    # generations are collected every TRIM_EVERY documents; it is back on afterwards.
    import gc

    seen: list[bool] = []
    young: list[int] = []
    add = pipeline.Views.add

    def spy(self: pipeline.Views, res: DocResult) -> list[object]:
        seen.append(gc.isenabled())
        return add(self, res)

    real_collect = gc.collect

    def counted(generation: int = 2) -> int:
        young.append(generation)
        return real_collect(generation)

    monkeypatch.setattr(pipeline.Views, "add", spy)
    monkeypatch.setattr(pipeline, "TRIM_EVERY", 2)
    monkeypatch.setattr(gc, "collect", counted)
    assert gc.isenabled()
    pipeline.build([ROOT / "seeds"], tmp_path / "out", html=False, progress=False)
    assert seen and not any(seen)
    assert young.count(1) == len(seen) // 2
    assert gc.isenabled()


def test_collector_is_restored_after_a_failed_build(tmp_path: Path) -> None:
    import gc

    from kg.errors import KGError

    with pytest.raises(KGError):
        pipeline.build([tmp_path / "missing"], tmp_path / "out", html=False, progress=False)
    assert gc.isenabled()
    gc.disable()
    try:  # a caller that had it off keeps it off
        with pipeline.streaming_collector():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
