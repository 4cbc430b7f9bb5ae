"""Round 2 of entity recognition: program precision rules and short references.

Every sentence here is invented (other provinces, other programs than the seeds);
each test states one general rule with examples that it must accept and reject.
"""

from __future__ import annotations

import pytest

from kg.extract import extract_document
from kg.model import Article, DocResult, Document, Sentence, TextView


def _extract(*sentences: str) -> DocResult:
    text = "".join(sentences)
    doc = Document("t.txt", "t.txt", text)
    sents = []
    pos = 0
    for i, s in enumerate(sentences):
        sents.append(Sentence(i, pos, pos + len(s), TextView.from_pieces([(s, pos)])))
        pos += len(s)
    arts = [Article("t.txt", 0, 0, len(text), "", sentences=sents)]
    # the recognisers' own confidences (calibration: tests/test_calibration.py)
    return extract_document(doc, arts, extractors=[], calibrated=False)


def _programs(r: DocResult) -> set[str]:
    return {e.name for e in r.entities.values() if e.type == "Program"}


def _check_offsets(r: DocResult) -> None:
    for m in r.mentions:
        assert m.text == r.doc.text[m.start : m.end]
        assert m.entity in r.entities


# --- programs: what a quoted string is ------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "安徽省总工会推动各方力量汇聚,形成“同心圆”共治合力。",  # a result
        "全市建成工会服务点300个,实现“十分钟可达”。",
        "市总工会为环卫工人打造“温馨港湾”。",  # a metaphor
        "区总工会建强“红色阵地”,凝聚职工。",
        "县总工会对基层工会干部开展“面对面”辅导。",  # a manner
    ],
)
def test_results_metaphors_and_manners_are_not_programs(sentence: str) -> None:
    r = _extract(sentence)
    assert not any(("“" + n) in sentence for n in _programs(r)), _programs(r)
    _check_offsets(r)


def test_step_chains_need_a_specific_head_word() -> None:
    r = _extract(
        "市总工会建立“受理—调解—回访—归档”工作机制。",
        "区总工会形成“预警—介入—化解—跟踪”全链条闭环。",
        "县总工会推行“走访—调处—督办—回访”四步工作法。",
    )
    names = _programs(r)
    assert "受理—调解—回访—归档" not in names
    assert "预警—介入—化解—跟踪" not in names
    assert "走访—调处—督办—回访" in names


def test_a_plus_list_with_a_specific_head_is_one_program() -> None:
    r = _extract("某某县总工会推出“热线+站点+网络”的一体化法律服务模式。")
    assert any(n.startswith("热线+站点+网络") for n in _programs(r))


def test_digits_and_plus_with_a_head_word_are_a_program_name() -> None:
    r = _extract("区总工会启动“3+2+N”劳资纠纷联合调处机制。", "“8+1”这个说法很常见。")
    names = _programs(r)
    assert "3+2+N劳资纠纷联合调处机制" in names
    assert "8+1" not in names


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("全年开展安全生产检查活动1200余场次,覆盖企业500家。", "安全生产检查活动"),
        ("市总工会举办基层工会主席培训班36期。", "基层工会主席培训班"),
        ("各级工会开展职工法律宣讲活动三百场。", "职工法律宣讲活动"),
    ],
)
def test_a_counted_kind_of_event_is_not_a_program(sentence: str, phrase: str) -> None:
    assert phrase not in _programs(_extract(sentence))


def test_a_counted_facility_network_is_still_a_program() -> None:
    assert "工会驿站" in _programs(_extract("全省建成工会驿站3000个。"))


# --- short references ------------------------------------------------------------------


def test_short_form_of_a_program_is_marked_in_later_sentences() -> None:
    r = _extract(
        "本报讯 某某市总工会推出“江城职工流动书屋”。",
        "目前,流动书屋已走进120家企业。",
        "书屋深受欢迎。",
    )
    key = "Program:江城职工流动书屋"
    assert key in r.entities
    refs = [m for m in r.mentions if m.entity == key and m.sentence == 1]
    assert [m.text for m in refs] == ["流动书屋"]
    assert refs[0].implicit and refs[0].confidence < 0.85
    assert not [m for m in r.mentions if m.sentence == 2]  # 书屋 alone names the kind
    assert _programs(r) == {"江城职工流动书屋"}
    _check_offsets(r)


def test_a_short_form_shared_by_two_programs_is_not_marked() -> None:
    r = _extract(
        "某某区总工会推出“东城智慧驿站”,又推出“西城智慧驿站”。",
        "智慧驿站服务户外劳动者。",
    )
    assert not [m for m in r.mentions if m.sentence == 1 and m.entity.startswith("Program")]


def test_no_reference_without_the_full_program_in_the_article() -> None:
    r = _extract("流动书屋已走进120家企业。")
    assert _programs(r) == set()


def test_autonomous_region_union_resolves_from_the_context() -> None:
    r = _extract(
        "本报讯 新疆维吾尔自治区总工会启动职工疗休养。",
        "自治区总工会将组织一线职工参加。",
    )
    key = "UnionBody:新疆维吾尔自治区总工会"
    assert [m.text for m in r.mentions if m.entity == key] == [
        "新疆维吾尔自治区总工会",
        "自治区总工会",
    ]
    assert not r.entities[key].implicit


def test_autonomous_region_needs_a_region_in_the_context() -> None:
    r = _extract("自治区总工会将组织一线职工参加。")
    assert not [e for e in r.entities.values() if e.type == "UnionBody"]


# --- bodies placed --------------------------------------------------------------------


def test_youth_league_written_around_its_region() -> None:
    r = _extract(
        "本报讯 江西省总工会联合共青团江西省委开展活动。",
        "共青团南昌市委员会、团省委参加。",
    )
    names = {e.name for e in r.entities.values() if e.type == "PartnerAgency"}
    assert names == {"共青团江西省委员会", "共青团南昌市委员会"}
    province = r.entities["PartnerAgency:共青团江西省委员会"]
    assert "共青团江西省委" in province.aliases and province.region_code is not None
    texts = [m.text for m in r.mentions if m.entity == province.key]
    assert texts == ["共青团江西省委", "团省委"]
    _check_offsets(r)


def test_a_committee_department_is_not_the_committee() -> None:
    r = _extract("共青团江西省委宣传部参加。")
    assert "PartnerAgency:共青团江西省委员会" not in r.entities


def test_township_union_takes_the_code_of_its_county() -> None:
    r = _extract("本报讯 桐庐县总工会指导城南街道总工会开展活动。", "某某区某某镇总工会参加。")
    town = r.entities["UnionBody:城南街道总工会"]
    county = r.entities["UnionBody:桐庐县总工会"]
    assert town.level == "township" and town.region_code == county.region_code


def test_programs_listed_before_a_brand_word() -> None:
    r = _extract("各级工会打响金秋助学、阳光就业、职工医疗互助等“娘家”服务品牌。")
    assert {"金秋助学", "阳光就业", "职工医疗互助"} <= _programs(r)


def test_a_list_before_another_noun_is_not_programs() -> None:
    r = _extract("市总工会看望外卖骑手、快递员等户外劳动者,走访法院、检察院等部门。")
    assert _programs(r) == set()


@pytest.mark.parametrize(
    "sentence",
    [
        "会议强调“守正创新”“久久为功”,开展工作。",  # a quotation after a speech verb
        "县总工会向企业发放“职工需求登记表”。",  # a form
        "学院将实施“理论学习与岗位实践”并重的培养方式。",  # two things
        "热线提供“全天候”服务。",  # a manner
        "区总工会推行“2+3”专班模式。",  # a formula alone
        "在“实干为先”的言行中体现担当。",  # 行 of 言行 is no head
    ],
)
def test_quotations_forms_pairs_and_formulas_are_not_programs(sentence: str) -> None:
    r = _extract(sentence)
    assert not [n for n in _programs(r) if n in sentence], _programs(r)


def test_pairs_ending_in_a_head_and_formulas_with_a_name_stay_programs() -> None:
    r = _extract(
        "市总工会开展“安全生产和技能提升竞赛”。",
        "区总工会启动“2+3”劳资纠纷联合调处机制。",
        "市总工会开展“快递小哥”关爱行。",
    )
    names = _programs(r)
    assert "安全生产和技能提升竞赛" in names
    assert "2+3劳资纠纷联合调处机制" in names
    assert any(n.startswith("快递小哥") for n in names)


def test_a_long_quoted_name_ending_in_a_specific_head_needs_no_verb() -> None:
    r = _extract("省总工会争取中央财政“温暖同行——困难职工子女助学项目”,惠及千户家庭。")
    assert "温暖同行——困难职工子女助学项目" in _programs(r)


def test_a_quoted_list_of_aims_is_not_a_program() -> None:
    r = _extract("市总工会坚持“预防为主、源头治理”思路。")
    assert _programs(r) == set()


def test_a_one_character_facility_listed_after_a_program() -> None:
    r = _extract("某某社区工会驿站推出了“小喇叭”与留言墙。")
    assert {"小喇叭", "留言墙"} <= _programs(r)


def test_short_industrial_union_joins_its_full_name() -> None:
    r = _extract("能源工会关爱一线职工。", "记者从中国能源化学地质工会获悉,该工会开展活动。")
    unions = {e.name: e for e in r.entities.values() if e.type == "UnionBody"}
    assert set(unions) == {"中国能源化学地质工会"}
    assert "能源工会" in unions["中国能源化学地质工会"].aliases
    assert "该工会" not in unions["中国能源化学地质工会"].aliases  # a reference is no name


def test_a_demonstrative_and_head_word_points_to_the_latest_program() -> None:
    r = _extract(
        "本报讯 某某区总工会设立“职工法律援助工作站”。",
        "该工作站已帮助农民工追回欠薪。",
        "该平台运行良好。",  # no platform was named: no reference
    )
    refs = [m for m in r.mentions if m.recogniser == "program.reference"]
    assert [(m.sentence, m.text, m.entity) for m in refs] == [
        (1, "该工作站", "Program:职工法律援助工作站")
    ]
    _check_offsets(r)


# --- worker groups: served, not acting ------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "市总工会组织劳模们深入企业解决技术难题。",
        "学院组建由技术专家、劳模组成的攻关小组。",
        "活动发挥劳模的示范引领作用。",
        "12名劳模人才担任首批讲师。",
    ],
)
def test_a_group_acting_for_others_is_not_served(sentence: str) -> None:
    r = _extract(sentence)
    assert not [e for e in r.entities.values() if e.type == "WorkerGroup"]


def test_a_group_served_in_the_same_article_is_kept() -> None:
    r = _extract("市总工会为劳模送去疗休养服务。", "劳模们深入企业解决难题。")
    groups = [m for m in r.mentions if m.entity == "WorkerGroup:劳动模范"]
    assert [m.sentence for m in groups] == [0]


def test_every_quote_of_a_run_before_etc_and_a_head_is_a_program() -> None:
    r = _extract("小程序整合了“金秋助学”“困难职工帮扶”“职工医疗互助”等服务。")
    assert {"金秋助学", "困难职工帮扶", "职工医疗互助"} <= _programs(r)


def test_a_result_with_a_head_inside_a_longer_noun_is_not_a_program() -> None:
    r = _extract("全市形成“一站通办”服务格局。")
    assert _programs(r) == set()


def test_a_facility_built_with_a_partner_does_not_take_the_verb() -> None:
    r = _extract("贵阳市总工会与贵阳市中级人民法院共建劳动争议诉调对接工作室。")
    assert "劳动争议诉调对接工作室" in _programs(r)


def test_a_head_inside_a_longer_word_is_skipped() -> None:
    r = _extract("某某市总工会举办“奋斗新时代”全市工会工作者演讲比赛。")
    assert "奋斗新时代全市工会工作者演讲比赛" in _programs(r)
