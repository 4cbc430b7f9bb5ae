"""Sentence splitting over paragraphs made of original-text pieces.

A paragraph is a list of ``(start, end)`` ranges of the original text (more than
one when a column break was repaired).  Splitting runs on the normalised text of
those pieces; every sentence keeps a :class:`~kg.model.TextView` that maps back.

Limits
------
A sentence holds at most :data:`MAX_SENTENCE_CHARS` characters (1,000; the
longest sentence of the seeds and of the 40 development articles has 280).  A
longer stretch without a sentence end -- one "sentence" of commas, a page whose
line breaks were lost -- is split into pieces of at most that length, each cut
at the best break among the last :data:`CUT_WINDOW` characters before the limit:

1. after the last clause punctuation (，；：,;:),
2. else after the last 、 or space,
3. else a hard cut: the position nearest the limit that lies inside no name the
   recogniser finds around it (:func:`kg.extract.mentions.recognise_sentence`,
   run on the window only, and only when a hard cut is needed), else the limit.

Clauses never cross a sentence end, so they are capped by the same length.  The
cap keeps the work of everything that reads a sentence proportional to the
input, whatever the input.
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
# every match of _SENT_END starts with one of these: _sentence_ends looks for them
# first (a character-class scan), then tries _SENT_END only there
_END_START = re.compile("[。！？!?…]")
_SPACE = " \t\r\n\f\v\u3000\xa0"

#: The longest sentence: a longer stretch without a sentence end is cut into pieces.
MAX_SENTENCE_CHARS = 1000
#: How far before the limit a cut is looked for (a piece keeps at least the rest).
CUT_WINDOW = 200
#: How many characters on each side of a hard cut are read for names to keep whole.
NAME_REACH = 40
_CLAUSE_PUNCT = re.compile("[，；：,;:]")
_SOFT_BREAK = re.compile(f"[、{re.escape(_SPACE)}]")


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
    too_long = False
    for e in sentence_ends(text):
        bounds.append((prev, e))
        too_long = too_long or e - prev > MAX_SENTENCE_CHARS
        prev = e
    if prev < len(text):
        bounds.append((prev, len(text)))
        too_long = too_long or len(text) - prev > MAX_SENTENCE_CHARS
    if too_long:
        capped: list[tuple[int, int]] = []
        for a, b in bounds:
            capped.extend(cap_bounds(text, a, b))
        bounds = capped
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


def sentence_ends(text: str) -> list[int]:
    """The ends of the sentence-end marks of ``text``: where
    ``_SENT_END.finditer(text)`` ends its matches, found faster (the pattern has no
    fixed first character, so a search tries it at every position; here it is tried
    only where one of the characters every match starts with stands).

    >>> sentence_ends("好。真的吗?!”他说……")
    [2, 8, 12]
    """
    ends: list[int] = []
    pos = 0
    while True:
        hit = _END_START.search(text, pos)
        if hit is None:
            return ends
        m = _SENT_END.match(text, hit.start())
        if m is None:
            pos = hit.start() + 1
        else:
            pos = m.end()
            ends.append(pos)


def cap_bounds(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` of ``text`` cut into pieces of at most :data:`MAX_SENTENCE_CHARS`
    characters, each at the best break before the limit (see the module's docstring).

    >>> text = "甲" * 900 + "，" + "乙" * 900
    >>> cap_bounds(text, 0, len(text))
    [(0, 901), (901, 1801)]
    """
    out: list[tuple[int, int]] = []
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = _best_cut(text, limit - CUT_WINDOW, limit)
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def _best_cut(text: str, lo: int, hi: int) -> int:
    """Where to cut ``text`` in ``(lo, hi]``: after clause punctuation, after 、 or a
    space, else the position nearest ``hi`` that splits no recognised name."""
    for pattern in (_CLAUSE_PUNCT, _SOFT_BREAK):
        last = None
        for m in pattern.finditer(text, lo, hi):
            last = m
        if last is not None:
            return last.end()
    w_lo, w_hi = max(0, lo - NAME_REACH), min(len(text), hi + NAME_REACH)
    inside = [False] * (w_hi - w_lo + 1)  # inside[i]: a cut at w_lo + i splits a name
    for a, b in _name_ranges(text[w_lo:w_hi]):
        for i in range(a + 1, b):
            inside[i] = True
    for cut in range(hi, lo, -1):
        if not inside[cut - w_lo]:
            return cut
    return hi


def _name_ranges(text: str) -> list[tuple[int, int]]:
    """The ranges of the names the recogniser finds in ``text`` (loaded only here:
    a hard cut is rare, and the text layer otherwise never needs the recogniser)."""
    from kg.extract.mentions import ArticleContext, recognise_sentence

    return [(c.start, c.end) for c in recognise_sentence(text, ArticleContext())]


def line_sentence(norm: str, start: int, end: int, index: int = 0) -> Sentence | None:
    """One line (a headline, a section heading) as a single sentence.

    >>> s = line_sentence("##  为何变化大?奖金加码了 ", 2, 16)
    >>> s.text, s.start, s.end
    ('为何变化大?奖金加码了', 4, 15)
    """
    found = line_sentences(norm, start, end, index)
    return found[0] if found else None


def line_sentences(norm: str, start: int, end: int, index: int = 0) -> list[Sentence]:
    """One line as one sentence, or as several when it is longer than
    :data:`MAX_SENTENCE_CHARS` (cut as :func:`cap_bounds` cuts)."""
    while start < end and norm[start] in _SPACE:
        start += 1
    while end > start and norm[end - 1] in _SPACE:
        end -= 1
    if start >= end:
        return []
    out: list[Sentence] = []
    for a, b in cap_bounds(norm, start, end):
        while a < b and norm[a] in _SPACE:
            a += 1
        while b > a and norm[b - 1] in _SPACE:
            b -= 1
        if a < b:
            view = TextView.from_pieces([(norm[a:b], a)])
            out.append(Sentence(index=index + len(out), start=a, end=b, view=view))
    return out
