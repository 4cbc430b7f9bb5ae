"""Program heads added for schemes, facilities and event series.

Sentences are invented for these tests (none from the seeds or web sets).
"""

from __future__ import annotations

import pytest

from tests.test_extract_entities import _extract, _names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("市总工会开办劳模技能研修班。", "劳模技能研修班"),
        ("区总工会举办第三届职工趣味运动会。", "第三届职工趣味运动会"),
        ("省总工会命名一批职工疗休养示范基地。", "职工疗休养示范基地"),
        ("中心设立劳动仲裁巡回庭。", "劳动仲裁巡回庭"),
        ("县总工会开展新就业形态劳动者主题服务日活动。", "新就业形态劳动者主题服务日活动"),
    ],
)
def test_program_heads(text: str, expected: str) -> None:
    assert expected in _names(_extract(text), "Program")


def test_a_working_group_is_not_a_program() -> None:
    r = _extract("市总工会成立职工疗休养工作专班。")
    assert not any(n.endswith("专班") for n in _names(r, "Program"))


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        ("会议指出，要认真谋划钱塘职工学院建设。", None, "要认真谋划钱塘职工学院"),
        ("今年将做亮职工书屋品牌。", None, "做亮职工书屋品牌"),
        ("县总工会拟开展普惠性职工疗休养。", "普惠性职工疗休养", "性职工疗休养"),
        ("市总工会实施提升职工技能三年行动。", "提升职工技能三年行动", None),
    ],
)
def test_a_name_starts_at_a_word_and_not_in_a_verb_phrase(
    text: str, expected: str | None, absent: str | None
) -> None:
    names = _names(_extract(text), "Program")
    if expected is not None:
        assert expected in names
    if absent is not None:
        assert absent not in names


@pytest.mark.parametrize(
    "text",
    ["12月1日，吉林省治理欠薪问题专项行动启动。", "吉林省第三届职工技能大赛在长春开幕。"],
)
def test_a_clause_opening_name_with_an_event_verb_is_a_program(text: str) -> None:
    assert any(n.startswith("吉林省") for n in _names(_extract(text), "Program"))


def test_a_noun_phrase_without_an_event_is_not_introduced() -> None:
    assert _names(_extract("吉林省第三届职工技能大赛的奖牌很漂亮。"), "Program") == set()


def test_a_quoted_means_or_handout_needs_support() -> None:
    assert _names(_extract("职工可以通过“掌上工会”提交申请。"), "Program") == set()
    assert _names(_extract("县总工会向职工发放“爱心卡”。"), "Program") == set()
    r = _extract("市总工会开通“掌上工会”平台。", "职工可以通过“掌上工会”提交申请。")
    assert "掌上工会" in _names(r, "Program")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("城西首家“暖心驿家”正式建成。", "暖心驿家"),
        ("今天是第三个“职工健康关爱日”，市总工会开展义诊。", "职工健康关爱日"),
        ("全市86家爱心驿站向环卫工人开放。", "爱心驿站"),
    ],
)
def test_events_editions_and_counted_facilities_introduce_a_name(text: str, expected: str) -> None:
    assert expected in _names(_extract(text), "Program")


def test_ji_joins_two_events_and_is_never_inside_a_name() -> None:
    names = _names(_extract("市总工会举办第二期技能培训班暨职工创新成果展启动仪式。"), "Program")
    assert not any("暨" in n for n in names)


def test_a_list_head_must_end_the_phrase() -> None:
    r = _extract("办好冰雪节、草原节等品牌文旅活动。")
    assert not ({"冰雪节", "草原节"} & _names(r, "Program"))
    r = _extract("叫响送温暖、金秋助学等服务品牌。")
    assert {"送温暖", "金秋助学"} <= _names(r, "Program")


def test_a_quoted_manner_is_not_a_name() -> None:
    assert _names(_extract("市总工会开展“订单式”服务。"), "Program") == set()


def test_an_edition_opens_a_name_but_is_not_part_of_it() -> None:
    r = _extract("刚开班的首期青年技能研修班，是学院的第一个项目。")
    assert "青年技能研修班" in _names(r, "Program")


def test_after_ji_a_facility_is_a_second_name_but_an_event_is_not() -> None:
    r = _extract("首批职工学院暨劳模工匠大讲堂启动活动在学院举行。")
    assert "劳模工匠大讲堂" in _names(r, "Program")
    r = _extract("“职工读书月”暨劳模进校园首场活动在学院启动。")
    assert not any(n.endswith("首场活动") for n in _names(r, "Program"))


def test_a_title_followed_by_a_program_head_names_the_program() -> None:
    r = _extract("市卫健委联合市总工会开展《中华人民共和国劳动法》宣传月活动。")
    assert "中华人民共和国劳动法宣传月" in _names(r, "Program")


def test_a_title_alone_is_a_document() -> None:
    assert _names(_extract("市总工会印发《关于加强职工疗休养工作的意见》。"), "Program") == set()
