"""Mentions placed in their sentence's view: the :class:`Span` the relation readers use.

A mention's offsets index the original text; the readers work on a sentence's
normalised text (``Sentence.text``).  :func:`view_spans` maps each mention of a
sentence to view offsets (by bisection over the view's segment map) and keeps the
outermost ones; the nested ones (a body inside a program's name) are kept apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.extract.base import AnalyzedArticle
from kg.model import Mention, Sentence, TextView

ORG_TYPES: frozenset[str] = frozenset({"UnionBody", "PartnerAgency"})
PROGRAM = "Program"
GROUP = "WorkerGroup"


@dataclass(slots=True)
class Span:
    """A mention placed in its sentence's view."""

    mention: Mention
    type: str
    start: int  # view offsets
    end: int
    sentence: int

    @property
    def key(self) -> str:
        """The entity key (``Type:name``)."""
        return self.mention.entity

    @property
    def is_org(self) -> bool:
        """Whether the span names an organisation (UnionBody or PartnerAgency)."""
        return self.type in ORG_TYPES


def view_spans(aa: AnalyzedArticle, sentence: Sentence) -> list[Span]:
    """The sentence's mentions as view spans, sorted, nested ones dropped."""
    return _all_view_spans(aa, sentence)[0]


def _all_view_spans(aa: AnalyzedArticle, sentence: Sentence) -> tuple[list[Span], list[Span]]:
    """The sentence's mentions as view spans: the outermost ones and the nested ones."""
    mentions = aa.sentence_mentions(sentence.index)
    if not mentions:
        return [], []
    view = sentence.view
    n = len(view.text)
    o_lo, o_hi = view.to_original(0, n) if n else (0, 0)
    # a view that maps one to one onto a contiguous stretch is an offset shift
    omap: _ViewMap | range = range(o_lo, o_hi) if o_hi - o_lo == n else _ViewMap(view)
    spans: list[Span] = []
    for m in mentions:
        ent = aa.entities.get(m.entity)
        if ent is None or m.end <= m.start:
            continue
        vs = _nearest(omap, m.start, m.end, forward=True)
        ve = _nearest(omap, m.end - 1, m.start - 1, forward=False)
        if vs is None or ve is None or ve < vs:
            continue
        spans.append(Span(m, ent.type, vs, ve + 1, sentence.index))
    spans.sort(key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[Span] = []
    nested: list[Span] = []
    for s in spans:
        if kept and s.start < kept[-1].end:
            nested.append(s)  # nested in or overlapping an earlier, longer span
            continue
        kept.append(s)
    return kept, nested


class _ViewMap:
    """Original offsets of a view's characters, searched by bisection (they ascend)."""

    __slots__ = ("_orig", "view")

    def __init__(self, view: TextView) -> None:
        self.view = view
        self._orig: dict[int, int] = {}

    def orig(self, i: int) -> int:
        """The original offset of view character ``i``."""
        got = self._orig.get(i)
        if got is None:
            got = self._orig[i] = self.view.orig_index(i)
        return got

    def first_at_or_after(self, a: int) -> int:
        """The first view index whose original offset is at least ``a`` (may be the length)."""
        lo, hi = 0, len(self.view.text)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.orig(mid) < a:
                lo = mid + 1
            else:
                hi = mid
        return lo


def _nearest(omap: _ViewMap | range, a: int, stop: int, *, forward: bool) -> int | None:
    """The view index of the original offset nearest ``a`` towards ``stop`` (exclusive)."""
    if isinstance(omap, range):
        lo, hi = omap.start, omap.stop
        if forward:
            i = max(a, lo)
            return i - lo if i < stop and i < hi else None
        i = min(a, hi - 1)
        return i - lo if i > stop and i >= lo else None
    n = len(omap.view.text)
    if forward:  # the first character at or after a, before stop
        i = omap.first_at_or_after(a)
        return i if i < n and omap.orig(i) < stop else None
    # the last character at or before a, after stop
    i = omap.first_at_or_after(a + 1) - 1
    return i if i >= 0 and omap.orig(i) > stop else None
