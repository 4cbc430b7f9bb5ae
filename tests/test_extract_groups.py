"""Worker groups: new vocabulary kinds and narrower groups made by a modifier.

Sentences are invented for these tests (none from the seeds or web sets).
"""

from __future__ import annotations

from tests.test_extract_entities import _extract, _names


def test_a_modifier_before_a_label_names_a_narrower_group_verbatim() -> None:
    r = _extract("市总工会为相对困难职工和少数民族务工人员办理互助保障。")
    assert {"相对困难职工", "少数民族务工人员"} <= _names(r, "WorkerGroup")
    assert "农民工" not in _names(r, "WorkerGroup")  # 务工人员 alone would be 农民工


def test_groups_of_trades_outside_the_guideline_list() -> None:
    r = _extract("县总工会走访塔吊司机、护林员和交通协管员。")
    assert {"塔吊司机", "生态护林员", "交通协管员"} <= _names(r, "WorkerGroup")


def test_a_plain_label_keeps_its_canonical_name() -> None:
    r = _extract("区总工会为务工人员送清凉。")
    assert _names(r, "WorkerGroup") == {"农民工"}
