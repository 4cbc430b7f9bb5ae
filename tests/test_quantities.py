"""The quantity reader (FACTS.md): values, hedges, kinds, units and exclusions."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.quantities import chinese_numeral, plain_value, read_quantities


def read(text: str) -> list[tuple[object, str, str, bool]]:
    return [(q.value, q.unit, q.kind, q.approx) for q in read_quantities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "区总工会为45名农民工追回欠薪120万元",
            [(45, "人", "people", False), (1200000, "元", "money", False)],
        ),
        ("全年补发工资3.5亿元", [(350000000, "元", "money", False)]),
        ("慰问困难职工8000余元", [(8000, "元", "money", True)]),
        ("募集善款300余万元", [(3000000, "元", "money", True)]),
        ("服务1.2万人次", [(12000, "人次", "people", False)]),
        ("共有1.1万名会员", [(11000, "人", "people", False)]),
        ("派出12位律师", [(12, "人", "people", False)]),
        ("发出65份提示函", [(65, "份", "count", False)]),
        ("建成200个驿站和12家单位", [(200, "个", "count", False), (12, "家", "count", False)]),
        ("由4部门联合", [(4, "部门", "count", False)]),
        ("覆盖12,500名职工", [(12500, "人", "people", False)]),
        ("奖补资金１２万元", [(120000, "元", "money", False)]),
        ("发放补助金5910.57万元", [(59105700, "元", "money", False)]),
        ("走访两万家企业", [(20000, "家", "count", False)]),
        ("节省开支近百万元", [(1000000, "元", "money", True)]),
        ("关爱万余名女职工", [(10000, "人", "people", True)]),
        ("创造效益上亿元", [(100000000, "元", "money", True)]),
        ("筹措资金2.6亿元以上", [(260000000, "元", "money", True)]),
        ("吸引超10万人次", [(100000, "人次", "people", True)]),
        ("约300人参加", [(300, "人", "people", True)]),
        ("不少于500人", [(500, "人", "people", True)]),
        ("最高10万元", [(100000, "元", "money", False)]),
        ("资助1000港元", [(1000, "港元", "money", False)]),
        ("8个人抬着", [(8, "人", "people", False)]),
        ("目前3家企业", [(3, "家", "count", False)]),
        ("赴大湾区9市交流", [(9, "市", "count", False)]),
        ("分3批次培训", [(3, "批次", "count", False)]),
        ("每人不超过600元", [(600, "元", "money", False)]),  # a cap, not a hedge
        ("节约经费20万元", [(200000, "元", "money", False)]),
    ],
)
def test_reads_figures(text: str, expected: list[tuple[object, str, str, bool]]) -> None:
    assert read(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2025年度工作会议,3月5日,15分钟,24小时,3个月,一周",  # dates, times, durations
        "年满60岁的职工",  # ages
        "增长30%",  # percentages
        "第3届,第5批",  # ordinals
        "排名前3名",  # ranks
        "拨打12351热线",  # identifiers, digits inside names
        "构建6大机制",  # N大X labels
        "补贴4000元~1万元,每月3000至5000元",  # ranges
        "花了一两千元,三四万人",  # idioms
        "5G基站,G20峰会",  # digits inside names
        "修路30公里,种树50亩,运输200吨",  # physical measures
        "1234人阅读",  # page furniture
        "四部门联合,十大案例",  # Chinese-only numerals without 万/亿/千
        "千家万户,万家灯火,千万不要",  # words, not figures
        "1对1帮扶,3位数,2025元旦,增长3个百分点,12市级单位",  # a unit's character in a word
    ],
)
def test_not_facts(text: str) -> None:
    assert read(text) == []


def test_value_is_exact() -> None:
    (q,) = read_quantities("补贴1.1万元")
    assert q.value == 11000 and isinstance(q.value, int)
    (q,) = read_quantities("工资差额1072.46元")
    assert q.value == Decimal("1072.46")
    assert plain_value(q.value) == 1072.46


#: The 16 numeral forms the module docstring's measurement used.
NUMERAL_FORMS = {
    "两万": 20000, "百万": 1_000_000, "三千五百": 3500, "十万": 100_000, "二十万": 200_000,
    "一千": 1000, "两千": 2000, "一万二千": 12000, "三百万": 3_000_000, "五千万": 50_000_000,
    "一亿": 100_000_000, "十二万": 120_000, "八十一万": 810_000, "一两千": None, "三四万": None,
    "两亿三千万": 230_000_000,
}  # fmt: skip


def test_numeral_forms_of_the_measurement() -> None:
    assert {k: chinese_numeral(k) for k in NUMERAL_FORMS} == NUMERAL_FORMS


def test_chinese_numerals() -> None:
    assert chinese_numeral("两万") == 20000
    assert chinese_numeral("百万") == 1_000_000
    assert chinese_numeral("三千五百") == 3500
    assert chinese_numeral("一万二千") == 12000
    assert chinese_numeral("两亿三千万") == 230_000_000
    assert chinese_numeral("一两千") is None
    assert chinese_numeral("三四万") is None
    assert chinese_numeral("职工") is None


# --- bad input: never a crash, never a value the text does not state -------------


def test_comma_run_is_not_a_number() -> None:
    assert read("编号1,2,3,4万元") == []


def test_double_dot_is_not_a_number() -> None:
    assert read("区间1..5万元") == []


def test_forty_digit_number_before_yi() -> None:
    assert read("共" + "9" * 40 + "亿元") == []


def test_digits_broken_by_a_line_break() -> None:
    assert read("发放12\n00元") == []
    assert read("发放12\n 00元") == []


def test_offsets_and_surface() -> None:
    text = "全年追回欠薪近120万元左右"
    (q,) = read_quantities(text)
    assert text[q.start : q.end] == q.surface == "近120万元左右"
    assert text[q.unit_start : q.unit_end] == "元"


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("0123456789,.．０１２万亿千百十两近余多约超上第前年元名人次个家份%~-至\n 职工企业")
        ),
        max_size=40,
    )
    | st.text(max_size=40)
)
def test_arbitrary_text_never_raises_and_is_substring_backed(text: str) -> None:
    for q in read_quantities(text):
        assert text[q.start : q.end] == q.surface
        assert q.value > 0
        digits = "".join(str(unicodedata.decimal(c)) for c in q.surface if c.isdecimal())
        if digits:  # an Arabic figure: its digits are written in the text
            lead = str(q.value).replace(".", "").lstrip("0")
            assert lead and digits.rstrip("0").lstrip("0")[:1] == lead[:1]
        else:  # a Chinese figure: its numeral is written in the text
            assert any(ch in q.surface for ch in "千万亿")
