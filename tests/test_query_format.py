"""The table format of ``kg query``: the fast display width is the definition's."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from kg.rdf import query


def _width_by_definition(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@given(st.text())
def test_width_equals_the_character_by_character_definition(text: str) -> None:
    assert query._width(text) == _width_by_definition(text)


@given(st.lists(st.text(alphabet="工会ab ＡＩ１2。,骑手", max_size=12), min_size=1, max_size=6))
def test_table_columns_line_up(cells: list[str]) -> None:
    """Every line of a table has its columns at the same display offsets."""
    x = ("literal", "x", None, None)
    res = query.Result("select", ["a", "b"], [[("literal", c, None, None), x] for c in cells])
    lines = query.format_result(res, "table").splitlines()[2:-1]
    column = max(_width_by_definition(c) for c in [*cells, "a"])
    for line, cell in zip(lines, cells, strict=True):
        pad = column - _width_by_definition(cell)
        assert line == cell + " " * (pad + 2) + "x"
