"""The ``facts`` extractor, its output in extraction.jsonl and its scoring (FACTS.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.cli import main
from kg.eval import EvalReport, format_report, score_facts
from kg.extract import extract_document, merge_facts, registry
from kg.jsonl import doc_record
from kg.model import Article, Document, Fact, Sentence, TextView


def _extract(text: str, extractors: list[str] | None = None) -> dict[str, object]:
    doc = Document("t.txt", "t.txt", text)
    sentences = []
    pos = 0
    for i, part in enumerate(text.split("。")):
        if not part:
            continue
        piece = part + "。"
        sentences.append(Sentence(i, pos, pos + len(piece), TextView.from_pieces([(piece, pos)])))
        pos += len(piece)
    art = Article("t.txt", 0, 0, len(text), "", sentences=sentences)
    result = extract_document(doc, [art], extractors=extractors)
    return doc_record(result)


def _by_value(rec: dict[str, object]) -> dict[object, dict[str, object]]:
    facts = rec["facts"]
    assert isinstance(facts, list)
    return {f["value"]: f for f in facts}


def _name(rec: dict[str, object], eid: object) -> str | None:
    ents = rec["entities"]
    assert isinstance(ents, list)
    return next((e["name"] for e in ents if e["id"] == eid), None)


def test_registered() -> None:
    assert "facts" in registry.names()


def test_money_and_people_with_subject_and_group() -> None:
    text = "湖南省长沙市总工会今年为312名农民工追回欠薪86万元。"
    rec = _extract(text)
    facts = _by_value(rec)
    money, people = facts[860000], facts[312]
    assert (money["kind"], money["unit"], money["approx"]) == ("money", "元", False)
    assert money["what"] == "欠薪"
    assert (people["kind"], people["unit"]) == ("people", "人")
    for f in (money, people):
        assert _name(rec, f["subject"]) == "长沙市总工会"
        assert text[f["start"] : f["end"]] in ("86万元", "312名")
        assert f["evidence_start"] <= f["start"] < f["end"] <= f["evidence_end"]
        assert 0 < f["confidence"] <= 1
        assert f["extractor"] == "facts"
    assert _name(rec, people["group"]) == "农民工"


def test_subject_carried_to_the_next_sentence() -> None:
    text = "甘肃省总工会开展劳动法律监督。全年发出提示函137份。"
    rec = _extract(text)
    fact = _by_value(rec)[137]
    assert (fact["kind"], fact["unit"]) == ("count", "份")
    assert _name(rec, fact["subject"]) == "甘肃省总工会"


def test_hedged_and_exact_values() -> None:
    rec = _extract("四川省总工会筹集资金3.5亿余元,慰问职工1.1万人次。")
    facts = _by_value(rec)
    assert facts[350000000]["approx"] is True
    assert facts[11000]["unit"] == "人次" and facts[11000]["approx"] is False
    assert isinstance(facts[11000]["value"], int)


def test_not_facts_in_a_document() -> None:
    rec = _extract("2025年3月,四川省总工会构建6大机制,开通12351热线,覆盖30%的企业。")
    assert rec["facts"] == []


def test_facts_need_no_relation_extractor() -> None:
    rec = _extract("江苏省总工会发放慰问金200万元。", extractors=["facts"])
    assert [f["value"] for f in rec["facts"]] == [2000000]
    assert rec["relations"] == []


def test_no_facts_extractor_no_facts() -> None:
    rec = _extract("江苏省总工会发放慰问金200万元。", extractors=["runs"])
    assert rec["facts"] == []


def _fact(
    value: int, what: str, start: int, subject: str | None = None, origin: str = "frame"
) -> Fact:
    end = start + 3
    return Fact("count", value, "个", False, what, subject, None, 0, 0, start, end, 0, 10, "",
                "facts", 0.9, origin)  # fmt: skip


def test_merge_keeps_a_repeated_figure_once() -> None:
    facts = [_fact(16, "驿站", 0), _fact(16, "智能驿站", 20), _fact(16, "车间", 40)]
    assert [f.what for f in merge_facts(facts)] == ["驿站", "车间"]
    big = [_fact(5800, "一函两书", 0), _fact(5800, "函", 20)]
    assert len(merge_facts(big)) == 1
    other = [_fact(2, "工作人员", 0, "A"), _fact(2, "工作人员", 20, "B")]
    assert len(merge_facts(other)) == 2  # each named with its own body
    again = [_fact(9, "基地", 0, "A"), _fact(9, "基地", 20, "B", origin="carried")]
    assert (
        len(merge_facts(again)) == 1
    )  # told again, its body only carried over  # each named with its own body
    again = [_fact(9, "基地", 0, "A"), _fact(9, "基地", 20, "B", origin="carried")]
    assert len(merge_facts(again)) == 1  # told again, its body only carried over


# --- scoring ------------------------------------------------------------------

_GOLD_ENTS = [
    {
        "doc": "d",
        "entities": [
            {"id": "e1", "type": "UnionBody", "name": "区总工会", "aliases": ["区总"]},
            {"id": "e2", "type": "Program", "name": "护薪行动"},
            {"id": "e3", "type": "Program", "name": "暖心驿站"},
            {"id": "e4", "type": "UnionBody", "name": "市总工会"},
        ],
        "relations": [{"s": "e4", "p": "runs", "o": "e3"}],
    }
]
_GOLD_FACTS = [
    {
        "doc": "d",
        "facts": [
            {"kind": "money", "value": 1200000, "unit": "元", "subject": "e1"},
            {"kind": "money", "value": 1200000, "unit": "元", "subject": "e2"},
        ],
    }
]


def _pred(facts: list[dict[str, object]]) -> list[dict[str, object]]:
    ents = [
        {"id": "p1", "type": "Program", "name": "护薪行动"},
        {"id": "p2", "type": "UnionBody", "name": "区总工会"},
        {"id": "p3", "type": "UnionBody", "name": "市总工会"},
    ]
    return [{"doc": "d", "entities": ents, "relations": [], "facts": facts}]


def test_worked_example_matches_whatever_the_order() -> None:
    """FACTS.md: 区总工会 recovers 120万元 and a program pays 120万元."""
    for order in (("p1", "p2"), ("p2", "p1")):
        facts = [{"kind": "money", "value": 1200000, "unit": "元", "subject": s} for s in order]
        report = score_facts(_pred(facts), _GOLD_ENTS, _GOLD_FACTS, EvalReport("p", "g"))
        assert report.facts_value is not None and report.facts_attached is not None
        v, a = report.facts_value["all"], report.facts_attached["all"]
        assert (v.tp, v.fp, v.fn) == (2, 0, 0)
        assert (a.tp, a.fp, a.fn) == (2, 0, 0)
        assert report.facts_value["money"].tp == 2


def test_wrong_subject_is_one_fp_and_one_fn_in_attached() -> None:
    facts = [{"kind": "money", "value": 1201000, "unit": "元", "subject": "p3"}]
    report = score_facts(_pred(facts), _GOLD_ENTS, _GOLD_FACTS, EvalReport("p", "g"))
    assert report.facts_value is not None and report.facts_attached is not None
    v, a = report.facts_value["all"], report.facts_attached["all"]
    assert (v.tp, v.fp, v.fn) == (1, 0, 1)  # within 0.5 %
    assert (a.tp, a.fp, a.fn) == (0, 1, 2)


def test_tolerance_unit_and_ties() -> None:
    gold = [
        {
            "doc": "d",
            "facts": [
                {"kind": "count", "value": 12, "unit": "個", "subject": "e3"},
                {"kind": "people", "value": 1000, "unit": "人"},
            ],
        }
    ]
    facts = [
        {"kind": "count", "value": 12, "unit": "个", "subject": "p3"},  # runs ties 市总工会
        {"kind": "people", "value": 1006, "unit": "人"},  # 0.6 %: no match
        {"kind": "people", "value": 1000, "unit": "人次"},  # another unit
    ]
    report = score_facts(_pred(facts), _GOLD_ENTS, gold, EvalReport("p", "g"))
    assert report.facts_value is not None and report.facts_attached is not None
    v, a = report.facts_value["all"], report.facts_attached["all"]
    assert (v.tp, v.fp, v.fn) == (1, 2, 1)
    assert (a.tp, a.fp, a.fn) == (1, 2, 1)
    text = format_report(report)
    assert "value micro (all)" in text and "attached count" in text


def test_cli_eval_facts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pred, gold, fgold = tmp_path / "p.jsonl", tmp_path / "g.jsonl", tmp_path / "f.jsonl"
    facts = [{"kind": "money", "value": 1200000, "unit": "元", "subject": "p2"}]
    pred.write_text(json.dumps(_pred(facts)[0], ensure_ascii=False) + "\n", encoding="utf-8")
    gold.write_text(json.dumps(_GOLD_ENTS[0], ensure_ascii=False) + "\n", encoding="utf-8")
    fgold.write_text(json.dumps(_GOLD_FACTS[0], ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["eval", str(pred), "--gold", str(gold), "--facts", str(fgold)]) == 0
    out = capsys.readouterr().out
    assert "value micro (all)" in out and "attached money" in out
    assert out.index("relations (strict)") < out.index("value micro")
    with pytest.raises(SystemExit):
        main(["eval", "--help"])
    assert "--facts" in capsys.readouterr().out


def test_figures_listed_after_a_body_belong_to_it() -> None:
    text = "专班由两方组成,即江苏省总工会1名副主席+3名干部,南京市人民检察院2名检察官。"
    rec = _extract(text)
    owners = {f["value"]: _name(rec, f.get("subject")) for f in rec["facts"]}
    assert owners[1] == owners[3] == "江苏省总工会"
    assert owners[2] == "南京市人民检察院"


def test_a_counted_program_is_not_the_subject() -> None:
    text = "浙江省总工会设置“技能强省”等8个竞赛项目和“匠心杯”等5个竞赛项目,共计13个竞赛项目。"
    rec = _extract(text)
    for f in rec["facts"]:
        assert _name(rec, f.get("subject")) == "浙江省总工会"


def test_a_figure_before_any_actor_is_the_first_named_subjects() -> None:
    text = "全年发放助学金860万元。广东省总工会今年继续开展金秋助学活动。"
    rec = _extract(text)
    assert _name(rec, _by_value(rec)[8600000]["subject"]) == "广东省总工会"


def test_a_count_of_the_listed_organisers_is_the_events() -> None:
    """Regression: 本届大赛由A、B等N家单位主办 gave the figure to the first organiser;
    the figure counts the list, and is about the event the clause is about."""
    text = (
        "10月8日,湖南省第三届职工职业技能大赛在长沙开幕。"
        "本届大赛由省总工会、省人力资源和社会保障厅等9家单位联合主办。"
    )
    rec = _extract(text)
    fact = _by_value(rec)[9]
    assert (fact["kind"], fact["unit"]) == ("count", "家")
    assert _name(rec, fact["subject"]) == "湖南省第三届职工职业技能大赛"


def test_a_counted_facility_is_the_figure_of_its_program() -> None:
    """16处职工之家: the figure counts the sites of a facility program (FACTS.md gold:
    5142家工会驿站 is the program's); a program that only qualifies the counted noun
    (6个X选拔项目) is not the subject."""
    rec = _extract("江西省南昌市总工会今年新建12处户外劳动者之家。")
    assert _name(rec, _by_value(rec)[12]["subject"]) == "户外劳动者之家"
    rec = _extract(
        "5月3日,浙江省第二届职工技能大赛在杭州开幕。本届大赛设置4个全国职工技能大赛选拔项目。"
    )
    assert _name(rec, _by_value(rec)[4]["subject"]) == "浙江省第二届职工技能大赛"
