"""``kg build --incremental`` and ``kg export DIR``: the same bytes as a fresh build.

For an addition, a change and a removal of documents, the incremental build's
``extraction.jsonl``, its exports (made by ``kg export`` or on first read) and
its store's quads equal those of a fresh build of the same inputs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.incremental import PARTS_DIR, exports_pending, read_index
from kg.rdf.store import STORE_DIR, check_build_dir

ROOT = Path(__file__).resolve().parents[1]
FILES = ("extraction.jsonl", "graph.trig", "graph.ttl", "graph.graphml", "network.html")
# a short article of our own, in the shape of the seed pages
EXTRA = (
    "测试市总工会开展职工关爱行动\n"
    "2024-05-06\n"
    "测试市总工会联合测试市人力资源和社会保障局，为新就业形态劳动者开展“暖心驿站”服务。"
    "测试市总工会还与测试市人民检察院签订协作意见，共同维护职工合法权益。\n"
)


def _quads(directory: Path) -> list[str]:
    store = ox.Store.read_only(str(directory / STORE_DIR))
    dumped = store.dump(format=ox.RdfFormat.N_QUADS)
    assert dumped is not None
    lines = dumped.decode("utf-8").splitlines()
    del store
    return sorted(lines)


def _fresh(inputs: Path, out: Path) -> None:
    assert main(["build", str(inputs), "--out", str(out), "--quiet"]) == 0


def _incremental(inputs: Path, out: Path) -> None:
    assert main(["build", str(inputs), "--out", str(out), "--quiet", "--incremental"]) == 0


def _same(inc: Path, fresh: Path) -> None:
    assert (inc / "extraction.jsonl").read_bytes() == (fresh / "extraction.jsonl").read_bytes()
    assert _quads(inc) == _quads(fresh)
    assert exports_pending(inc)
    assert not (inc / "graph.trig").exists()
    assert main(["export", str(inc)]) == 0
    assert not exports_pending(inc)
    for name in FILES:
        assert (inc / name).read_bytes() == (fresh / name).read_bytes(), name


@pytest.fixture()
def inputs(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    shutil.copytree(ROOT / "seeds", src)
    return src


def test_add_change_remove_equal_a_fresh_build(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _fresh(inputs, out)
    assert read_index(out) is not None
    seeds = sorted(inputs.iterdir())

    # addition
    (inputs / "zz_extra.txt").write_text(EXTRA, encoding="utf-8")
    _incremental(inputs, out)
    _fresh(inputs, tmp_path / "f1")
    _same(out, tmp_path / "f1")

    # change (a sentence of our own appended to a page)
    with open(seeds[1], "a", encoding="utf-8") as fh:
        fh.write("\n测试市总工会与测试市妇女联合会联合开展女职工关爱活动。\n")
    _incremental(inputs, out)
    _fresh(inputs, tmp_path / "f2")
    _same(out, tmp_path / "f2")

    # removal
    seeds[0].unlink()
    (inputs / "zz_extra.txt").unlink()
    _incremental(inputs, out)
    _fresh(inputs, tmp_path / "f3")
    _same(out, tmp_path / "f3")


def test_exports_are_written_on_first_read(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _fresh(inputs, out)
    (inputs / "zz_extra.txt").write_text(EXTRA, encoding="utf-8")
    _incremental(inputs, out)
    assert not (out / "graph.trig").exists()
    # a reader of the store alone does not make them
    assert main(["query", str(out), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"]) == 0
    assert not (out / "graph.trig").exists()
    check_build_dir(out)  # what every reader of the files calls first
    _fresh(inputs, tmp_path / "fresh")
    for name in FILES:
        assert (out / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes(), name


def test_unchanged_inputs_extract_nothing(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    _fresh(inputs, out)

    def no(*args: object) -> None:
        raise AssertionError("nothing should be extracted")

    import kg.pipeline

    monkeypatch.setattr(kg.pipeline, "_analyse", no)
    _incremental(inputs, out)
    _fresh_out = tmp_path / "fresh"
    monkeypatch.undo()
    _fresh(inputs, _fresh_out)
    _same(out, _fresh_out)


def test_incremental_without_an_earlier_build_is_a_full_build(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _incremental(inputs, out)
    _fresh(inputs, tmp_path / "fresh")
    for name in FILES:
        assert (out / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes(), name
    assert (out / PARTS_DIR / "index.pkl").is_file()


def test_export_needs_both_format_and_out_or_neither(tmp_path: Path) -> None:
    assert main(["export", str(tmp_path), "--format", "gexf"]) == 2


def test_export_of_a_directory_without_parts_says_to_rebuild(tmp_path: Path) -> None:
    (tmp_path / "graph.trig").write_text("", encoding="utf-8")
    assert main(["export", str(tmp_path)]) == 3


def test_incremental_with_dask_or_a_url_is_a_usage_error(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["build", str(inputs), "--out", str(out), "--incremental", "--dask", "local"]) == 2
    assert "--incremental" in capsys.readouterr().err
    url = "memory://kg-incremental-test/build"
    assert main(["build", str(inputs), "--out", url, "--incremental"]) == 2
    assert not out.exists()
