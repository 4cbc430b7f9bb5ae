"""The scorer on tiny hand-made gold and prediction files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kg.errors import DataError, InputError
from kg.eval import evaluate, format_report, normalise_name, score


def _write(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


GOLD = [
    {
        "doc": "a.txt",
        "entities": [
            {"id": "e1", "type": "UnionBody", "name": "四川省总工会", "aliases": ["四川总工会"]},
            {
                "id": "e2",
                "type": "PartnerAgency",
                "name": "四川省高级人民法院",
                "aliases": ["四川省高院"],
                "implicit": True,
            },
            {"id": "e3", "type": "Program", "name": "一函两书", "aliases": ["一函两书制度"]},
            {"id": "e4", "type": "WorkerGroup", "name": "外卖骑手", "aliases": ["骑手"]},
        ],
        "relations": [
            {"s": "e1", "p": "cooperatesWith", "o": "e2", "evidence": "..."},
            {"s": "e1", "p": "runs", "o": "e3", "evidence": "..."},
            {"s": "e3", "p": "serves", "o": "e4", "evidence": "..."},
        ],
    },
    {"doc": "b.txt", "entities": [], "relations": []},
]

PRED = [
    {
        "doc": "a.txt",
        "entities": [
            {"id": "e1", "type": "UnionBody", "name": "四川总工会"},  # alias match
            {"id": "e2", "type": "PartnerAgency", "name": "四川省高级人民法院", "implicit": True},
            {"id": "e3", "type": "Program", "name": "“一函两书”制度"},  # marks removed
            {"id": "e4", "type": "WorkerGroup", "name": "快递员"},  # false positive
            {"id": "e5", "type": "UnionBody", "name": "四川省总工会"},  # duplicate of e1's match
        ],
        "relations": [
            {"s": "e2", "p": "cooperatesWith", "o": "e1"},  # symmetric, reversed order
            {"s": "e3", "p": "runs", "o": "e1"},  # wrong direction: relaxed only
        ],
    },
    {"doc": "c.txt", "entities": [{"id": "e1", "type": "UnionBody", "name": "X"}], "relations": []},
]


def test_normalisation() -> None:
    assert normalise_name(" 「廣東省總工會」 ") == "广东省总工会"
    assert normalise_name("《劳动法》") == "劳动法"
    assert normalise_name("ＡＰＰ") == "APP"


def test_entity_scores_all_and_explicit(tmp_path: Path) -> None:
    rep = evaluate(_write(tmp_path / "p.jsonl", PRED), _write(tmp_path / "g.jsonl", GOLD))
    ents = rep.entities
    assert (ents["UnionBody"].tp, ents["UnionBody"].fp, ents["UnionBody"].fn) == (1, 1, 0)
    assert (ents["PartnerAgency"].tp, ents["PartnerAgency"].fp) == (1, 0)
    assert ents["Program"].tp == 1
    assert (ents["WorkerGroup"].tp, ents["WorkerGroup"].fp, ents["WorkerGroup"].fn) == (0, 1, 1)
    assert (ents["all"].tp, ents["all"].fp, ents["all"].fn) == (3, 2, 1)
    assert ents["all"].precision == pytest.approx(3 / 5)
    assert ents["all"].recall == pytest.approx(3 / 4)
    # explicit: the implicit court is left out on both sides
    ex = rep.entities_explicit
    assert ex["PartnerAgency"].tp + ex["PartnerAgency"].fp + ex["PartnerAgency"].fn == 0
    assert (ex["all"].tp, ex["all"].fp, ex["all"].fn) == (2, 2, 1)


def test_relation_scores_strict_and_relaxed(tmp_path: Path) -> None:
    rep = evaluate(_write(tmp_path / "p.jsonl", PRED), _write(tmp_path / "g.jsonl", GOLD))
    rel = rep.relations
    assert (rel["cooperatesWith"].tp, rel["cooperatesWith"].fp) == (1, 0)
    assert (rel["runs"].tp, rel["runs"].fp, rel["runs"].fn) == (0, 1, 1)
    assert rel["serves"].fn == 1
    assert (rel["all"].tp, rel["all"].fp, rel["all"].fn) == (1, 1, 2)
    relaxed = rep.relations_relaxed
    assert (relaxed.tp, relaxed.fp, relaxed.fn) == (2, 0, 1)


def test_documents_missing_and_unscored(tmp_path: Path) -> None:
    rep = evaluate(_write(tmp_path / "p.jsonl", PRED), _write(tmp_path / "g.jsonl", GOLD))
    assert rep.docs == 2
    assert rep.missing_docs == ["b.txt"]
    assert rep.unscored_docs == ["c.txt"]


def test_misses_and_table(tmp_path: Path) -> None:
    rep = evaluate(_write(tmp_path / "p.jsonl", PRED), _write(tmp_path / "g.jsonl", GOLD))
    a = next(m for m in rep.misses if m.doc == "a.txt")
    assert a.entity_fp == ["WorkerGroup 快递员", "UnionBody 四川省总工会"]
    assert a.entity_fn == ["WorkerGroup 外卖骑手"]
    assert a.relation_fn == ["四川省总工会 -runs-> 一函两书", "一函两书 -serves-> 外卖骑手"]
    assert a.relation_fp == ["“一函两书”制度 -runs-> 四川总工会"]
    text = format_report(rep, misses=True)
    assert "entities (all)" in text and "relations (relaxed)" in text
    assert "WorkerGroup 快递员" in text
    assert "WorkerGroup 快递员" not in format_report(rep)
    assert json.dumps(rep.as_dict(), ensure_ascii=False)


def test_perfect_prediction_scores_one(tmp_path: Path) -> None:
    g = _write(tmp_path / "g.jsonl", GOLD)
    rep = evaluate(g, g)
    assert rep.entities["all"].f1 == 1.0
    assert rep.relations["all"].f1 == 1.0
    assert rep.relations_relaxed.f1 == 1.0


def test_one_to_one_matching() -> None:
    gold = [
        {
            "doc": "d",
            "entities": [
                {"id": "g1", "type": "Program", "name": "甲", "aliases": ["乙"]},
                {"id": "g2", "type": "Program", "name": "乙"},
            ],
        }
    ]
    pred = [{"doc": "d", "entities": [{"id": "p1", "type": "Program", "name": "乙"}]}]
    rep = score(pred, gold)
    assert (rep.entities["all"].tp, rep.entities["all"].fn) == (1, 1)


def test_broken_files_are_clear_errors(tmp_path: Path) -> None:
    g = _write(tmp_path / "g.jsonl", GOLD)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc": "a.txt", "entities": []}\n{not json\n', "utf-8")
    with pytest.raises(DataError, match=r"bad\.jsonl, line 2"):
        evaluate(bad, g)
    with pytest.raises(InputError):
        evaluate(tmp_path / "missing.jsonl", g)
    dangling = _write(
        tmp_path / "d.jsonl",
        [{"doc": "a.txt", "entities": [], "relations": [{"s": "e1", "p": "runs", "o": "e2"}]}],
    )
    with pytest.raises(DataError, match="unknown entity id"):
        evaluate(dangling, g)
    no_type = _write(tmp_path / "t.jsonl", [{"doc": "a.txt", "entities": [{"name": "x"}]}])
    with pytest.raises(DataError, match="type"):
        evaluate(no_type, g)


# --- calibration: reliability table and ECE ---------------------------------------

CAL_GOLD: list[dict[str, Any]] = [
    {
        "doc": "a.txt",
        "entities": [
            {"id": "g1", "type": "UnionBody", "name": "甲省总工会"},
            {"id": "g2", "type": "PartnerAgency", "name": "甲省人民检察院"},
            {"id": "g3", "type": "Program", "name": "一函两书"},
            {"id": "g4", "type": "WorkerGroup", "name": "外卖骑手"},
        ],
        "relations": [
            {"s": "g1", "p": "cooperatesWith", "o": "g2"},
            {"s": "g1", "p": "runs", "o": "g3"},
        ],
    }
]

CAL_PRED: list[dict[str, Any]] = [
    {
        "doc": "a.txt",
        "entities": [
            {"id": "e1", "type": "UnionBody", "name": "甲省总工会", "confidence": 0.95},
            {"id": "e2", "type": "PartnerAgency", "name": "甲省人民检察院", "confidence": 0.92},
            {"id": "e3", "type": "Program", "name": "一函两书", "confidence": 0.55},
            {"id": "e4", "type": "Program", "name": "劳动竞赛", "confidence": 0.58},
            {"id": "e5", "type": "WorkerGroup", "name": "快递员", "confidence": 0.35},
            # the same name again: the scorer keeps the first, so this one is not counted
            {"id": "e6", "type": "UnionBody", "name": "“甲省总工会”", "confidence": 0.1},
        ],
        "relations": [
            {"s": "e2", "p": "cooperatesWith", "o": "e1", "confidence": 0.85},  # right
            {"s": "e3", "p": "runs", "o": "e1", "confidence": 0.8},  # wrong direction
            {"s": "e1", "p": "runs", "o": "e3", "confidence": 0.3},  # right
        ],
    },
    # a document the gold does not have: not scored, so not in the tables
    {"doc": "z.txt", "entities": [{"id": "e1", "type": "UnionBody", "name": "X", "confidence": 1}]},
]


def test_reliability_table_and_ece_by_hand() -> None:
    from kg.eval import calibration_tables

    rep = score(CAL_PRED, CAL_GOLD)
    # exactly the scorer's predictions and outcomes: N = tp + fp
    assert len(rep.scored_entities) == rep.entities["all"].tp + rep.entities["all"].fp == 5
    assert [s.correct for s in rep.scored_entities] == [True, True, True, False, False]
    assert [s.correct for s in rep.scored_relations] == [True, False, True]
    tables = calibration_tables(rep)
    ents, rels = tables["entities"], tables["relations"]
    # entities: [0.9,1.0] 0.95 ok, 0.92 ok -> conf 0.935, precision 1, gap 0.065
    #           [0.5,0.6) 0.55 ok, 0.58 wrong -> conf 0.565, precision 0.5, gap 0.065
    #           [0.3,0.4) 0.35 wrong -> gap 0.35
    # ECE = 2/5 * 0.065 + 2/5 * 0.065 + 1/5 * 0.35 = 0.122
    assert [b.count for b in ents.bins] == [0, 0, 0, 1, 0, 2, 0, 0, 0, 2]
    assert ents.bins[9].mean_confidence == pytest.approx(0.935)
    assert ents.bins[5].precision == pytest.approx(0.5)
    assert ents.ece == pytest.approx(0.122)
    # relations: [0.8,0.9) 0.85 ok, 0.8 wrong -> conf 0.825, precision 0.5, gap 0.325
    #            [0.3,0.4) 0.3 ok -> gap 0.7
    # ECE = 2/3 * 0.325 + 1/3 * 0.7 = 0.45
    assert [b.count for b in rels.bins] == [0, 0, 0, 1, 0, 0, 0, 0, 2, 0]
    assert rels.ece == pytest.approx(0.45)


def test_reliability_bin_edges() -> None:
    from kg.eval import reliability

    r = reliability(
        [(0.0, False), (0.1, True), (0.3, True), (0.7, True), (0.99, True), (1.0, True)]
    )
    assert [b.count for b in r.bins] == [1, 1, 0, 1, 0, 0, 0, 1, 0, 2]
    assert (r.bins[0].lo, r.bins[9].hi) == (0.0, 1.0)
    assert reliability([]).ece == 0.0 and reliability([]).total == 0
    perfect = reliability([(1.0, True)] * 3 + [(0.5, True), (0.5, False)])
    assert perfect.ece == pytest.approx(0.0)


def test_calibration_needs_confidences() -> None:
    from kg.eval import calibration_tables

    rep = score(PRED, GOLD)  # hand-written predictions without confidences
    with pytest.raises(DataError, match="confidence"):
        calibration_tables(rep)


def test_cli_eval_calibration(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    pred = _write(tmp_path / "p.jsonl", CAL_PRED)
    gold = _write(tmp_path / "g.jsonl", CAL_GOLD)
    assert main(["eval", str(pred), "--gold", str(gold), "--calibration"]) == 0
    out = capsys.readouterr().out
    assert "calibration: entities" in out and "calibration: relations (strict)" in out
    assert "ECE 0.1220 over 5 prediction(s)" in out
    assert "ECE 0.4500 over 3 prediction(s)" in out
    assert "[0.9, 1.0]" in out and "[0.5, 0.6)" in out
    assert main(["eval", str(pred), "--gold", str(gold), "--calibration", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["calibration"]["entities"]["ece"] == pytest.approx(0.122)
    assert data["calibration"]["relations"]["n"] == 3
    assert main(["eval", str(pred), "--gold", str(gold)]) == 0
    assert "ECE" not in capsys.readouterr().out
    # predictions without confidences: a data error (exit 6), not a crash
    bare = _write(tmp_path / "bare.jsonl", PRED)
    assert main(["eval", str(bare), "--gold", str(gold), "--calibration"]) == 6


def test_eval_module_doctests() -> None:
    import doctest

    import kg.eval

    assert doctest.testmod(kg.eval).failed == 0
