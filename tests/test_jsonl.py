"""The extraction JSON Lines writer and reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import DataError, InputError
from kg.eval import evaluate
from kg.jsonl import doc_record, read_jsonl, write_extraction
from kg.model import (
    Article,
    DocResult,
    Document,
    Entity,
    Evidence,
    Mention,
    Relation,
    Sentence,
    TextView,
)

TEXT = "四川省总工会开展“一函两书”。"


def _result(doc_id: str = "a.txt") -> DocResult:
    doc = Document(doc_id, doc_id, TEXT)
    sent = Sentence(0, 0, len(TEXT), TextView.from_pieces([(TEXT, 0)]))
    art = Article(doc_id, 0, 0, len(TEXT), "", sentences=[sent])
    u = Entity("UnionBody", "四川省总工会", {"四川总工会"}, level="province", region_code="510000")
    p = Entity("Program", "一函两书", {"一函两书制度"})
    unused = Entity("WorkerGroup", "快递员")
    ev = Evidence(doc_id, 0, 0, 0, len(TEXT), TEXT, 0, 6, 9, 13, "cue", 0.9, "开展", 6, 8)
    return DocResult(
        doc,
        [art],
        {e.key: e for e in (p, u, unused)},
        [
            Mention(u.key, 0, 6, "四川省总工会", 0, 0, recogniser="org.region"),
            Mention(p.key, 9, 13, "一函两书", 0, 0, confidence=0.85, recogniser="program.quoted"),
        ],
        [Relation(u.key, "runs", p.key, [ev])],
    )


def test_record_has_the_guidelines_keys() -> None:
    rec = doc_record(_result())
    assert rec["doc"] == "a.txt"
    ents = rec["entities"]
    assert [e["id"] for e in ents] == ["e1", "e2"]  # order of first mention
    assert ents[0]["name"] == "四川省总工会" and ents[0]["aliases"] == ["四川总工会"]
    assert ents[0]["mentions"][0] == {
        "start": 0,
        "end": 6,
        "text": "四川省总工会",
        "article": 0,
        "sentence": 0,
        "implicit": False,
        "confidence": 1.0,
        "recogniser": "org.region",
    }
    assert all(e["name"] != "快递员" for e in ents)  # no mention, not emitted
    (rel,) = rec["relations"]
    assert (rel["s"], rel["p"], rel["o"]) == ("e1", "runs", "e2")
    assert rel["evidence"] == TEXT and rel["trigger"] == "开展"
    assert rel["evidences"][0]["s_start"] == 0 and rel["evidences"][0]["extractor"] == "cue"


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "out" / "extraction.jsonl"
    n = write_extraction([_result("a.txt"), _result("b.txt")], path)
    assert n == 2
    back = read_jsonl(path)
    assert back == [
        json.loads(json.dumps(doc_record(r))) for r in (_result("a.txt"), _result("b.txt"))
    ]
    assert path.read_text("utf-8").count("\n") == 2
    assert "四川省总工会" in path.read_text("utf-8")  # not \\u-escaped
    # the output scores perfectly against itself
    rep = evaluate(path, path)
    assert rep.entities["all"].f1 == 1.0 and rep.relations["all"].f1 == 1.0


def test_broken_line_names_file_and_line(tmp_path: Path) -> None:
    p = tmp_path / "x.jsonl"
    p.write_text('{"doc": "a"}\n\n[1, 2]\n', "utf-8")
    with pytest.raises(DataError, match=r"x\.jsonl, line 3"):
        read_jsonl(p)
    p.write_text('{"doc": "a"}\n{"doc": \n', "utf-8")
    with pytest.raises(DataError, match="line 2"):
        read_jsonl(p)
    p.write_bytes(b"\xff\xfe{")
    with pytest.raises(DataError):
        read_jsonl(p)
    with pytest.raises(InputError):
        read_jsonl(tmp_path / "nope.jsonl")


def test_failed_write_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"

    def results():  # type: ignore[no-untyped-def]
        yield _result()
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_extraction(results(), path)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []
