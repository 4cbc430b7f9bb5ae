"""The on-disk store of a build (``DIR/store``): what it holds, read-only use, old builds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from test_rdf_fixture import make_results

from kg.cli import main
from kg.rdf.build import to_dataset, write_graphs
from kg.rdf.query import select
from kg.rdf.reason import reason
from kg.rdf.store import (
    INFERRED_GRAPH_IRI,
    STORE_DIR,
    has_store,
    open_build,
    provenance_quads,
    write_store,
)

KG = "https://w3id.org/union-kg/ontology#"
BASE = "https://w3id.org/union-kg/id/"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sbuild") / "out"
    assert main(["build", str(ROOT / "seeds"), "--out", str(out), "--quiet", "--no-html"]) == 0
    return out


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_build_writes_a_store_with_the_graphs(build: Path) -> None:
    assert has_store(build)
    store = open_build(build)
    assert not store.from_files
    trig = ox.Store()
    trig.bulk_load(path=str(build / "graph.trig"), format=ox.RdfFormat.TRIG)
    # every named graph of graph.trig, quad for quad
    named = {q for q in store.ox if not isinstance(q.graph_name, ox.DefaultGraph)}
    assert named == set(trig)
    # the default graph: the merged graph, the ontology and the index links
    default = {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.ox.quads_for_pattern(None, None, None, ox.DefaultGraph())
    }
    union = {ox.Triple(q.subject, q.predicate, q.object) for q in trig}
    # the merged graph is the union less the evidence nodes (in their article graph only)
    evidence = {t for t in union if t.subject.value.startswith(BASE + "evidence/")}
    assert len(evidence) > 100
    merged = union - evidence
    assert merged <= default
    assert not evidence & default
    assert not any(t.subject.value.startswith(BASE + "evidence/") for t in default)
    extra = default - merged
    assert any(t.subject == ox.NamedNode(KG + "cooperatesWith") for t in extra)  # ontology
    preds = {t.predicate.value for t in extra}
    assert {KG + "within", KG + "inProvince"} <= preds


def test_index_links(build: Path) -> None:
    rows = select(
        build,
        "SELECT ?p WHERE { ?b rdfs:label '江苏省总工会'@zh ; kg:inProvince ?r . ?r rdfs:label ?p }",
    )
    assert [r["p"] for r in rows] == ["江苏省"]
    # every body with a region in a province has its province, and within is reflexive
    rows = select(
        build,
        "SELECT ?b WHERE { ?b kg:region ?r . ?r kg:partOf* ?p . ?p kg:adminLevel 'province' "
        "FILTER NOT EXISTS { ?b kg:inProvince ?p } }",
    )
    assert rows == []
    rows = select(build, "SELECT ?r WHERE { ?r a kg:Region FILTER NOT EXISTS { ?r kg:within ?r } }")
    assert rows == []


def test_queries_leave_the_store_unchanged(build: Path) -> None:
    before = _files(build)
    assert main(["query", str(build), "partners"]) == 0
    assert main(["query", str(build), "evidence"]) == 0
    assert main(["stats", str(build)]) == 0
    assert _files(build) == before


def test_stats_from_store_equals_stats_from_files(build: Path, tmp_path: Path) -> None:
    from kg.graph import load_build, stats

    old = tmp_path / "old"
    old.mkdir()
    for name in ("graph.trig", "graph.ttl"):
        shutil.copy(build / name, old / name)
    assert stats(load_build(build)) == stats(load_build(old))


def test_old_build_without_store_warns_and_still_answers(
    build: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old"
    shutil.copytree(build, old)
    shutil.rmtree(old / STORE_DIR)
    assert main(["query", str(old), "partners"]) == 0
    captured = capsys.readouterr()
    assert "江苏省人民检察院" in captured.out
    assert "has no store" in captured.err and "kg build" in captured.err
    assert open_build(old).from_files


def test_reason_puts_the_derived_triples_into_the_store(tmp_path: Path) -> None:
    write_graphs(to_dataset(make_results()), tmp_path)
    assert has_store(tmp_path)
    assert not open_build(tmp_path).has_inferred
    report = reason(tmp_path)
    assert report.inferred > 0
    store = open_build(tmp_path)
    assert store.has_inferred and not store.from_files
    inferred = list(store.ox.quads_for_pattern(None, None, None, ox.NamedNode(INFERRED_GRAPH_IRI)))
    assert len(inferred) == report.inferred
    # and in the default graph, where the named queries look
    rows = select(
        tmp_path,
        "SELECT ?p WHERE { ?c rdfs:label '高邮市总工会'@zh ; kg:subOrganizationOf ?x . "
        "?x rdfs:label ?p } ORDER BY ?p",
    )
    assert [r["p"] for r in rows] == ["中华全国总工会", "扬州市总工会", "江苏省总工会"]
    # reasoning again gives the same file and leaves no temporary directories
    text = (tmp_path / "inferred.trig").read_bytes()
    reason(tmp_path)
    assert (tmp_path / "inferred.trig").read_bytes() == text
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".store")]


def test_provenance_quads_skip_default_and_inferred(tmp_path: Path) -> None:
    write_graphs(to_dataset(make_results()), tmp_path)
    reason(tmp_path)
    quads = list(provenance_quads(open_build(tmp_path).ox))
    graphs = {g for *_, g in quads}
    assert INFERRED_GRAPH_IRI not in graphs
    assert all(g.startswith("https://w3id.org/union-kg/id/") for g in graphs)
    literals = [o for _, _, o, _ in quads if type(o).__name__ == "Literal"]
    assert any(getattr(o, "language", None) == "zh" for o in literals)


def test_queries_answer_while_a_build_replaces_the_directory(build: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "out"
    shutil.copytree(build, out)
    cmd = [sys.executable, "-m", "kg.cli", "build", str(ROOT / "seeds"), "--out", str(out)]
    proc = subprocess.Popen([*cmd, "--quiet", "--no-html"])
    answers = 0
    try:
        while proc.poll() is None or answers < 3:
            rows = select(out, "procuratorate_cooperation")
            assert len(rows) == 5, rows
            answers += 1
    finally:
        assert proc.wait(120) == 0
    assert answers >= 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_reason_updates_the_store_like_a_fresh_load(tmp_path: Path) -> None:
    from kg.rdf.store import write_store

    write_graphs(to_dataset(make_results()), tmp_path)
    for _ in range(2):  # the second run replaces what the first put in
        reason(tmp_path)
        fresh = write_store(tmp_path, tmp_path / "fresh")
        got = set(open_build(tmp_path).ox)
        want = set(ox.Store.read_only(str(fresh)))
        shutil.rmtree(fresh)
        assert got == want


def test_kg_query_on_a_store_does_not_import_rdflib(build: Path) -> None:
    """Reading a build through its store needs no rdflib: a `kg query` process starts
    about 60 ms sooner (issue 15: one call, start-up included, within 0.6 s)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from kg.cli import main\n"
        f"assert main(['query', {str(build)!r}, 'union_hierarchy', '--format', 'csv']) == 0\n"
        "print('rdflib' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_every_way_of_loading_a_build_gives_the_streamed_store(build: Path, tmp_path: Path) -> None:
    """The store a build streams, the one ``write_store`` loads from its files (reading
    ``graph.ttl`` without the evidence blocks) and the in-memory one of a directory
    without a store (with and without ``graph.ttl``) hold the same quads (the
    in-memory one has no ontology, so its label order differs)."""

    def quads(store: ox.Store, ontology: bool = True) -> set[ox.Quad]:
        onto = {
            ox.Quad(t.subject, t.predicate, t.object)
            for t in ox.parse(path=str(ROOT / "ontology" / "kg.ttl"), format=ox.RdfFormat.TURTLE)
        }
        got = set(store)
        if ontology:
            return got
        # without the ontology, its labels do not take places in kg:labelOrder
        return {q for q in got - onto if q.predicate.value != KG + "labelOrder"}

    streamed = quads(open_build(build).ox)
    assert not any(
        q.subject.value.startswith(BASE + "evidence/")
        for q in streamed
        if isinstance(q.graph_name, ox.DefaultGraph)
    )
    assert quads(ox.Store.read_only(str(write_store(build, tmp_path / "loaded")))) == streamed
    old = tmp_path / "old"
    shutil.copytree(build, old)
    shutil.rmtree(old / STORE_DIR)
    in_memory = quads(open_build(old).ox, ontology=False)
    assert in_memory == quads(open_build(build).ox, ontology=False)
    (old / "graph.ttl").unlink()  # the default graph copied from the named graphs instead
    assert quads(open_build(old).ox, ontology=False) == in_memory
