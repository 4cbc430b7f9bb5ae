"""Shared clause analysis of the relation extractors.

Every relation extractor needs the same reading of an article: which mentions a
sentence holds (in view offsets), how it splits into clauses, and who *acts* at
each point of a clause -- the subject organisation(s), the bodies joined to
them (联合 B、C), the agents of a host phrase (由 A 主办), or, where Chinese
drops the subject, the acting organisation carried over from the sentences
before.  :func:`analyse` computes that once per article and caches the result
for the other extractors that run on the same article.

All positions in this module are offsets into a sentence's normalised text
(``Sentence.text``); :func:`evidence` maps them back to original offsets.

Limits
------
The work stays proportional to the input, whatever its shape:

* a sentence, and so a clause, holds at most
  :data:`kg.text.sentences.MAX_SENTENCE_CHARS` characters (longer stretches are
  cut there when the text is split), so everything read within one sentence is
  bounded;
* within a sentence, clauses, frames and cue hits are looked up by position
  (bisection), not by scanning;
* across an article, an anaphor (该平台, 中心, a short form) looks for its
  antecedent among the latest :data:`ANTECEDENT_WINDOW` names before it, and a
  short form among the next :data:`ANTECEDENT_WINDOW` programs after it; a
  subject is carried at most :data:`MAX_CARRY_SENTENCES` sentences.  An article
  of ten thousand sentences (a page whose line breaks were lost) is then read
  like many articles.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import pairwise
from typing import TypeVar, cast

import ahocorasick

from kg.extract.base import AnalyzedArticle
from kg.extract.relations._lexicon import (
    CueTable,
    Hit,
    context_cues,
    cooperation_cues,
    runs_cues,
    serves_cues,
)
from kg.model import Evidence, Mention, Sentence, TextView

ORG_TYPES: frozenset[str] = frozenset({"UnionBody", "PartnerAgency"})
PROGRAM = "Program"
GROUP = "WorkerGroup"

#: Characters that end a clause inside a sentence (after normalisation).
CLAUSE_BREAK = frozenset(",;:，；：!?。！？")
#: The character that stands for a mention's characters in a masked text.
MASK = "\u25a1"
#: Quotation and title marks that may wrap a name.
QUOTES = "“”\"'‘’「」『』《》〈〉"
#: Punctuation between list items.
_TIME_RE = re.compile(
    r"(?:[\d.]+(?:年|月|日|号|时)?|[一二三四五六七八九十两]+(?:年|月|日)|"
    r"初|底|中旬|上旬|下旬|上半年|下半年|以来|期间|之际|当天|当日|以后|以前|之前|之后|"
    r"[“”\"'‘’]?十[一二三四五]五[“”\"'‘’]?|\s)"
)
#: A quantity or scope before a subject: 全省5142家, 全州16个, 3家.
# the close of a list of bodies: A、B等12家单位 (联合主办), A、B等部门
_LIST_TAIL_RE = re.compile(
    r"等(?:[\d一二三四五六七八九十两]+[家个]|多个?|相关|有关)?(?:单位|部门|机构)?"
)
_QUANTITY_RE = re.compile(
    r"(?:全(?:国|省|市|州|区|县|盟|旗|镇)?)?[\d.]+(?:万|千|百)?(?:余|多)?"
    r"(?:家|个|座|所|处|支|批|项|名|位)"
)
#: Demonstratives before an anaphoric noun (该平台, 本次活动, 这个驿站).
_DEMONSTRATIVE_RE = re.compile(r"^(?:该|本次|此次|这个|这一|这家|这座|此|本|这)")
#: Anaphoric nouns that stand for the latest program whatever its name.
GENERIC_EVENT_HEADS = ("活动", "行动", "项目", "竞赛", "比赛")
#: The longest short form of a program name read at a clause start (智能驿站).
SHORT_FORM_MAX = 8
#: Confidence factor of an organisation read from an anaphor (该院, 中心).
ANAPHOR_FACTOR = 0.9
#: How many names before an anaphor (and programs after a short form) may be its
#: antecedent: articles name far fewer; it bounds the work on an article of
#: thousands of sentences.
ANTECEDENT_WINDOW = 200


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


@dataclass(frozen=True, slots=True)
class Frame:
    """Who acts from some point of a sentence on.

    ``leads`` act (they run what is launched), ``partners`` were joined to them
    (联合 B: B takes part).  ``factor`` scales the confidence of what is read
    with this frame (1.0 for an explicit subject, less when carried).
    """

    leads: tuple[Span, ...]
    partners: tuple[Span, ...] = ()
    factor: float = 1.0
    origin: str = "subject"  # subject | local | inherited | carried | host | pair | fronted
    core: int = -1  # how many leads are the named subject (-1: all); the rest joined later

    def with_partners(self, extra: Sequence[Span]) -> Frame:
        """The frame with ``extra`` bodies joined as partners."""
        known = {s.key for s in (*self.leads, *self.partners)}
        new = tuple(s for s in extra if s.key not in known)
        return Frame(self.leads, self.partners + new, self.factor, self.origin, self.core)

    def with_leads(self, extra: Sequence[Span]) -> Frame:
        """The frame with ``extra`` bodies acting as co-leads."""
        known = {s.key for s in (*self.leads, *self.partners)}
        new = tuple(s for s in extra if s.key not in known)
        core = len(self.leads) if self.core < 0 else self.core
        return Frame(self.leads + new, self.partners, self.factor, self.origin, core)

    def named(self) -> Frame:
        """The frame without the bodies joined for one action (partners, 与 B 共同…)."""
        leads = self.leads if self.core < 0 else self.leads[: self.core]
        return Frame(leads, (), self.factor, self.origin)


@dataclass(slots=True)
class Clause:
    """A stretch of a sentence between clause punctuation."""

    start: int
    end: int
    spans: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class SentenceContext:
    """One sentence with its spans, clauses and acting frames."""

    sentence: Sentence
    text: str
    spans: list[Span]
    clauses: list[Clause]
    new_paragraph: bool = False
    doc_text: str = ""  # the document's original text (for references read here)
    frames: list[tuple[int, Frame | None]] = field(default_factory=list)
    carried: Frame | None = None  # the actor carried into the sentence from before
    program_subjects: list[tuple[int, Span | None]] = field(default_factory=list)
    nested: list[Span] = field(default_factory=list)  # mentions inside other mentions
    mtext: str = ""  # the text with mentions masked (see :func:`masked`)
    memo: dict[str, object] = field(default_factory=dict, repr=False)  # shared readings
    _by_start: dict[int, list[Span]] | None = field(default=None, repr=False)
    # (table, role) -> (cue hits, false-word hits) in mtext
    _hits: dict[tuple[str, str], tuple[tuple[Hit, ...], tuple[Hit, ...]]] = field(
        default_factory=dict, repr=False
    )

    def masked_text(self) -> str:
        """The sentence's text with its mentions masked (:func:`masked`), made once."""
        if not self.mtext:
            self.mtext = masked(self.text, self.spans)
        return self.mtext

    def hits_of(
        self, table: CueTable, roles: tuple[str, ...], start: int = 0, end: int = -1
    ) -> list[Hit]:
        """:meth:`hits` of several roles of one table (by role, then by position)."""
        key = (table.source, "+".join(roles))
        got = self._hits.get(key)
        if got is None:
            mtext = self.masked_text()
            found = tuple(h for role in roles for h in table.all_hits(mtext, role))
            found = tuple(sorted(found, key=lambda h: h.start))
            got = (found, table.all_hits(mtext, "false") if found else ())
            self._hits[key] = got
        if not got[0]:
            return []
        return _window(got[0], got[1], start, len(self.text) if end < 0 else end)

    def hits(self, table: CueTable, role: str, start: int = 0, end: int = -1) -> list[Hit]:
        """Cue occurrences of ``role`` in ``[start, end)`` outside mentions and outside
        ``false`` words (:func:`cue_hits` on this sentence, its scans remembered)."""
        key = (table.source, role)
        got = self._hits.get(key)
        if got is None:
            mtext = self.masked_text()
            found = table.all_hits(mtext, role)
            got = (found, table.all_hits(mtext, "false") if found else ())
            self._hits[key] = got
        if not got[0]:
            return []
        return _window(got[0], got[1], start, len(self.text) if end < 0 else end)

    def joined_in_name(self, program: Span) -> list[tuple[Span, int]]:
        """Organisations joined by '+' inside a program's name (工会+法院+检察院 平台).

        Returns each nested organisation with the view position of its '+'.
        """
        out = []
        for s in self.nested:
            if not s.is_org or not (program.start <= s.start and s.end <= program.end):
                continue
            if s.end < program.end and self.text[s.end] == "+":
                out.append((s, s.end))
            elif s.start > program.start and self.text[s.start - 1] == "+":
                out.append((s, s.start - 1))
        return out

    def frame_at(self, pos: int) -> Frame | None:
        """The frame acting at view position ``pos`` (``None``: nobody known)."""
        return _latest(self.frames, pos)

    def program_subject_at(self, pos: int) -> Span | None:
        """The program that is the subject of the clause at ``pos``, if any."""
        return _latest(self.program_subjects, pos)

    def clause_of(self, pos: int) -> Clause:
        """The clause that holds view position ``pos`` (the last one if none does)."""
        clauses = self.clauses  # ascending, not overlapping
        i = bisect_right(clauses, pos, key=_clause_start) - 1
        if i >= 0 and pos < clauses[i].end:
            return clauses[i]
        return clauses[-1]

    def span_at(self, pos: int, types: Iterable[str] | None = None) -> Span | None:
        """The span that starts at ``pos`` (quotes before it skipped)."""
        starts = self._by_start
        if starts is None:
            starts = self._by_start = {}
            for span in self.spans:
                starts.setdefault(span.start, []).append(span)
        i = pos
        while i < len(self.text) and self.text[i] in QUOTES:
            i += 1
        found = starts.get(pos, [])
        if i != pos:
            found = found + starts.get(i, [])
        wanted = types if types is None or isinstance(types, (set, frozenset)) else set(types)
        for span in found:
            if wanted is None or span.type in wanted:
                return span
        return None

    def spans_between(self, start: int, end: int) -> list[Span]:
        """The spans that lie inside ``[start, end)``."""
        return [s for s in self.spans if s.start >= start and s.end <= end]

    def of_type(self, *types: str) -> list[Span]:
        """The spans of the given entity types (a new list; the selection is remembered)."""
        key = "of_type:" + "|".join(types)
        got = self.memo.get(key)
        if got is None:
            got = self.memo[key] = tuple(s for s in self.spans if s.type in types)
        return list(cast(tuple[Span, ...], got))


@dataclass(slots=True)
class ArticleContext:
    """The analysis of one article: sentence contexts in order."""

    article: AnalyzedArticle
    sentences: list[SentenceContext]


# --------------------------------------------------------------------------
# building blocks


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


def split_clauses(text: str, spans: Sequence[Span]) -> list[Clause]:
    """Split ``text`` at clause punctuation that is outside quotes and mentions.

    >>> [(c.start, c.end) for c in split_clauses("甲“乙,丙”丁,戊", [])]
    [(0, 8), (8, 9)]
    """
    protected = _quoted_ranges(text)
    protected.extend((sp.start, sp.end) for sp in spans)
    # only stretches that hold a break need masking
    protected = [(a, b) for a, b in protected if _BREAK_RE.search(text, a, b)]
    if protected:
        pieces = []
        at = 0
        for a, b in sorted(protected):
            a, b = max(a, at), min(b, len(text))
            if b <= a:
                continue
            pieces.append(text[at:a])
            pieces.append("\u25a1" * (b - a))
            at = b
        pieces.append(text[at:])
        searched = "".join(pieces)
    else:
        searched = text
    clauses: list[Clause] = []
    start = 0
    for m in _BREAK_RE.finditer(searched):
        i = m.start()
        if i > start:
            clauses.append(Clause(start, i + 1))
        start = i + 1
    return _close(clauses, start, text, spans)


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    """The stretches of ``text`` inside quotes or brackets (nesting counted; a closing
    mark with nothing open is ignored; an unclosed one runs to the end)."""
    out: list[tuple[int, int]] = []
    depth = 0
    opened = 0
    for m in _QUOTE_MARK.finditer(text):
        i = m.start()
        if text[i] in _OPENING:
            if depth == 0:
                opened = i
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                out.append((opened, i + 1))
    if depth:
        out.append((opened, len(text)))
    return out


def _close(clauses: list[Clause], start: int, text: str, spans: Sequence[Span]) -> list[Clause]:
    """Add the last clause (from ``start``) and give every clause the spans that start in it."""
    if start < len(text) or not clauses:
        clauses.append(Clause(start, max(len(text), start)))
    if not spans:
        for c in clauses:
            c.spans = []
        return clauses
    if len(clauses) == 1 or any(a.start > b.start for a, b in pairwise(spans)):
        for c in clauses:
            c.spans = [s for s in spans if c.start <= s.start < c.end]
        return clauses
    # spans ascend by start: each clause takes a slice
    k = 0
    n = len(spans)
    for c in clauses:  # clauses ascend and do not overlap
        while k < n and spans[k].start < c.start:
            k += 1
        j = k
        while j < n and spans[j].start < c.end:
            j += 1
        c.spans = list(spans[k:j])
        k = j
    return clauses
    ordered = sorted(spans, key=lambda s: s.start)
    k = 0
    for c in clauses:  # clauses ascend and do not overlap
        while k < len(ordered) and ordered[k].start < c.start:
            k += 1
        j = k
        while j < len(ordered) and ordered[j].start < c.end:
            j += 1
        c.spans = [s for s in spans if c.start <= s.start < c.end] if j - k else []
        k = j
    return clauses


_OPENING = "“‘「『《〈(（"
_CLOSING = "”’」』》〉)）"
_QUOTE_MARK = re.compile("[" + re.escape(_OPENING + _CLOSING) + "]")
_BREAK_RE = re.compile("[" + re.escape("".join(sorted(CLAUSE_BREAK))) + "]")


def masked(text: str, spans: Sequence[Span]) -> str:
    """``text`` with every mention replaced by a placeholder character.

    Cue search runs on the masked text so that words inside names never count.
    The result for the latest ``(text, spans)`` is remembered (the extractors
    ask about one sentence many times in a row).

    >>> masked("甲工会开展活动", [])
    '甲工会开展活动'
    """
    global _MASKED
    if _MASKED is not None:
        m_text, m_spans, m_key, m_result = _MASKED
        if m_text is text and m_spans is spans and m_key == len(spans):
            return m_result
    if not spans:
        result = text
    else:
        pieces = []
        at = 0
        for a, b in sorted((s.start, min(s.end, len(text))) for s in spans):
            a = max(a, at)
            if b <= a:
                continue
            pieces.append(text[at:a])
            pieces.append(MASK * (b - a))
            at = b
        pieces.append(text[at:])
        result = "".join(pieces)
    _MASKED = (text, spans, len(spans), result)
    return result


#: The latest masking: text, the spans object, its length, the masked text.
_MASKED: tuple[str, Sequence[Span], int, str] | None = None


def cue_hits(
    table: CueTable, text: str, role: str, spans: Sequence[Span], start: int = 0, end: int = -1
) -> list[Hit]:
    """Cue occurrences of ``role`` outside mentions and outside ``false`` words."""
    stop = len(text) if end < 0 else end
    mtext = masked(text, spans)
    found = table.all_hits(mtext, role)
    if not found:
        return []
    return _window(found, table.all_hits(mtext, "false"), start, stop)


def _window(found: Sequence[Hit], falses: Sequence[Hit], start: int, stop: int) -> list[Hit]:
    """The hits of ``found`` inside ``[start, stop)`` that no false word of the window
    (from 4 characters before it) covers (both sorted by start: found by bisection)."""
    lo = max(0, start)
    flo = max(0, start - 4)
    false_ranges = []
    for k in range(bisect_left(falses, flo, key=_hit_start), len(falses)):
        f = falses[k]
        if f.start >= stop:
            break
        if f.end <= stop:
            false_ranges.append((f.start, f.end))
    hits = []
    for k in range(bisect_left(found, lo, key=_hit_start), len(found)):
        h = found[k]
        if h.start >= stop:
            break
        if h.end > stop:
            continue
        if false_ranges and any(a <= h.start and h.end <= b for a, b in false_ranges):
            continue
        hits.append(h)
    return hits


def skip_adverbials(text: str, pos: int, end: int) -> int:
    """Skip time expressions, adverbials and quotes from ``pos`` (not past ``end``).

    >>> skip_adverbials("近日,某工会", 0, 6)
    2
    """
    if pos >= end:
        return pos
    m = _adverbial_run().match(text, pos, end)
    return m.end() if m is not None else pos


@cache
def _adverbial_run() -> re.Pattern[str]:
    """One pattern for a run of what :func:`skip_adverbials` skips, tried in this order
    at each character: a space, quote or 、; the longest adverbial cue; a time
    expression; a quantity; the close of a list (等12家单位)."""
    cues = "|".join(re.escape(c) for c in context_cues().cues("adverbial"))
    marks = "[\\s" + re.escape(QUOTES + "、") + "]"
    parts = [
        marks,
        *([cues] if cues else []),
        _TIME_RE.pattern,
        _QUANTITY_RE.pattern,
        _LIST_TAIL_RE.pattern,
    ]
    return re.compile("(?:" + "|".join(f"(?:{p})" for p in parts) + ")*")


def org_list(ctx: SentenceContext, pos: int, limit: int) -> tuple[list[Span], int]:
    """The organisations listed from ``pos`` on (A、B和C): spans and the end of the list.

    The list stops at the first item that is not an organisation mention.
    """
    conj = cooperation_cues()
    items: list[Span] = []
    i = pos
    while i < limit:
        span = ctx.span_at(i, ORG_TYPES)
        if span is None or span.end > limit:
            break
        items.append(span)
        i = span.end
        j = i
        while j < limit and ctx.text[j] in QUOTES:
            j += 1
        tail = _LIST_CLOSE.match(ctx.text, j, limit)  # 北京、深圳等5省市工会及 B
        if tail is not None and tail.end() > j:
            j = tail.end()
        hit = conj.starts_at(ctx.text, j, "conj", limit)
        if hit is None:
            break
        i = j + hit.end
        if ctx.span_at(i, ORG_TYPES) is None:
            # an item that is no mention (A、区建管党委、B): skipped when a body follows
            m = _UNNAMED_ITEM.match(ctx.text, i, limit)
            if m is None or ctx.span_at(m.end(), ORG_TYPES) is None:
                i = j
                break
            i = m.end()
    return items, i


# what may close a list of regions' bodies before it goes on: 等5省市工会, 等三地工会
_LIST_CLOSE = re.compile(
    r"等[0-9一二三四五六七八九十两]*个?(?:省区市|省市|省区|市县|省|市|县|区|地)?(?:总工会|工会)?"
)


def partner_list(ctx: SentenceContext, pos: int, limit: int) -> tuple[list[Span], int]:
    """The bodies joined by a partner cue: an organisation list, possibly after an
    unrecognised first item (联动行业协会、区卫健委: the list starts at 区卫健委)."""
    items, end = org_list(ctx, pos, limit)
    if items:
        return items, end
    m = _UNNAMED_ITEM.match(ctx.text, pos, limit)
    if m is None:
        return [], pos
    return org_list(ctx, m.end(), limit)


_UNNAMED_ITEM = re.compile(r"[^,;:，；：。!?！？、“”]{1,8}?(?:、|和|及|以及)")


def chain(ctx: SentenceContext, first: Span, types: Iterable[str]) -> list[Span]:
    """``first`` and the spans of ``types`` enumerated after it (A、B和C等D)."""
    wanted = set(types)
    out = [first]
    spans = [s for s in ctx.spans if s.start >= first.end]
    cur = first
    for s in spans:
        if s.type not in wanted:
            break
        gap = ctx.text[cur.end : s.start]
        if not _ENUM_GAP.fullmatch(gap):
            break
        out.append(s)
        cur = s
    return out


_ENUM_GAP = re.compile(r"[\s“”\"'‘’「」『』]*(?:、|和|与|及|以及|或|同|跟|等)?[\s“”\"'‘’「」『』]*")


# --------------------------------------------------------------------------
# frames


def _clause_frame(
    ctx: SentenceContext,
    clause: Clause,
    inherited: Frame | None,
    last_pair: tuple[Span, ...],
    sentence_start: bool,
    named_seen: Sequence[Span] = (),
    later_programs: Sequence[Span] = (),
    tails: frozenset[str] | None = None,
) -> tuple[list[tuple[int, Frame | None]], Span | None, bool, bool]:
    """Frames of one clause.

    Returns the frame events, the program subject (if the clause starts with a
    program), whether the clause named its own subject, and whether it starts
    with a verb/preposition (a dropped subject).  ``tails`` are the ends of the
    article's program names that a short form may be (:func:`_name_tails`;
    ``None``: not known, every start is checked).
    """
    text = ctx.text
    ctxc, runs, coop = _tables()
    events: list[tuple[int, Frame | None]] = []
    start = skip_adverbials(text, clause.start, clause.end)
    rest = text[start : clause.end]
    program_subject: Span | None = None
    own = False
    verb_start = False

    first = ctx.span_at(start)
    if first is None and start > clause.start and text[start - 1] in QUOTES:
        # the quote skipped as an adverbial opens a mention (“P”专属窗口 …)
        back = start
        while back > clause.start and text[back - 1] in QUOTES:
            back -= 1
        first = ctx.span_at(back)
    speech = (
        sentence_start
        and clause.start < len(text)
        and text[clause.start] in '“「『"'
        and (first is None or first.start > clause.start + 1)
    )
    if speech:
        # a quotation opens the sentence: someone speaks, nobody is carried in
        events.append((clause.start, None))
    elif first is not None and first.is_org:
        leads, end = org_list(ctx, first.start, clause.end)
        # A 与 B …: A is the subject, B joins this action; A、B …: both are the subject
        joined = len(leads) > 1 and _joined(text, leads[0], leads[1])
        events.append((clause.start, Frame(tuple(leads), core=1 if joined else -1)))
        own = True
    elif last_pair and ctxc.starts_with(rest, "pair") is not None:
        events.append((clause.start, Frame(last_pair, origin="pair")))
        own = True
    elif first is not None and first.type == PROGRAM:
        program_subject = first  # the program itself acts (P 覆盖…, P 服务…)
        events.append((clause.start, None))
    elif (
        _may_be_anaphor(rest, tails)
        and (
            anaphor := _anaphor(
                rest, _named_before(named_seen, ctx.spans, clause.start), later_programs, ctx, start
            )
        )
        is not None
    ):
        if anaphor.is_org:  # 该院 / 中心 → the body named before
            events.append((clause.start, Frame((anaphor,), (), ANAPHOR_FACTOR, "subject")))
            own = True
        else:  # 该平台 / 驿站 / 本次活动 → the program named before
            program_subject = anaphor
            events.append((clause.start, None))
    else:
        blocked = ctxc.starts_with(rest, "blocked")
        verbish = _starts_with_verb(rest)
        if verbish and blocked is None:
            verb_start = True
            if inherited is not None:
                events.append((clause.start, inherited))
        elif not rest.strip(" ,;:，；：。!?！？"):
            pass  # only adverbials: transparent
        elif blocked is None and first is None and inherited is not None and not sentence_start:
            # an unknown start inside a sentence: keep the actor, less sure
            factor = inherited.factor * (1.0 if inherited.origin == "inherited" else 0.85)
            events.append(
                (
                    clause.start,
                    Frame(inherited.leads, inherited.partners, factor, "inherited", inherited.core),
                )
            )
        else:
            events.append((clause.start, None))

    if not any(s.is_org for s in clause.spans):
        # no organisation named in the clause: no embedded subject, agent, partner or co-lead
        # (at most one event, at the clause start: nothing to sort)
        return events, program_subject, own, verb_start

    # an embedded subject: A (与 B) <run/joint cue> later in the clause (得益于 A 与 B 建立的 P)
    for span in clause.spans:
        if not span.is_org or span.start <= start or _governed(ctx, span):
            continue
        if any(a <= span.start < b for a, b in _listed_ranges(events)):
            continue
        items, end = org_list(ctx, span.start, clause.end)
        at = skip_adverbials(text, end, clause.end)
        if (
            runs.starts_at(text, at, "run", clause.end) is None
            and coop.starts_at(text, at, "joint", clause.end) is None
        ):
            continue
        joined = len(items) > 1 and _joined(text, items[0], items[1])
        events.append((span.start, Frame(tuple(items), core=1 if joined else -1, origin="local")))

    # inside the clause: 由 A 主办 (host agents), 联合 B (partners), 与 B 共同 (co-leads)
    mtext = ctx.masked_text()
    for h in ctxc.find(mtext, "agent", clause.start, clause.end):
        items, end = org_list(ctx, h.end, clause.end)
        if items:
            events.append((h.start, Frame(tuple(items), origin="host")))
    for h in ctx.hits(coop, "partner", clause.start, clause.end):
        items, end = partner_list(ctx, h.end, clause.end)
        if not items:
            continue
        base = _last(events)
        if base is None:
            continue
        events.append((end, base.with_partners(items)))
    for h in ctx.hits(coop, "conj", clause.start, clause.end):
        if h.cue == "、":
            continue
        items, end = org_list(ctx, h.end, clause.end)
        if not items:
            continue
        after = skip_adverbials(text, end, clause.end)
        joint = coop.starts_at(text, after, "joint", clause.end)
        run = runs.starts_at(text, after, "run", clause.end)
        if joint is None and run is None:
            continue
        base = _last(events)
        if base is None or any(s.key in {x.key for x in base.leads} for s in items):
            continue
        events.append((end, base.with_leads(items)))
    events.sort(key=lambda e: e[0])
    return events, program_subject, own, verb_start


def _joined(text: str, first: Span, second: Span) -> bool:
    """Whether ``second`` is joined to ``first`` (A 与 B) rather than listed with it
    (A、B; A、<an item that is no mention>、B)."""
    return not text[first.end : second.start].lstrip(QUOTES).startswith("、")


@cache
def _tables() -> tuple[CueTable, CueTable, CueTable]:
    """The context, runs and cooperation cue tables (one lookup per clause)."""
    return context_cues(), runs_cues(), cooperation_cues()


def _starts_with_verb(rest: str) -> bool:
    """Whether a clause start is a verb or preposition (its subject was dropped)."""
    if not rest:
        return False
    return any(rest.startswith(c) for c in _verb_starts().get(rest[0], ()))


@cache
def _verb_starts() -> dict[str, tuple[str, ...]]:
    """The cues that open a clause without a subject, by first character: run, via,
    use and join cues, partner and joint cues, serve cues, prepositions and agents."""
    roles = (
        (runs_cues(), "run"),
        (runs_cues(), "via"),
        (runs_cues(), "use"),
        (runs_cues(), "join"),
        (cooperation_cues(), "partner"),
        (cooperation_cues(), "joint"),
        (serves_cues(), "serve"),
        (context_cues(), "preposition"),
        (context_cues(), "agent"),
    )
    by_first: dict[str, set[str]] = {}
    for table, role in roles:
        for cue in table.cues(role):
            by_first.setdefault(cue[0], set()).add(cue)
    return {ch: tuple(sorted(cs, key=len)) for ch, cs in by_first.items()}


def _governed(ctx: SentenceContext, span: Span) -> bool:
    """Whether a preposition, conjunction or partner cue governs ``span`` (在 A, 与 A, 联合 A)."""
    head = ctx.text[: span.start].rstrip(QUOTES + " ")
    return context_cues().ends_with(head, "governor") is not None or any(
        cooperation_cues().ends_with(head, role) is not None for role in ("conj", "partner")
    )


def _listed_ranges(events: list[tuple[int, Frame | None]]) -> list[tuple[int, int]]:
    """The ranges of the organisations already placed in a frame of the clause."""
    return [
        (s.start, s.end)
        for _, f in events
        if f is not None and f.origin in ("subject", "local")
        for s in f.leads
    ]


def _anaphor(
    rest: str,
    earlier: Sequence[Span],
    later: Sequence[Span] = (),
    ctx: SentenceContext | None = None,
    at: int = 0,
) -> Span | None:
    """What an anaphoric clause start stands for: the latest program or organisation
    named before whose name fits the head noun (该平台 → …平台, 该院 → …法院, 本次活动 →
    the latest program)."""
    event = _event_start(rest)
    if event is None:
        # a short form of a program named before, or else (a headline's name) after
        lengths = _head_ends(rest[:SHORT_FORM_MAX])
        if not lengths:
            return None
        found = _short_form(rest, list(reversed(earlier)), lengths) or _short_form(
            rest, later, lengths
        )
        if found is None:
            return None
        if ctx is None:
            return found[0]
        # the short form itself is the reference: point the evidence at it
        span, length = found
        o_start, o_end = ctx.sentence.view.to_original(at, at + length)
        ref = replace(
            span.mention,
            start=o_start,
            end=o_end,
            text=ctx.doc_text[o_start:o_end],
            sentence=ctx.sentence.index,
            implicit=True,
        )
        return Span(ref, span.type, at, at + length, ctx.sentence.index)
    if not earlier:
        return None
    head = event
    # a program whose written form only mentions the head ("P"成果共享平台 for 平台)
    # is taken when no program named for the head (…服务平台) was named before it
    by_surface: Span | None = None
    for span in reversed(earlier):
        label = span.key.split(":", 1)[1]
        if span.is_org:
            if label.endswith(head) or span.mention.text.endswith(head):
                return span
        elif head in label or head in GENERIC_EVENT_HEADS:
            return span
        elif by_surface is None and head in span.mention.text:
            by_surface = span
    return by_surface


def _may_be_anaphor(rest: str, tails: frozenset[str] | None = None) -> bool:
    """Whether a clause start may be an anaphor (cheap test before :func:`_anaphor`).

    It is one when it starts with an ``event`` cue, or with a short form of a
    program's name: a tail of the name (one of ``tails`` when given) that ends in
    an anaphoric head noun.  Every ``event`` cue holds its head noun, so a start
    without any head noun in reach is no anaphor.
    """
    heads, reach = _head_search()
    if heads is None or heads.search(rest, 0, reach) is None:
        return False
    if _event_start(rest) is not None:
        return True
    if tails is not None and not any(
        rest[:k] in tails for k in range(3, min(SHORT_FORM_MAX, len(rest)) + 1)
    ):
        return False
    return len(_head_ends(rest[:SHORT_FORM_MAX])) > 0


def _name_tails(programs: Iterable[Span]) -> frozenset[str]:
    """The ends (3 to :data:`SHORT_FORM_MAX` characters) of the programs' names."""
    out: set[str] = set()
    for span in programs:
        label = span.key.split(":", 1)[1]
        out.update(label[-k:] for k in range(3, min(SHORT_FORM_MAX, len(label)) + 1))
    return frozenset(out)


@cache
def _head_search() -> tuple[re.Pattern[str] | None, int]:
    """A pattern finding any anaphoric head noun, and how far into a clause to look
    (the longest event cue or short form)."""
    cues = context_cues().cues("event")
    stripped = _anaphor_heads()
    if not stripped:
        return None, 0
    pattern = re.compile("|".join(re.escape(h) for h in sorted(stripped, key=len, reverse=True)))
    composed = [len(d) + len(h) for d in context_cues().cues("determiner")[:1] for h in stripped]
    return pattern, max([SHORT_FORM_MAX, *(len(c) for c in cues), *composed])


@cache
def _anaphor_heads() -> frozenset[str]:
    """The anaphoric head nouns: the ``event`` cues without their demonstrative, and
    the ``head`` cues (composed with a ``determiner``: 本届大赛, 这项活动)."""
    stripped = (_DEMONSTRATIVE_RE.sub("", c) for c in context_cues().cues("event"))
    return frozenset({h for h in stripped if h} | set(context_cues().cues("head")))


def _event_start(rest: str) -> str | None:
    """The head noun of an anaphor opening ``rest``: an ``event`` cue (该平台 → 平台), or
    a ``determiner`` and a ``head`` cue (本届大赛 → 大赛, 这项活动 → 活动).

    >>> _event_start("该平台由某工会发起")
    '平台'
    >>> _event_start("本届大赛由某工会主办")
    '大赛'
    >>> _event_start("大赛开幕") is None
    True
    """
    cues = context_cues()
    hit = cues.starts_with(rest, "event")
    if hit is not None:
        return _DEMONSTRATIVE_RE.sub("", hit.cue) or hit.cue
    det = cues.starts_with(rest, "determiner")
    if det is None:
        return None
    head = cues.starts_at(rest, det.end, "head")
    return head.cue if head is not None else None


def _named_before(named_seen: Sequence[Span], spans: Sequence[Span], at: int) -> list[Span]:
    """Programs and organisations named before view position ``at`` of a sentence:
    those of earlier sentences (``named_seen``) and those of the sentence's ``spans``."""
    return [
        *named_seen[-ANTECEDENT_WINDOW:],
        *(p for p in spans if (p.type == PROGRAM or p.is_org) and p.end <= at),
    ]


def _short_form(
    rest: str, candidates: Sequence[Span], lengths: Sequence[int] | None = None
) -> tuple[Span, int] | None:
    """A clause that starts with the tail of a program's name (智能驿站 for
    …工会智能驿站), the tail ending with an anaphoric head noun: the first such
    program among ``candidates`` (nearest first).

    ``lengths`` are the lengths of the starts of ``rest`` that end in a head
    noun, longest first (:func:`_head_ends`; computed when not given).
    """
    if lengths is None:
        lengths = _head_ends(rest[:SHORT_FORM_MAX])
    if not lengths:
        return None
    programs = [s for s in candidates if s.type == PROGRAM]
    for k in lengths:
        cand = rest[:k]
        for span in programs:
            if span.key.split(":", 1)[1].endswith(cand):
                return span, k
    return None


def abbreviates(word: str, program: Span) -> bool:
    """Whether ``word`` abbreviates the name of ``program``: it is not the name, ends
    with the name's last two characters (its head noun), opens with two characters
    that stand together in the name, and its characters occur in the name in order
    (治理行动 for 治理农民工欠薪专项行动).

    >>> from kg.model import Mention
    >>> m = Mention("Program:治理农民工欠薪专项行动", 0, 13, "", 0, 0)
    >>> p = Span(m, "Program", 0, 13, 0)
    >>> abbreviates("治理行动", p), abbreviates("专项行动", p), abbreviates("宣传行动", p)
    (True, True, False)
    """
    label = program.key.split(":", 1)[1]
    if len(word) < 4 or word == label or not label.endswith(word[-2:]):
        return False
    if word[:2] not in label[:-2]:
        return False
    at = label.find(word[:2]) + 2
    for ch in word[2:]:
        at = label.find(ch, at) + 1
        if at == 0:
            return False
    return True


def reference_span(ctx: SentenceContext, target: Span, start: int, end: int) -> Span:
    """A span at view ``[start, end)`` of ``ctx`` that refers to ``target``'s entity
    (a short form or an abbreviation: the evidence points at the reference)."""
    o_start, o_end = ctx.sentence.view.to_original(start, end)
    ref = replace(
        target.mention,
        start=o_start,
        end=o_end,
        text=ctx.doc_text[o_start:o_end],
        sentence=ctx.sentence.index,
        implicit=True,
    )
    return Span(ref, target.type, start, end, ctx.sentence.index)


def head_ends(text: str) -> list[int]:
    """The lengths (at least 3) of the starts of ``text`` that end in an anaphoric head
    noun (平台, 驿站, 活动 …), longest first."""
    return _head_ends(text)


def _head_ends(text: str) -> list[int]:
    """The lengths (at least 3) of the starts of ``text`` that end in an anaphoric head
    noun (平台, 驿站, 活动 …), longest first."""
    automaton = _event_heads()
    if automaton is None:
        return []
    return sorted({e + 1 for e, _ in automaton.iter(text) if e >= 2}, reverse=True)


@cache
def _event_heads() -> ahocorasick.Automaton | None:
    """The head nouns of the ``event`` cues (demonstratives removed), compiled."""
    heads = _anaphor_heads()
    if not heads:
        return None
    automaton = ahocorasick.Automaton()
    for h in heads:
        automaton.add_word(h, h)
    automaton.make_automaton()
    return automaton


def _last(events: list[tuple[int, Frame | None]]) -> Frame | None:
    for _, frame in reversed(events):
        if frame is not None:
            return frame
    return None


def analyse(aa: AnalyzedArticle) -> ArticleContext:
    """The clause analysis of ``aa`` (computed once, shared by the extractors)."""
    global _CACHE
    if _CACHE is not None and _CACHE[0] is aa:
        return _CACHE[1]
    result = _analyse(aa)
    _CACHE = (aa, result)
    return result


_CACHE: tuple[AnalyzedArticle, ArticleContext] | None = None

#: Confidence factors of a subject carried from an earlier sentence.
CARRY_SAME_PARAGRAPH = 0.7
CARRY_NEW_PARAGRAPH = 0.55
CARRY_DECAY = 0.9
CARRY_FLOOR = 0.35
#: How far a subject is carried: sentences, and paragraph breaks crossed.
MAX_CARRY_SENTENCES = 8
MAX_CARRY_PARAGRAPHS = 3


def _analyse(aa: AnalyzedArticle) -> ArticleContext:
    doc_text = aa.doc.text
    sentences: list[SentenceContext] = []
    carried: Frame | None = None
    distance = 0  # sentences since the carried frame was named
    crossed = 0  # paragraph breaks in between
    named_seen: list[Span] = []
    last_pair: tuple[Span, ...] = ()
    prev_end: int | None = None
    placed = [_all_view_spans(aa, sent) for sent in aa.article.sentences]
    # the programs of the sentences after each one (sentence indexes ascend): the
    # next ANTECEDENT_WINDOW of the article's programs in order
    programs: list[Span] = []
    firsts: list[int] = []  # index in ``programs`` of each sentence's first program
    for sp, _ in placed:
        firsts.append(len(programs))
        programs.extend(p for p in sp if p.type == PROGRAM)
    nexts = [*firsts[1:], len(programs)]
    tails = _name_tails(programs)
    indexes = [sent.index for sent in aa.article.sentences]
    ordered = all(a < b for a, b in pairwise(indexes))

    def programs_after(k: int) -> list[Span]:
        """The programs after sentence ``k`` (by index when the sentences are not in order)."""
        if ordered:
            return programs[nexts[k] : nexts[k] + ANTECEDENT_WINDOW]
        found = [
            p
            for other, (sp, _) in zip(indexes, placed, strict=True)
            if other > indexes[k]
            for p in sp
            if p.type == PROGRAM
        ]
        return found[:ANTECEDENT_WINDOW]

    # every reading needs a mention in its sentence, and only a mention starts what is
    # carried (subjects, pairs, antecedents): before the first sentence with one and
    # past the last, nothing is read and nothing needs to be carried
    named_at = [k for k, (sp, ne) in enumerate(placed) if sp or ne]
    first_named, last_named = (named_at[0], named_at[-1]) if named_at else (0, -1)
    for k, (sent, (spans, nested)) in enumerate(zip(aa.article.sentences, placed, strict=True)):
        if k < first_named or k > last_named:
            sentences.append(
                SentenceContext(sent, sent.text, [], [Clause(0, len(sent.text))], doc_text=doc_text)
            )
            prev_end = sent.end
            continue
        ctx = SentenceContext(sent, sent.text, spans, split_clauses(sent.text, spans))
        ctx.nested = nested
        ctx.doc_text = doc_text
        ctx.new_paragraph = prev_end is not None and doc_text.find("\n", prev_end, sent.start) != -1
        prev_end = sent.end
        # what an unsubjected sentence start takes over
        inherit: Frame | None = None
        crossed += ctx.new_paragraph
        if (
            carried is not None
            and distance < MAX_CARRY_SENTENCES
            and crossed <= MAX_CARRY_PARAGRAPHS
        ):
            factor = CARRY_NEW_PARAGRAPH if crossed else CARRY_SAME_PARAGRAPH
            factor *= CARRY_DECAY ** max(0, distance)
            named = carried.named()
            inherit = Frame(named.leads, (), max(CARRY_FLOOR, factor), "carried")
        ctx.carried = inherit
        distance += 1
        clause_results = []
        later_progs = programs_after(k)
        current = inherit
        opening = True
        for clause in ctx.clauses:
            if current is not None and clause.start and ctx.text[clause.start - 1] in ";；":
                # a new sentence part: bodies joined for one action do not stay joined
                current = current.named()
            events, prog, own, verb_start = _clause_frame(
                ctx, clause, current, last_pair, opening, named_seen, later_progs, tails
            )
            clause_results.append((clause, events, prog, own, verb_start))
            if events:
                opening = False
            last = _last(events)
            if last is not None:
                current = last
            elif events and (current is None or current.origin == "carried"):
                current = None  # another subject: what was carried in does not reach past it
            # (an actor named in this sentence survives a clause about something else)
        # fronted adverbial clauses (为 G, 针对 G, …) take the subject named later
        first_own = next((i for i, r in enumerate(clause_results) if r[3]), None)
        if first_own is not None and any(
            not r[4] and r[1] and all(f is None for _, f in r[1])
            for r in clause_results[:first_own]
        ):
            first_own = None  # another subject stands in between: not a fronted adverbial
        frames: list[tuple[int, Frame | None]] = []
        program_subjects: list[tuple[int, Span | None]] = []
        for i, (clause, events, prog, _own, verb_start) in enumerate(clause_results):
            if first_own is not None and i < first_own and verb_start:
                later = _last(clause_results[first_own][1])
                if later is not None:
                    events = [
                        (
                            clause.start,
                            Frame(later.leads, later.partners, 0.95, "fronted", later.core),
                        )
                    ]
            frames.extend(events)
            program_subjects.append((clause.start, prog))
        ctx.frames = frames
        # carry program subjects through the clauses of the sentence
        cur_prog: Span | None = None
        subject_at = [a for a, f in frames if f is not None and f.origin in ("subject", "pair")]
        for idx, (at, prog) in enumerate(program_subjects):
            clause = clause_results[idx][0]  # the clause that starts at ``at``
            has_org_subject = any(clause.start <= a < clause.end for a in subject_at)
            if prog is not None:
                cur_prog = prog
            elif has_org_subject:
                cur_prog = None
            program_subjects[idx] = (at, cur_prog)
        ctx.program_subjects = program_subjects
        # remember the explicit actors for later sentences
        explicit = [f for _, f in frames if f is not None and f.origin in ("subject", "pair")]
        if explicit:
            carried = explicit[-1]
            distance = 0
            crossed = 0
        for _, f in frames:
            if f is not None and len(f.leads) + len(f.partners) >= 2 and f.origin != "carried":
                last_pair = f.leads + f.partners
        named_seen.extend(p for p in spans if p.type == PROGRAM or p.is_org)
        sentences.append(ctx)
    return ArticleContext(aa, sentences)


# --------------------------------------------------------------------------
# evidence


def evidence(
    aa: AnalyzedArticle,
    ctx: SentenceContext,
    subj: Span,
    obj: Span,
    extractor: str,
    confidence: float,
    trigger: Hit | None = None,
    *,
    o_range: tuple[int, int] | None = None,
) -> Evidence:
    """The :class:`~kg.model.Evidence` of a relation read in ``ctx``.

    Both ends point at their mentions' original offsets (a carried subject or an
    anaphor's antecedent points at its mention in an earlier sentence); the
    trigger's range is mapped from the view to the original text, while
    ``Evidence.trigger`` holds the normalised cue word (simplified characters).
    ``o_range`` overrides the object's original range.
    """
    sent = ctx.sentence
    t_start = t_end = None
    if trigger is not None and trigger.end > trigger.start:
        t_start, t_end = sent.view.to_original(trigger.start, trigger.end)
    o_start, o_end = o_range if o_range is not None else (obj.mention.start, obj.mention.end)
    return Evidence(
        doc_id=aa.doc.doc_id,
        article=aa.article.index,
        sentence=sent.index,
        sentence_start=sent.start,
        sentence_end=sent.end,
        text=sent.text,
        s_start=subj.mention.start,
        s_end=subj.mention.end,
        o_start=o_start,
        o_end=o_end,
        extractor=extractor,
        confidence=round(max(0.0, min(1.0, confidence)), 3),
        trigger=trigger.cue if trigger is not None else None,
        trigger_start=t_start,
        trigger_end=t_end,
    )


_T = TypeVar("_T")


def _latest(items: Sequence[tuple[int, _T]], pos: int) -> _T | None:
    """The value of the last ``(at, value)`` pair with ``at <= pos`` (pairs sorted by
    ``at``: found by bisection)."""
    i = bisect_right(items, pos, key=_at)
    return items[i - 1][1] if i else None


def _at(item: tuple[int, object]) -> int:
    return item[0]


def _clause_start(clause: Clause) -> int:
    return clause.start


def _hit_start(hit: Hit) -> int:
    return hit.start
