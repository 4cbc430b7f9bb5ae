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
