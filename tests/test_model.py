"""TextView: the map from normalised view back to the original text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kg.model import TextView


def test_view_skips_dropped_text() -> None:
    original = "累计深入\n\n1.7万余家企业"
    view = TextView.from_pieces([(original[:4], 0), (original[6:], 6)])
    assert view.text == "累计深入1.7万余家企业"
    start = view.text.index("深入1.7")
    s, e = view.to_original(start, start + 5)
    assert original[s:e] == "深入\n\n1.7"
    assert (view.start, view.end) == (0, len(original))


@given(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=6), st.data())
def test_every_view_range_maps_inside_the_original(pieces: list[str], data: st.DataObject) -> None:
    gap = "\n\n"
    original = gap.join(pieces)
    starts, pos = [], 0
    for piece in pieces:
        starts.append(pos)
        pos += len(piece) + len(gap)
    view = TextView.from_pieces(zip(pieces, starts, strict=True))
    assert view.text == "".join(pieces)
    i = data.draw(st.integers(0, len(view.text) - 1))
    j = data.draw(st.integers(i + 1, len(view.text)))
    s, e = view.to_original(i, j)
    assert 0 <= s < e <= len(original)
    assert original[s] == view.text[i] and original[e - 1] == view.text[j - 1]
    assert original[s:e].replace(gap, "") == view.text[i:j]
