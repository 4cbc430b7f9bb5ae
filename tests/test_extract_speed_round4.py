"""Regression tests of the extraction speed work (issue 14's whole-process clause)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.cli import main
from kg.errors import DataError
from kg.lexicon import worker_groups as wg


def test_a_broken_vocabulary_names_its_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The worker-group vocabulary is parsed with pyoxigraph now: a syntax error is
    still a DataError that names the file and says what to fix."""
    bad = tmp_path / "worker_groups.ttl"
    bad.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<a> skos:prefLabel ",
        encoding="utf-8",
    )
    monkeypatch.setattr("kg.resources.data_path", lambda name: bad)
    wg.worker_groups.cache_clear()
    try:
        with pytest.raises(DataError) as exc:
            wg.worker_groups()
        assert str(bad) in str(exc.value) and "Turtle" in (exc.value.hint or "")
    finally:
        wg.worker_groups.cache_clear()


def test_a_concept_without_one_chinese_label_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ttl = tmp_path / "worker_groups.ttl"
    ttl.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<http://example.org/g> a skos:Concept ; skos:prefLabel "riders"@en .\n',
        encoding="utf-8",
    )
    monkeypatch.setattr("kg.resources.data_path", lambda name: ttl)
    wg.worker_groups.cache_clear()
    try:
        with pytest.raises(DataError, match="0 Chinese prefLabels"):
            wg.worker_groups()
    finally:
        wg.worker_groups.cache_clear()


def test_the_shipped_vocabulary_reads_labels_by_language() -> None:
    vocab = wg.worker_groups()
    assert vocab.canonical("外卖小哥") == "外卖骑手"
    rider = vocab.by_surface["外卖骑手"]
    assert rider.english and rider.name == "外卖骑手" and "外卖小哥" in rider.labels
    assert all(g.iri.startswith("http") for g in vocab.groups)


def test_extract_summary_has_real_seconds_and_no_triples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "a.txt"
    page.write_text(
        "江苏省总工会与江苏省人民检察院联合开展“护薪行动”，为货车司机维权。\n", encoding="utf-8"
    )
    out = tmp_path / "x.jsonl"
    assert main(["extract", str(page), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "triples" not in printed
    seconds = [line for line in printed.splitlines() if line.startswith("seconds")]
    assert seconds and float(seconds[0].split()[1]) > 0
    assert out.read_text(encoding="utf-8").count("\n") == 1
