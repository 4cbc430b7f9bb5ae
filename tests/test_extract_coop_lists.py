"""Co-equal signers and hosts: pairwise cooperation, bounded for long lists.

Sentences are invented for these tests (none from the seeds or web sets).
"""

from __future__ import annotations

from kg.extract import extract_document
from kg.extract.relations.cooperation import MAX_PAIRWISE
from kg.model import DocResult
from tests.test_extract_entities import _doc


def _run(text: str) -> DocResult:
    doc, arts = _doc(text)
    return extract_document(doc, arts)


def _pairs(r: DocResult) -> set[frozenset[str]]:
    return {frozenset((x.s, x.o)) for x in r.relations if x.p == "cooperatesWith"}


def test_co_equal_signers_cooperate_pairwise() -> None:
    r = _run("湖北省总工会、湖北省财政厅、湖北省人社厅共同印发通知。")
    a, b, c = (
        "UnionBody:湖北省总工会",
        "PartnerAgency:湖北省财政厅",
        "PartnerAgency:湖北省人力资源和社会保障厅",
    )
    assert {frozenset((a, b)), frozenset((a, c)), frozenset((b, c))} <= _pairs(r)


def test_a_long_list_links_its_first_body_to_each_other_one() -> None:
    provinces = ("山西", "河北", "河南", "湖南", "湖北", "江西", "广东", "四川")
    r = _run("、".join(f"{p}省总工会" for p in provinces) + "共同签署合作协议。")
    pairs = _pairs(r)
    assert len(provinces) > MAX_PAIRWISE
    assert len(pairs) == len(provinces) - 1
    assert all("UnionBody:山西省总工会" in p for p in pairs)


def test_hosts_of_this_years_contest_run_it_and_co_hosts_take_part() -> None:
    r = _run(
        "湖南省第二届职工职业技能大赛在长沙开幕。"
        "本届大赛由省总工会、省人社厅等8家单位联合主办，长沙市总工会等5家单位承办。"
    )
    got = {(x.s.split(":", 1)[1], x.p, x.o.split(":", 1)[1]) for x in r.relations}
    contest = "湖南省第二届职工职业技能大赛"
    assert ("湖南省总工会", "runs", contest) in got
    assert ("湖南省人力资源和社会保障厅", "runs", contest) in got
    assert ("长沙市总工会", "participatesIn", contest) in got
    assert ("长沙市总工会", "runs", contest) not in got


def test_bodies_running_one_program_with_one_cue_cooperate() -> None:
    r = _run("四川省总工会、四川省妇联在成都举行“巾帼建功关爱行动”启动仪式。")
    got = {(x.s.split(":", 1)[1], x.p, x.o.split(":", 1)[1]) for x in r.relations}
    assert ("四川省总工会", "runs", "巾帼建功关爱行动") in got
    assert ("四川省妇女联合会", "runs", "巾帼建功关爱行动") in got
    assert frozenset(("UnionBody:四川省总工会", "PartnerAgency:四川省妇女联合会")) in _pairs(r)


def test_the_union_is_the_hub_of_a_long_list() -> None:
    r = _run(
        "云南省人社厅、发改委、公安厅、财政厅、住建厅、交通厅、水利厅、总工会八部门联合开展检查。"
    )
    pairs = _pairs(r)
    assert len(pairs) == 7
    assert all("UnionBody:云南省总工会" in p for p in pairs)


def test_a_list_of_regions_unions_closed_by_deng_goes_on_after_it() -> None:
    r = _run("西藏自治区总工会日前与上海、江苏等2省市工会及拉萨市务工服务工作组签订协议。")
    pairs = _pairs(r)
    tibet = "UnionBody:西藏自治区总工会"
    assert frozenset((tibet, "UnionBody:上海市总工会")) in pairs
    assert frozenset((tibet, "UnionBody:江苏省总工会")) in pairs
    assert any(tibet in p and any("工作组" in k for k in p) for p in pairs)
