"""One sentence read for clause structure: the reusable clause analysis.

:class:`SentenceContext` holds a sentence with its spans, its clauses, its masked
text and its cue scans; the functions here read what any reader of a sentence
needs, whatever it extracts (relations here, figures in :mod:`kg.extract.facts`):

* :func:`split_clauses` -- clauses between clause punctuation outside quotes and names;
* :func:`masked` and :func:`cue_hits` -- cue words outside names and outside
  ``false`` words;
* :func:`skip_adverbials` -- time expressions, adverbials, quantities and list
  closes skipped;
* :func:`org_list`, :func:`partner_list`, :func:`chain` -- enumerations of
  bodies and of programs or groups (A、B和C等D).

Who acts where (frames) is read by :mod:`kg.extract.relations._frames`; the article
analysis that carries actors across sentences is :mod:`kg.extract.relations._context`.
All positions are offsets into the sentence's normalised text.  Clauses, frames
and cue hits are looked up by position (bisection), never by scanning.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING, TypeVar, cast

from kg.extract.first import FirstChars, first_chars
from kg.extract.relations._lexicon import CueTable, Hit, context_cues, cooperation_cues
from kg.extract.relations._spans import ORG_TYPES, Span
from kg.model import Sentence

if TYPE_CHECKING:
    from kg.extract.relations._frames import Frame


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
    first = _adverbial_first()
    if first is not None and not first.could_start(text[pos]):
        return pos  # nothing skippable starts here (most calls): the run is empty
    m = _adverbial_run().match(text, pos, end)
    return m.end() if m is not None else pos


@cache
def _adverbial_first() -> FirstChars | None:
    return first_chars(_adverbial_run())


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


_ENUM_GAP = re.compile(
    r"[\s“”\"'‘’「」『』]*(?:、|和|与|及|以及|或|同|跟|等等|等)?[\s“”\"'‘’「」『』]*"
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
