"""Sentence splitting over paragraphs made of original-text pieces.

A paragraph is a list of ``(start, end)`` ranges of the original text (more than
one when a column break was repaired).  Splitting runs on the normalised text of
those pieces; every sentence keeps a :class:`~kg.model.TextView` that maps back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.model import Sentence, TextView

# A sentence ends at 。！？!? (a run of them), together with closing quotes and
# brackets that follow; "……" followed by a closing quote also ends one.
_CLOSERS = "”’\"'」』)）\\]】》"
# ASCII ! and ? end a sentence unless URL-like text runs on both sides ("a.php?id=3")
_URLISH = "0-9A-Za-z=&_/.%-"
_SENT_END = re.compile(
    rf"(?:[。！？]+[!?]*|(?<![{_URLISH}])[!?]+|[!?]+(?![{_URLISH}])|……)[{_CLOSERS}]*"
)
_SPACE = " \t\r\n\f\v\u3000\xa0"


def split_paragraph(
    norm: str, pieces: Sequence[tuple[int, int]], first_index: int = 0
) -> list[Sentence]:
    """Split one paragraph into sentences.

    Parameters
    ----------
    norm
        The normalised text of the whole document (same length as the original).
    pieces
        Original ``(start, end)`` ranges that make up the paragraph, in order.
    first_index
        ``Sentence.index`` of the first sentence returned.

    Returns
    -------
    list of Sentence
        Each with its original ``start``/``end`` and a view over the normalised
        text that skips whatever lies between the pieces.

    Examples
    --------
    >>> text = "累计深入\\n\\n1.7万家。好!"
    >>> [s.text for s in split_paragraph(text, [(0, 4), (6, 14)])]
    ['累计深入1.7万家。', '好!']
    >>> s = split_paragraph(text, [(0, 4), (6, 14)])[0]
    >>> (s.start, s.end), s.view.to_original(2, 7)
    ((0, 12), (2, 9))
    """
    segs: list[tuple[int, int, int]] = []  # (view_start, orig_start, length)
    parts: list[str] = []
    pos = 0
    for start, end in pieces:
        if end <= start:
            continue
        parts.append(norm[start:end])
        segs.append((pos, start, end - start))
        pos += end - start
    text = "".join(parts)
    if not text:
        return []
    bounds: list[tuple[int, int]] = []
    prev = 0
    for m in _SENT_END.finditer(text):
        bounds.append((prev, m.end()))
        prev = m.end()
    if prev < len(text):
        bounds.append((prev, len(text)))
    out: list[Sentence] = []
    single = len(segs) == 1
    base = segs[0][1]
    for a, b in bounds:
        chunk = text[a:b]
        stripped = chunk.strip(_SPACE)
        if not stripped:
            continue
        a += len(chunk) - len(chunk.lstrip(_SPACE))
        b = a + len(stripped)
        if single:  # the common case: one piece, one segment
            view = TextView(stripped, [(0, base + a, b - a)])
        else:
            view_pieces: list[tuple[str, int]] = []
            for vstart, ostart, length in segs:
                lo = max(a, vstart)
                hi = min(b, vstart + length)
                if lo < hi:
                    view_pieces.append((text[lo:hi], ostart + (lo - vstart)))
            view = TextView.from_pieces(view_pieces)
        out.append(
            Sentence(index=first_index + len(out), start=view.start, end=view.end, view=view)
        )
    return out


def line_sentence(norm: str, start: int, end: int, index: int = 0) -> Sentence | None:
    """One line (a headline, a section heading) as a single sentence.

    >>> s = line_sentence("##  为何变化大?奖金加码了 ", 2, 16)
    >>> s.text, s.start, s.end
    ('为何变化大?奖金加码了', 4, 15)
    """
    while start < end and norm[start] in _SPACE:
        start += 1
    while end > start and norm[end - 1] in _SPACE:
        end -= 1
    if start >= end:
        return None
    view = TextView.from_pieces([(norm[start:end], start)])
    return Sentence(index=index, start=start, end=end, view=view)
