"""The ``passage`` extractor: groups served by the program of their passage.

Sentences are invented for these tests (none from the seeds or web sets).
"""

from __future__ import annotations

from kg.extract import extract_document
from kg.extract.registry import names
from kg.model import DocResult
from tests.test_extract_entities import _doc


def _run(*sentences: str) -> set[tuple[str, str]]:
    doc, arts = _doc(*sentences)
    r: DocResult = extract_document(doc, arts)
    return {(x.s.split(":", 1)[1], x.o.split(":", 1)[1]) for x in r.relations if x.p == "serves"}


def test_registered_once_after_serves() -> None:
    assert names().index("passage") == names().index("serves") + 1


def test_a_group_in_the_sentence_of_a_program_is_served_by_it() -> None:
    got = _run("市总工会启动“暖心驿站”建设，环卫工人和货车司机可以免费歇脚。")
    assert {("暖心驿站", "环卫工人"), ("暖心驿站", "货车司机")} <= got


def test_the_program_of_the_previous_sentence_in_the_paragraph() -> None:
    got = _run(
        "区总工会开展“金秋助学”活动。", "今年共有120名困难职工子女受助，其中农民工子女80名。"
    )
    assert ("金秋助学", "农民工") in got


def test_no_program_no_passage_link() -> None:
    got = _run("记者在街头采访了几位外卖骑手。")
    assert got == set()
