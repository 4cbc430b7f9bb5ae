"""Mention recognition: find organisations, programs and worker groups in sentences.

Recognition is rule-based and driven by the lexicons of ``ontology/`` (see
:mod:`kg.lexicon.orgs`, :mod:`kg.lexicon.programs`, :mod:`kg.lexicon.worker_groups`
and the gazetteer :mod:`kg.lexicon.regions`).  One Aho-Corasick automaton, built
once, finds every region surface, designation, national body, worker-group
label, cue word and boundary word of a sentence in one pass; the grammar below
then assembles names from those hits:

* **organisations** – ``[region chain] [zone] designation`` (江苏省总工会,
  深圳南山区总工会, 烟台高新区总工会), ``level word + designation`` resolved in
  context (市检察院, 省高院, 区人社局, 省总), bare generic agencies resolved to the
  acting body's region (法院, 人社 -> implicit), free-text names bounded by
  verbs, function words and punctuation before 工会/联合会/协会/学院
  (工行广东省分行工会, 中国纺织工业联合会), sub-bodies of a union
  (…总工会职工法律援助中心) and national bodies by name (全总);
* **programs** – quoted names with a program cue (a cue word after, a verb
  before) and unquoted noun phrases ending in a program head word;
* **worker groups** – labels of the SKOS vocabulary.

The recognisers return :class:`Candidate` objects with offsets in the
sentence's normalised view; :mod:`kg.extract.resolve` turns them into entities
and mentions with original offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from kg.lexicon.orgs import Designation, NationalBody, org_lexicon
from kg.lexicon.programs import program_cues
from kg.lexicon.regions import Gazetteer, Region
from kg.lexicon.worker_groups import worker_groups

__all__ = [
    "ArticleContext",
    "Candidate",
    "recognise_sentence",
    "scanner",
    "seed_context",
    "seed_home_region",
]

LEVEL_CHARS = "省市区县州"
_MAX_NAME = 20  # longest free-text name part read backwards
_MAX_PROGRAM = 24
_QUOTE_CHARS = re.compile(r"[“「\"]")  # what an opening quote of _QUOTE_RE can be
_QUOTE_RE = re.compile(r"“([^“”\n]{2,40})”|「([^「」\n]{2,40})」|\"([^\"\n]{2,40})\"")
_BAD_IN_QUOTE = re.compile(r"[。!?！？;；:：]")
_NAME_SYMBOLS = frozenset("+·—-/&()（）")
_CLASSIFIERS = frozenset("家名个项场次份件起万亿余多批类人位支条处座所年月日届期")


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _is_word_char(ch: str) -> bool:
    """A character that can be part of a name (Han, ASCII letter or digit)."""
    # (_is_han written out: this runs for nearly every character read)
    return (
        "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or (ch.isascii() and ch.isalnum())
    )


@dataclass(slots=True)
class Candidate:
    """A recognised mention before resolution (offsets in the sentence view)."""

    type: str
    start: int
    end: int
    surface: str
    recogniser: str
    confidence: float = 1.0
    implicit: bool = False
    kind: str | None = None
    # organisations bound to a region: canonical name = region form + designation
    region: Region | None = None
    region_parent_named: bool = False  # the mention itself named the prefecture
    designation: str | None = None
    zone: str = ""  # a development-zone word kept in the name (高区)
    # everything else: the name as read (before doc-level canonicalisation)
    name: str | None = None
    parent: Candidate | None = None  # the union of a union sub-body
    parent_text: str = ""  # the union designation as written (工会/总工会)
    level: str | None = None
    lead_region: str = ""  # a region surface the name starts with (programs)
    weak: bool = False  # a quoted name without a program cue: kept only if the document
    # names the same program with a cue elsewhere
    place: Region | None = None  # the region a body named as written lies in (a township's
    # county): it gives the entity a region code without changing its name


def _in_region(
    d: Designation, text: str, start: int, end: int, region: Region, recogniser: str, conf: float
) -> Candidate:
    """An implicit body of designation ``d`` placed in ``region`` by context."""
    return Candidate(
        d.type,
        start,
        end,
        text[start:end],
        recogniser,
        conf,
        implicit=True,
        kind=d.kind,
        region=region,
        designation=d.canonical_for(region.level),
        level=region.level,
    )


@dataclass(slots=True)
class ArticleContext:
    """What an article has established so far: regions and acting bodies."""

    context_codes: list[str] = field(default_factory=list)  # regions seen, oldest first
    acting: list[Candidate] = field(default_factory=list)  # organisations with a region
    bodies: list[Candidate] = field(default_factory=list)  # every organisation named so far
    # regions only guessed for a name the context could not place (宝山区 -> 上海市宝山区),
    # code -> the region as written: bodies placed there by level words keep that form
    unplaced: dict[str, str] = field(default_factory=dict)

    def note_region(self, region: Region) -> None:
        if region.code in self.context_codes:
            self.context_codes.remove(region.code)
        self.context_codes.append(region.code)


# --- the automaton -------------------------------------------------------------


# what a surface names, by kind: (regions, orgs, groups, heads)
_Kinds = tuple[tuple[Region, ...], tuple[tuple[str, Any], ...], tuple[Any, ...], tuple[Any, ...]]
# (length, stop/verb flags, is a zone word, kinds or None for a stop or verb word only)
_Entry = tuple[int, int, bool, _Kinds | None]


@dataclass(frozen=True, slots=True)
class _Scanner:
    automaton: Any
    org_singles: frozenset[str]  # one-character stop words
    program_singles: frozenset[str]


@cache
def scanner() -> _Scanner:
    """Build (once) the automaton over every lexicon surface."""
    import ahocorasick

    lex = org_lexicon()
    cues = program_cues()
    vocab = worker_groups()
    gaz = Gazetteer.load()
    table: dict[str, list[tuple[str, Any]]] = {}

    def add(surface: str, cls: str, payload: Any) -> None:
        if surface:
            table.setdefault(surface, []).append((cls, payload))

    for surface, region, _full in gaz.surfaces():
        if len(surface) >= 2:
            add(surface, "R", region)
    for surface, d in lex.designations.items():
        add(surface, "D", d)
    for surface, body in lex.national.items():
        add(surface, "N", body)
    for surface in vocab.by_surface:
        add(surface, "W", vocab.canonical(surface))
    for w in cues.all_heads:
        add(w, "H", w)
    for w in cues.verbs:
        add(w, "PV", w)
    org_stops = lex.words("verb") | lex.words("function") | lex.words("time")
    for w in org_stops:
        if len(w) > 1:  # one-character stops are checked lazily (_Stops)
            add(w, "OS", w)
    for w in lex.words("zone"):
        add(w, "Z", w)
    program_stops = (
        (cues.verbs | lex.words("verb") | lex.words("function") | lex.words("time"))
        - lex.words("name_verb")
        - {"和", "与", "及"}
    )
    for w in cues.verbs | lex.words("verb"):
        add(w, "VB", w)
    for w in program_stops:
        if len(w) > 1:
            add(w, "PS", w)
    a = ahocorasick.Automaton()
    for surface, entry in _ordered_entries(table):
        a.add_word(surface, entry)
    a.make_automaton()
    return _Scanner(
        a,
        frozenset(w for w in org_stops if len(w) == 1),
        frozenset(w for w in program_stops if len(w) == 1),
    )


_PLACEHOLDERS = 300  # common characters that start no surface, found early
# flags of a surface's payload: stop words, verbs (set membership only)
_OS, _PS, _VB, _PV = 1, 2, 4, 8
# a character the text never holds: the second character of the placeholder entries
_NEVER = "\uffff"
_PUNCTUATION = "。、“”‘’《》—…·【】「」"


def _entry(surface: str, payload: list[tuple[str, Any]]) -> _Entry:
    """The automaton value of one surface, sorted by class once so that the scan does
    not compare class names per hit: ``(length, flags, zone, kinds)``, where ``kinds``
    is ``(regions, orgs, groups, heads)`` or None for a stop or verb word only (most
    hits)."""
    regions = tuple(d for c, d in payload if c == "R")
    orgs = tuple((c, d) for c, d in payload if c in ("D", "N"))
    groups = tuple(d for c, d in payload if c == "W")
    heads = tuple(d for c, d in payload if c == "H")
    flags = 0
    for c, _d in payload:
        flags |= {"OS": _OS, "PS": _PS, "VB": _VB, "PV": _PV}.get(c, 0)
    zone = any(c == "Z" for c, _d in payload)
    kinds = (regions, orgs, groups, heads) if regions or orgs or groups or heads else None
    return (len(surface), flags, zone, kinds)


def _ordered_entries(table: dict[str, list[tuple[str, Any]]]) -> list[tuple[str, _Entry]]:
    """The automaton's entries, common first characters first.

    pyahocorasick finds a node's child by a linear search in insertion order, and
    the scan falls back to the root at nearly every character: putting the surfaces
    whose first character is common in text first (by jieba's general frequencies,
    punctuation and ASCII before all) makes that search short.  Common characters
    that start no surface get a placeholder entry (the character and one the text
    never holds, with an empty payload) so that they too are found early instead of
    after a search of the whole root.  Matches are the same whatever the order.
    """
    freq = _word_freq()
    top = max(freq.values(), default=0) + 1

    def score(ch: str) -> int:
        if ch.isascii() or ch in _PUNCTUATION:
            return top
        return freq.get(ch, 0)

    entries = [(surface, _entry(surface, payload)) for surface, payload in table.items()]
    firsts = {surface[0] for surface in table}
    common = sorted(
        (w for w, f in freq.items() if len(w) == 1 and f > 0 and w not in firsts),
        key=lambda w: -freq[w],
    )[:_PLACEHOLDERS]
    common += [c for c in map(chr, range(32, 127)) if c not in firsts]
    common += [c for c in _PUNCTUATION if c not in firsts and c not in common]
    empty: _Entry = (2, 0, False, None)
    entries += [(c + _NEVER, empty) for c in common]
    entries.sort(key=lambda item: -score(item[0][0]))  # stable: table order otherwise
    return entries


@cache
def _word_freq() -> dict[str, int]:
    """jieba's word-frequency dictionary (loaded once; no segmentation is run)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    freq: dict[str, int] = jieba.dt.FREQ
    return freq


@cache
def _specific_heads() -> frozenset[str]:
    """Program heads of two or more characters that the text does not vary (项目, 计划)."""
    cues = program_cues()
    return frozenset(w for w in cues.heads - cues.generic - cues.carriers if len(w) >= 2)


def _common_word(word: str) -> bool:
    """True when jieba's dictionary knows ``word`` as a common word (言行, 进行).

    >>> _common_word("言行"), _common_word("企行")
    (True, False)
    """
    return _word_freq().get(word, 0) >= 10


_PARTICLES = frozenset("了的着过地得们")
_NAME_STARTS = ("中国", "中华", "全国")


def _glued(text: str, i: int) -> bool:
    """True when the one-character function word at ``i`` is part of a word (就业, 数据).

    >>> _glued("促进就业", 2), _glued("与法院", 0)
    (True, False)
    """
    freq = _word_freq()
    if freq.get(text[i : i + 2], 0) >= 3:
        return True
    # an aspect or structural particle (开通了, 他的) closes the word before it: never glued
    return i > 0 and text[i] not in _PARTICLES and freq.get(text[i - 1 : i + 1], 0) >= 3


class _Stops:
    """Ends of stop words in one sentence: multi-character ones found by the automaton,
    one-character ones (与, 在) checked on demand, unless glued into a word (就业)."""

    __slots__ = ("_glue", "ends", "name_starts", "singles", "text")

    def __init__(self, text: str, singles: frozenset[str], name_starts: Iterable[int] = ()) -> None:
        self.text = text
        self.singles = singles
        self.ends: set[int] = set()
        self._glue: dict[int, bool] = {}
        # where a name begins (a region, 中国…): a function word right before one is a
        # word of its own even when the dictionary glues it (从中国…, 在江苏…)
        self.name_starts = name_starts

    def add(self, end: int) -> None:
        self.ends.add(end)

    def __contains__(self, end: object) -> bool:
        if end in self.ends:
            return True
        if not isinstance(end, int) or end <= 0 or end > len(self.text):
            return False
        i = end - 1
        if self.text[i] not in self.singles:
            return False
        glued = self._glue.get(i)
        if glued is None:
            glued = _glued(self.text, i)
            if glued and (end in self.name_starts or self.text.startswith(_NAME_STARTS, end)):
                glued = False
            self._glue[i] = glued
        return not glued


def _starts_word(text: str, i: int) -> bool:
    """True when ``text[i:i+2]`` is a more common word than ``text[i-1:i+1]`` (有关 vs 总有).

    >>> _starts_word("省总有关负责人", 2), _starts_word("省总结经验", 2)
    (True, False)
    """
    freq = _word_freq()
    return freq.get(text[i : i + 2], 0) > 10 * max(freq.get(text[i - 1 : i + 1], 0), 1)


class _Hits:
    """What the automaton found in one sentence, by kind."""

    __slots__ = (
        "groups",
        "heads",
        "org_stop_ends",
        "orgs",
        "program_stop_ends",
        "program_verb_ends",
        "program_verb_starts",
        "regions_end",
        "regions_start",
        "text",
        "verb_ends",
        "verb_starts",
        "zones_end",
    )

    def __init__(self, text: str, org_singles: frozenset[str], program_singles: frozenset[str]):
        self.text = text
        self.regions_end: dict[int, list[tuple[int, str, list[Region]]]] = {}
        self.regions_start: dict[int, list[tuple[int, str, list[Region]]]] = {}
        self.orgs: list[tuple[int, int, str, Any]] = []  # (s, e, cls, payload)
        self.groups: list[tuple[int, int, str]] = []
        self.heads: list[tuple[int, int, str]] = []
        self.org_stop_ends = _Stops(text, org_singles, self.regions_start)
        self.program_stop_ends = _Stops(text, program_singles, self.regions_start)
        self.program_verb_ends: set[int] = set()
        self.program_verb_starts: set[int] = set()
        self.verb_ends: set[int] = set()
        self.verb_starts: set[int] = set()
        self.zones_end: dict[int, int] = {}  # end -> start (longest)


def _scan(text: str) -> _Hits:
    sc = scanner()
    hits = _Hits(text, sc.org_singles, sc.program_singles)
    orgs, groups, heads = hits.orgs, hits.groups, hits.heads
    org_stops, program_stops = hits.org_stop_ends.ends, hits.program_stop_ends.ends
    regions_end, regions_start, zones_end = hits.regions_end, hits.regions_start, hits.zones_end
    for end_incl, (length, flags, zone, kinds) in sc.automaton.iter(text):
        end = end_incl + 1
        if flags:
            if flags & _OS:
                org_stops.add(end)
            if flags & _PS:
                program_stops.add(end)
            if flags & _VB:
                hits.verb_ends.add(end)
                hits.verb_starts.add(end - length)
            if flags & _PV:
                hits.program_verb_ends.add(end)
                hits.program_verb_starts.add(end - length)
        if zone:
            start = end - length
            if end not in zones_end or start < zones_end[end]:
                zones_end[end] = start
        if kinds is None:
            continue
        start = end - length
        regions, org_entries, group_entries, head_entries = kinds
        for cls, data in org_entries:
            orgs.append((start, end, cls, data))
        for data in group_entries:
            groups.append((start, end, data))
        for data in head_entries:
            heads.append((start, end, data))
        if regions:
            surface = text[start:end]
            found = list(regions)
            regions_end.setdefault(end, []).append((start, surface, found))
            regions_start.setdefault(start, []).append((end, surface, found))
    for lst in regions_end.values():
        if len(lst) > 1:
            lst.sort()  # longest (smallest start) first
    for lst in regions_start.values():
        if len(lst) > 1:
            lst.sort(reverse=True)
    return hits


# --- region chains ---------------------------------------------------------------


def _resolve_chain(
    parts: list[tuple[int, str, list[Region]]], ctx: ArticleContext
) -> tuple[Region | None, bool, int]:
    """Resolve a left-to-right chain of region surfaces.

    Returns the innermost region, whether a prefecture was named above a county,
    and the start of the part of the chain that was kept.
    """
    gaz = Gazetteer.load()
    current: Region | None = None
    parent_named = False
    kept_start = parts[0][0] if parts else 0
    for start, surface, _cands in parts:
        context = [current.code] if current is not None else ctx.context_codes[-8:]
        r = gaz.resolve(surface, context)
        if r is None and current is not None:
            r = gaz.resolve(surface, ctx.context_codes[-8:])
        if r is None:
            return None, False, kept_start
        if current is not None and gaz.is_within(r.code, current.code) and r.code != current.code:
            if current.level == "prefecture" and r.level == "county":
                parent_named = True
            current = r
        else:
            # a new chain starts here (the left part did not contain this region)
            current = r
            parent_named = False
            kept_start = start
        if r.needs_context(surface) and not _supported(r, ctx, parts):
            return None, False, kept_start
    return current, parent_named, kept_start


def _supported(r: Region, ctx: ArticleContext, parts: list[tuple[int, str, list[Region]]]) -> bool:
    gaz = Gazetteer.load()
    if len(parts) > 1:
        return True
    # the region itself named before in the article (青岛市市北区…, later 市北区) supports it
    return any(gaz.is_within(r.code, c) or gaz.is_within(c, r.code) for c in ctx.context_codes)


def _chain_before(hits: _Hits, pos: int, floor: int) -> list[tuple[int, str, list[Region]]]:
    """Region surfaces ending exactly at ``pos`` and chained leftwards (up to 3)."""
    parts: list[tuple[int, str, list[Region]]] = []
    p = pos
    while len(parts) < 3 and p in hits.regions_end:
        options = [o for o in hits.regions_end[p] if o[0] >= floor]
        if not options:
            break
        start, surface, cands = options[0]
        parts.append((start, surface, cands))
        p = start
    parts.reverse()
    return parts


def _chain_after(hits: _Hits, pos: int, limit: int) -> list[tuple[int, str, list[Region]]]:
    """Region surfaces starting at ``pos`` and chained rightwards, ending by ``limit``."""
    parts: list[tuple[int, str, list[Region]]] = []
    p = pos
    while len(parts) < 3 and p in hits.regions_start:
        options = [o for o in hits.regions_start[p] if o[0] <= limit]
        if not options:
            break
        end, surface, cands = options[0]
        parts.append((p, surface, cands))
        p = end
    return parts


# --- helpers -----------------------------------------------------------------------


def _boundary_before(hits: _Hits, pos: int, floor: int) -> bool:
    """True when nothing name-like runs into ``pos`` (start, punctuation, a stop word)."""
    if pos <= floor:
        return True
    ch = hits.text[pos - 1]
    return not _is_word_char(ch) or pos in hits.org_stop_ends


def _scan_back(hits: _Hits, pos: int, floor: int, stops: _Stops, limit: int) -> int:
    """Read a free-text name backwards from ``pos``; return where it starts."""
    text = hits.text
    ends, singles = stops.ends, stops.singles
    p = pos
    while p > floor and pos - p < limit:
        ch = text[p - 1]
        if not (_is_word_char(ch) or ch in _NAME_SYMBOLS):
            break
        # a verb, function or time word ends here (the set first: most need no more)
        if p in ends or (ch in singles and p in stops):
            break
        if ch in _CLASSIFIERS and p - 2 >= floor and text[p - 2].isdigit():
            break  # an amount (800家, 208名) is not part of a name
        p -= 1
    # do not start inside a stop word or on a symbol
    while p < pos and not _is_word_char(text[p]):
        p += 1
    return p


def _level_region(
    level_char: str,
    ctx: ArticleContext,
    sentence_orgs: list[Candidate],
    hits: _Hits | None = None,
    pos: int = 0,
) -> Region | None:
    """The region of the given level that the context is about (市 -> the acting city).

    Looks at the regions named earlier in the sentence (nearest first), then at
    the bodies of the sentence and of the article, then at the article's regions.
    """
    gaz = Gazetteer.load()

    def pool() -> Iterator[Region]:
        if hits is not None:
            ends = [e for e in range(pos, max(pos - 80, 0) - 1, -1) if e in hits.regions_end]
            for end in ends:
                _start, surface, _cands = hits.regions_end[end][0]
                r = gaz.resolve(surface, ctx.context_codes[-8:])
                if r is not None and not r.needs_context(surface):
                    yield r
        for c in reversed(sentence_orgs[-8:]):
            if c.region is not None:
                yield from reversed(gaz.chain(c.region.code))
        for c in reversed(ctx.acting[-8:]):
            if c.region is not None:
                yield from reversed(gaz.chain(c.region.code))
        for code in reversed(ctx.context_codes[-8:]):
            yield from reversed(gaz.chain(code))

    for r in pool():
        if level_char == "自治区":
            if r.level == "province" and r.name.endswith("自治区"):
                return r
            continue
        if level_char == "省" and r.level == "province":
            return r if r.name.endswith("省") or not r.is_municipality else None
        if level_char == "市" and r.name.endswith("市"):
            return r
        if level_char == "区" and r.name.endswith("区") and r.level != "province":
            return r
        if level_char == "县" and r.name.endswith("县"):
            return r
        if level_char == "州" and r.name.endswith("州"):
            return r
    return None


def _acting_region(ctx: ArticleContext, sentence_orgs: list[Candidate], pos: int) -> Region | None:
    """The region of the body acting in this sentence (nearest organisation before ``pos``)."""
    acting = [c for c in sentence_orgs if c.region is not None and c.recogniser != "org.bare"]
    before = [c for c in acting if c.start < pos]
    if before:
        return before[-1].region
    after = acting
    if after:
        return after[0].region
    for c in reversed(ctx.acting):
        if c.region is not None and c.type == "UnionBody":
            return c.region
    return None


# --- organisations -------------------------------------------------------------------


class _Spans:
    """Occupied character ranges of one sentence: overlap test and nearest end before."""

    __slots__ = ("_ends", "_occ")

    def __init__(self, length: int, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._occ = bytearray(length + 1)
        self._ends: list[int] = []
        for s, e in spans:
            self.add(s, e)

    def add(self, s: int, e: int) -> None:
        self._occ[s:e] = b"\x01" * (e - s)
        insort(self._ends, e)

    def overlaps(self, s: int, e: int) -> bool:
        return self._occ.find(1, s, e) >= 0  # (bytes are 0 or 1)

    def floor(self, s: int) -> int:
        """The largest end of a range at or before ``s`` (0 if none)."""
        i = bisect_right(self._ends, s)
        return self._ends[i - 1] if i else 0


def _select_orgs(hits: _Hits) -> list[tuple[int, int, str, Any]]:
    """Longest non-overlapping designation / national-body hits, left to right."""
    chosen: list[tuple[int, int, str, Any]] = []
    taken = _Spans(len(hits.text))
    for h in sorted(hits.orgs, key=lambda h: (-(h[1] - h[0]), h[0])):
        if taken.overlaps(h[0], h[1]):
            continue
        chosen.append(h)
        taken.add(h[0], h[1])
    chosen.sort()
    return chosen


def _org_candidates(hits: _Hits, ctx: ArticleContext) -> list[Candidate]:
    lex = org_lexicon()
    out: list[Candidate] = []
    floor = 0
    for ds, de, cls, payload in _select_orgs(hits):
        cand: Candidate | None
        if cls == "N":
            cand = _national(hits, ds, de, payload, floor)
        else:
            cand = _designated(hits, ds, de, payload, floor, ctx, out, lex.words("total_blocker"))
        if cand is None and cls == "D" and payload.mode == "ref":
            out.extend(_references(hits, ds, de, payload, ctx, out))
            continue
        if cand is None and cls == "D" and payload.mode in ("union", "region"):
            out.extend(_listed_regions(hits, ds, payload, floor, ctx))
            continue
        if cand is None:
            continue
        if cand.kind in _TITLE_KINDS and _starts_with_any(
            hits.text[cand.end :], lex.words("office_title")
        ):
            continue  # 市人大常委会副主任…: part of a person's title
        written = ctx.unplaced.get(cand.region.code) if cand.region is not None else None
        if written is not None and (cand.implicit or cand.surface.startswith(written)):
            # placed only by the guess (区法院, 宝山区工会): the region as first written
            cand = _as_written(cand, written)
        if cand.recogniser == "org.region":
            out.extend(_coordinated(hits, cand, floor, ctx))
        if cand.designation is not None and ";" in cand.designation:
            # a compound abbreviation names several bodies: 公检法司
            out.extend(replace(cand, designation=x) for x in cand.designation.split(";")[:-1])
            cand.designation = cand.designation.split(";")[-1]
        out.append(cand)
        floor = cand.end
        if cand.region is not None and not cand.implicit:
            ctx.note_region(cand.region)
    return out


# kinds of body that a person's title names without the body acting (人大常委会副主任)
_TITLE_KINDS = frozenset({"congress", "cppcc"})


def _as_written(cand: Candidate, region_text: str) -> Candidate:
    """A body placed in a guessed region, named with the region as the text wrote it."""
    d = cand.designation or ""
    name = d.replace("{region}", region_text) if "{region}" in d else region_text + d
    return replace(cand, region=None, name=name, place=cand.region)


def _references(
    hits: _Hits, ds: int, de: int, d: Designation, ctx: ArticleContext, sentence: list[Candidate]
) -> list[Candidate]:
    """该工会, 该院, 双方: the body (bodies) of the article the words point back to.

    A reference names the nearest earlier body whose name ends like the reference
    (该院 -> …检察院/…学院); 双方 names the two most recent different bodies.
    """
    earlier = [c for c in ctx.bodies + sentence if c.recogniser not in ("org.bare",)]
    seen: set[tuple[object, ...]] = set()
    found: list[Candidate] = []
    for c in reversed(earlier):
        ident = (c.type, c.region.code if c.region else None, c.designation, c.name)
        if ident in seen:
            continue
        seen.add(ident)
        ending = c.designation or c.name or c.surface
        if d.canonical != "*" and not (
            ending.endswith(d.canonical) or c.surface.endswith(d.canonical)
        ):
            continue
        found.append(c)
        if d.canonical != "*" or len(found) == 2:
            break
    if d.canonical == "*" and len(found) < 2:
        return []
    return [
        replace(
            c,
            start=ds,
            end=de,
            surface=hits.text[ds:de],
            recogniser="org.reference",
            confidence=0.7,
            implicit=True,
        )
        for c in found
    ]


def _coordinated(hits: _Hits, cand: Candidate, floor: int, ctx: ArticleContext) -> list[Candidate]:
    """Regions listed before a region body share its designation: 吴中区、相城区总工会."""
    out: list[Candidate] = []
    p = cand.start
    while p - 1 > floor and hits.text[p - 1] in "、和及与":
        parts = _chain_before(hits, p - 1, floor)
        if not parts:
            break
        region, parent_named, kept = _resolve_chain(parts, ctx)
        if region is None or cand.region is None or region.level != cand.region.level:
            break
        out.append(
            Candidate(
                cand.type,
                kept,
                p - 1,
                hits.text[kept : p - 1],
                "org.coordinated",
                0.8,
                kind=cand.kind,
                region=region,
                region_parent_named=parent_named,
                designation=cand.designation,
                level=region.level,
            )
        )
        p = kept
    out.reverse()
    return out


# the end of a list of regions before a designation: 等5省市, 等三个市, 等地
_LIST_TAIL = re.compile(
    r"等[0-9一二三四五六七八九十两]*个?(?:省区市|省市区|省市|省区|市县|县市区|省份|省|市|县|区|地)?$"
)


def _listed_regions(
    hits: _Hits, ds: int, d: Designation, floor: int, ctx: ArticleContext
) -> list[Candidate]:
    """Regions listed before 等… and a designation: one body each.

    与北京、深圳、广东等3省市工会 names the federations of unions of the three places.
    """
    text = hits.text
    m = _LIST_TAIL.search(text, max(floor, ds - 10), ds)
    if m is None:
        return []
    found: list[Candidate] = []
    p = m.start()
    while p > floor:
        parts = _chain_before(hits, p, floor)
        if not parts:
            break
        region, parent_named, kept = _resolve_chain(parts, ctx)
        if region is None:
            break
        designation = "总工会" if d.mode == "union" else d.canonical_for(region.level)
        kind = "federation" if d.mode == "union" else d.kind
        found.append(
            Candidate(
                d.type,
                kept,
                p,
                text[kept:p],
                "org.region_list",
                0.75,
                implicit=True,
                kind=kind,
                region=region,
                region_parent_named=parent_named,
                designation=designation,
                level=region.level,
            )
        )
        if kept - 1 <= floor or text[kept - 1] not in _SEPARATORS:
            break
        p = kept - 1
    if len(found) < 2:
        return []
    found.reverse()
    return found


def _national(hits: _Hits, ds: int, de: int, body: NationalBody, floor: int) -> Candidate | None:
    surface = hits.text[ds:de]
    if len(surface) <= 2 and not _boundary_before(hits, ds, floor):
        return None
    return Candidate(
        body.type,
        ds,
        de,
        surface,
        "national",
        1.0,
        kind=body.kind,
        name=body.name,
        level="national",
    )


def _prefixed(
    hits: _Hits, ds: int, de: int, d: Designation, ctx: ArticleContext
) -> Candidate | None:
    """A designation written around its region: 共青团 + region + 委 / 委员会.

    The committee word must end the name (共青团某省委宣传部 is the committee's department,
    another body).
    """
    text = hits.text
    parts = _chain_after(hits, de, len(text))
    if not parts:
        return None
    region, parent_named, _kept = _resolve_chain(parts, ctx)
    if region is None:
        return None
    p = parts[-1][0] + len(parts[-1][1])
    if text.startswith("委员会", p):
        end = p + 3
    elif text.startswith("委", p):
        end = p + 1
    else:
        return None
    if any(s <= end - 1 < e and e > end for s, e, _c, _d in hits.orgs):
        return None  # 委 starts a longer designation (委宣传部)
    return Candidate(
        d.type,
        ds,
        end,
        text[ds:end],
        "org.region",
        0.9,
        kind=d.kind,
        region=region,
        region_parent_named=parent_named,
        designation=d.canonical_for(region.level),
        level=region.level,
    )


def _designated(
    hits: _Hits,
    ds: int,
    de: int,
    d: Designation,
    floor: int,
    ctx: ArticleContext,
    sentence_orgs: list[Candidate],
    total_blockers: frozenset[str],
) -> Candidate | None:
    text = hits.text
    lex = org_lexicon()
    if d.mode == "subunit":
        parent = next((c for c in reversed(sentence_orgs) if c.end == ds), None)
        start, implicit = (parent.start, parent.implicit) if parent is not None else (ds, False)
        if parent is None and text[max(ds - 2, 0) : ds] == "工会" and ds - 2 >= floor:
            # a bare 工会 + sub-body: the union the sentence is about (区总…、工会调解委员会)
            parent = next(
                (c for c in reversed(sentence_orgs) if c.type == "UnionBody" and c.region),
                None,
            )
            start, implicit = ds - 2, True
            if parent is not None and text[start:ds] != "工会":
                parent = None
        if parent is None or parent.type != "UnionBody":
            return None
        ptext = text[start:ds]
        union_word = "总工会" if ptext.endswith("总工会") else "工会"
        return Candidate(
            "UnionBody",
            start,
            de,
            text[start:de],
            "org.subunit",
            0.85,
            implicit=implicit or parent.implicit,
            kind=d.kind,
            region=parent.region,
            region_parent_named=parent.region_parent_named,
            designation=union_word + d.canonical,
            zone=parent.zone,
            name=None if parent.region is not None else (parent.name or "") + d.canonical,
            parent=parent,
            parent_text=union_word,
        )
    if d.mode == "ref":
        return None  # references are resolved by _references once the sentence is read
    if d.mode == "prefix":
        return _prefixed(hits, ds, de, d, ctx)
    if d.mode == "level":
        # the level word is inside the designation: 团市委 is the city's youth league committee
        level_char = next(ch for ch in d.surface if ch in LEVEL_CHARS)
        parts = _chain_before(hits, ds, floor)
        region, parent_named, kept = _resolve_chain(parts, ctx) if parts else (None, False, ds)
        implicit = region is None
        if region is None:
            region = _level_region(level_char, ctx, sentence_orgs, hits, ds)
        if region is None:
            return None
        return Candidate(
            d.type,
            kept,
            de,
            text[kept:de],
            "org.level",
            0.8,
            implicit=implicit,
            kind=d.kind,
            region=region,
            region_parent_named=parent_named,
            designation=d.canonical,
            level=region.level,
        )
    if d.mode == "short":
        if de < len(text) and text[de] in total_blockers and not _starts_word(text, de):
            return None  # 总结, 总体: a word, not the 总 of 省总 (but 省总有关负责人 is)
        if de < len(text) and text[de] == "工":  # 总工会 is a longer designation
            return None
    # region chain (with an optional development-zone word) right before the designation
    zone = ""
    chain_end = ds
    if ds in hits.zones_end and d.mode in ("region", "short", "union"):
        zstart = hits.zones_end[ds]
        if zstart - 1 >= floor and zstart in hits.regions_end:
            zone = text[zstart:ds]
            chain_end = zstart
    parts = _chain_before(hits, chain_end, floor)
    if d.mode in ("region", "short"):
        region, parent_named, kept = _resolve_chain(parts, ctx) if parts else (None, False, ds)
        if region is not None:  # (an unresolved "region" is a word: 会同 in 会同公检法)
            return Candidate(
                d.type,
                kept,
                de,
                text[kept:de],
                "org.region",
                0.95 if d.mode == "region" else 0.85,
                kind=d.kind,
                region=region,
                region_parent_named=parent_named,
                designation=d.canonical_for(region.level) if not zone else d.canonical_for(None),
                zone=zone,
                level=region.level,
            )
        if (
            parts
            and d.mode == "region"
            and len(parts[-1][1]) >= 3
            and parts[-1][1][-1] in "省市区县州旗盟"
        ):
            # a full region name the context cannot place (朝阳区 of which city?): keep the
            # name as written, without a region code
            start = parts[-1][0]
            canonical = d.canonical_for(None)
            guess = Gazetteer.load().prominent(parts[-1][1])
            if guess is not None:  # context for the level words that follow (区法院)
                ctx.note_region(guess)
                ctx.unplaced[guess.code] = parts[-1][1]
            return Candidate(
                d.type,
                start,
                de,
                text[start:de],
                "org.region_unplaced",
                0.75,
                kind=d.kind,
                name=text[start:ds] + canonical,
            )
        if d.mode == "region" and d.type == "UnionBody":
            town = _township_name(hits, ds, floor)
            if town is not None:  # 余杭区仓前街道总工会, 城关镇总工会
                return Candidate(
                    d.type,
                    town,
                    de,
                    text[town:de],
                    "org.township",
                    0.85,
                    kind=d.kind,
                    name=text[town:de],
                    level="township",
                    place=_township_place(hits, town, ds, ctx),
                )
        # a level word: 市检察院, 省高院, 区人社局, 省总; 自治区总工会 (a province-level region)
        lv = ds - 3
        if (
            lv >= floor
            and text[lv:ds] == "自治区"
            and _boundary_before(hits, lv, floor)
            and (region := _level_region("自治区", ctx, sentence_orgs, hits, lv)) is not None
        ):
            return _in_region(d, text, lv, de, region, "org.level", 0.8)
        lv = ds - 1
        if lv >= floor and text[lv] in LEVEL_CHARS and _boundary_before(hits, lv, floor):
            region = _level_region(text[lv], ctx, sentence_orgs, hits, lv)
            if region is None:
                return None
            if text[lv] == "该":
                return None
            return _in_region(d, text, lv, de, region, "org.level", 0.8)
        if lv - 1 >= floor and text[lv - 1 : lv + 1] in (
            "该市",
            "该县",
            "该区",
            "该省",
            "本市",
            "本县",
            "本区",
            "本省",
        ):
            region = _level_region(text[lv], ctx, sentence_orgs, hits, lv)
            if region is None:
                return None
            return _in_region(d, text, lv - 1, de, region, "org.level", 0.75)
        if d.mode == "region" and (national := _national_organ(hits, ds, de, d, floor)) is not None:
            return national
        if d.mode == "region" and (enum := _enumerated(hits, ds, de, d, sentence_orgs)):
            return enum
        if (
            d.bare
            and d.mode == "region"
            and _boundary_before(hits, ds, floor)
            and _bare_ok(text, de)
        ):
            region = _acting_region(ctx, sentence_orgs, ds)
            if region is None:
                return None
            return _in_region(d, text, ds, de, region, "org.bare", 0.6)
        return None
    # free-text names: 工会 and the named designations
    if d.mode == "union" and sentence_orgs and sentence_orgs[-1].end == ds:
        body = sentence_orgs[-1]
        if body.type == "PartnerAgency" and not body.implicit:
            # the union of an agency or institution: 深圳海事局工会
            sentence_orgs.pop()
            return Candidate(
                "UnionBody",
                body.start,
                de,
                text[body.start : de],
                "org.body_union",
                0.85,
                kind="enterprise",
                name=text[body.start : de],
            )
    p0 = _scan_back(hits, ds, floor, hits.org_stop_ends, _MAX_NAME)
    prefix = text[p0:ds]
    if not prefix:
        return None
    if d.mode == "union" and de < len(text) and _head_follows(text, de):
        return None  # X工会驿站 is a program of the union, read by the program recogniser
    if prefix[0] in LEVEL_CHARS and _boundary_before(hits, p0, floor):
        # a level word in front: 区工会 (the district's union), 省建设投资集团工会
        region = _level_region(prefix[0], ctx, sentence_orgs, hits, p0)
        if region is None:
            return None
        if len(prefix) == 1 and d.mode == "union":
            return Candidate(
                "UnionBody",
                p0,
                de,
                text[p0:de],
                "org.level",
                0.75,
                implicit=True,
                kind="federation",
                region=region,
                designation="总工会",
                level=region.level,
            )
        rest = prefix[1:]
        if (
            len(rest) >= 2
            and rest not in lex.words("generic")
            and (
                _ends_with_any(rest, lex.words("org_suffix"))
                or _ends_with_any(rest, lex.words("industry"))
            )
        ):
            return Candidate(
                d.type,
                p0,
                de,
                text[p0:de],
                "org.level_named",
                0.7,
                implicit=True,
                kind=d.kind if d.mode != "union" else "enterprise",
                name=region.name + text[p0 + 1 : de],
            )
        return None
    lead = _chain_after(hits, p0, ds)
    lead_end = lead[-1][0] + len(lead[-1][1]) if lead else p0
    rest = text[lead_end:ds]
    generic = lex.words("generic")
    if d.mode == "union":
        if not rest.strip() or (zone and lead_end == chain_end):
            if not lead:
                return None
            region, parent_named, kept = _resolve_chain(lead, ctx)
            if region is None:
                return None
            return Candidate(
                "UnionBody",
                kept,
                de,
                text[kept:de],
                "org.region_union",
                0.8,
                kind="federation",
                region=region,
                region_parent_named=parent_named,
                designation="总工会",
                zone=zone,
                level=region.level,
            )
        if _ends_with_any(rest, generic) or rest in generic:
            return None
        suffix_ok = _ends_with_any(rest, lex.words("org_suffix"))
        industry_ok = _ends_with_any(rest, lex.words("industry"))
        if not (suffix_ok or industry_ok or prefix.startswith("中国")) or len(rest) < 2:
            return None
        return Candidate(
            "UnionBody",
            p0,
            de,
            text[p0:de],
            "org.enterprise_union" if suffix_ok else "org.industrial_union",
            0.85,
            kind="enterprise" if suffix_ok else "industrial",
            name=text[p0:de],
        )
    # named: 联合会, 协会, 大学, 学院, 联合工会 ...
    if d.mode == "institution" and (sub := _sub_body(hits, p0, ds, de, d, sentence_orgs)):
        return sub
    if not rest and lead and (len(d.surface) >= 3 or d.mode == "institution"):
        # a region and a specific designation make the name: 深圳海事局, 长春职业技术大学
        return Candidate(
            d.type, p0, de, text[p0:de], "org.named", 0.85, kind=d.kind, name=text[p0:de]
        )
    if not rest or rest in generic or _starts_with_any(rest, generic):
        return None
    if d.kind == "college" and any(w in prefix for w in lex.words("program_word")):
        return None
    national_lead = prefix.startswith(("中国", "中华", "全国"))
    if d.type == "PartnerAgency" and not (lead or national_lead):
        return None
    if len(rest) < 2:
        return None
    return Candidate(
        d.type,
        p0,
        de,
        text[p0:de],
        "org.named",
        0.85,
        kind=d.kind,
        name=text[p0:de],
    )


_SEPARATORS = "、和及与"


def _enumerated(
    hits: _Hits, ds: int, de: int, d: Designation, sentence_orgs: list[Candidate]
) -> Candidate | None:
    """A designation listed right after a body with a region shares its region.

    辽宁省人社厅、发改委、公安厅 names three bodies of 辽宁省; 区人大、政法委、法院 three of
    the district.  Only a separator stands between the two names.
    """
    if ds < 1 or hits.text[ds - 1] not in _SEPARATORS or not sentence_orgs:
        return None
    prev = sentence_orgs[-1]
    region = prev.region or prev.place
    if prev.end != ds - 1 or region is None or prev.level == "national":
        return None
    # a region inherited is no surer than the body it comes from
    conf = min(0.8, prev.confidence)
    return _in_region(d, hits.text, ds, de, region, "org.enumerated", conf)


def _national_organ(hits: _Hits, ds: int, de: int, d: Designation, floor: int) -> Candidate | None:
    """国家 + an organ designation is a national organ: 国家林业和草原局, 国家林草局."""
    start = ds - 2
    if start < floor or hits.text[start:ds] != "国家" or not _boundary_before(hits, start, floor):
        return None
    name = "国家" + d.canonical_for(None)
    return Candidate(
        d.type,
        start,
        de,
        hits.text[start:de],
        "org.national_organ",
        0.85,
        kind=d.kind,
        name=name,
        level="national",
    )


def _sub_body(
    hits: _Hits, p0: int, ds: int, de: int, d: Designation, sentence_orgs: list[Candidate]
) -> Candidate | None:
    """An institution of the body named right before it: 国家林业和草原局宣传中心."""
    if not sentence_orgs:
        return None
    parent = sentence_orgs[-1]
    if parent.end != p0 or parent.implicit:
        return None
    type_ = parent.type  # a union's office is a union body (…工会联合总会广东办事处)
    text = hits.text
    inner = text[parent.end : de]
    if parent.region is not None and parent.designation is not None:
        return Candidate(
            type_,
            parent.start,
            de,
            text[parent.start : de],
            "org.sub_body",
            0.8,
            kind=d.kind,
            region=parent.region,
            region_parent_named=parent.region_parent_named,
            designation=parent.designation + inner,
            zone=parent.zone,
            level=parent.level,
        )
    if parent.name is None:
        return None
    return Candidate(
        type_,
        parent.start,
        de,
        text[parent.start : de],
        "org.sub_body",
        0.8,
        kind=d.kind,
        name=parent.name + inner,
        level=parent.level,
    )


def _township_name(hits: _Hits, ds: int, floor: int) -> int | None:
    """Start of a township-level name before ``ds`` (…街道, …镇), or ``None``.

    The gazetteer stops at county level, so a township is read as free text that
    ends in a township word and is not a generic reference (各乡镇).
    """
    text = hits.text
    lex = org_lexicon()
    p0 = _scan_back(hits, ds, floor, hits.org_stop_ends, _MAX_NAME)
    prefix = text[p0:ds]
    lead = _chain_after(hits, p0, ds)
    lead_end = lead[-1][0] + len(lead[-1][1]) if lead else p0
    rest = text[lead_end:ds]
    if len(rest) < 2:
        rest = prefix  # 城关镇: the place name itself looks like a region's short form
    if len(rest) < 2 or len(prefix) < 3 or not _ends_with_any(rest, lex.words("township")):
        return None
    if _starts_with_any(rest, lex.words("generic")) or prefix[0] in LEVEL_CHARS:
        return None
    return p0


def _township_place(hits: _Hits, start: int, ds: int, ctx: ArticleContext) -> Region | None:
    """The county a township body lies in: the region chain its name starts with
    (某某区某某街道总工会), else the article's county when the context has one."""
    lead = _chain_after(hits, start, ds)
    if lead:
        region, _parent_named, _kept = _resolve_chain(lead, ctx)
        if region is not None:
            return region
    gaz = Gazetteer.load()
    for code in reversed(ctx.context_codes[-8:]):
        r = gaz.get(code)
        if r is not None and r.level == "county":
            return r
    return None


def _head_follows(text: str, pos: int) -> bool:
    """True when a program head word starts at ``pos`` (工会驿站, 工会服务站)."""
    return text.startswith(_strong_heads(), pos)


@cache
def _strong_heads() -> tuple[str, ...]:
    """The strong program head words, as a tuple for ``str.startswith``."""
    return tuple(program_cues().strong)


def _bare_ok(text: str, de: int) -> bool:
    """A bare generic agency word must end there (法院、 / 法院等 / 法院和), not run on."""
    if de >= len(text):
        return True
    ch = text[de]
    return not _is_word_char(ch) or ch in "等和与及的协共联合建签开在对为就同一"


@cache
def _lengths(words: frozenset[str]) -> tuple[int, ...]:
    """The distinct lengths of ``words``, longest first (for set look-ups by slice)."""
    return tuple(sorted({len(w) for w in words if w}, reverse=True))


def _ends_with_any(s: str, words: frozenset[str]) -> bool:
    """True when ``s`` ends with one of ``words``.

    >>> heads = frozenset({"驿站", "热线"})
    >>> _ends_with_any("职工服务驿站", heads), _ends_with_any("站", heads)
    (True, False)
    """
    n = len(s)
    return any(s[n - k :] in words for k in _lengths(words) if k <= n)


def _starts_with_any(s: str, words: frozenset[str]) -> bool:
    """True when ``s`` starts with one of ``words``."""
    n = len(s)
    return any(s[:k] in words for k in _lengths(words) if k <= n)


# --- programs ---------------------------------------------------------------------------


_INTRO_RE = re.compile(
    r"了?(?:\d+年度?)?(?:\d+[余多]?[家个座项名支处]|一系列|[一两几多数][批系列个套支场项家座条])?"
    r"(?:[\u4e00-\u9fff]{0,4}的)?"
)


def _introduced(hits: _Hits, p0: int) -> bool:
    """A verb ends at ``p0``, or before it with only 了 / a quantity / ``adj 的`` between."""
    if p0 in hits.verb_ends:
        return True
    text = hits.text
    for q in range(p0 - 1, max(p0 - 9, -1), -1):
        if q in hits.verb_ends and _INTRO_RE.fullmatch(text[q:p0]):
            return True
    return False


_NUMERAL_SLOGAN = re.compile(r"[一二三四五六七八九十两百千]+\w?")


_PREPOSITIONS = frozenset("在为到对向把将被让给从于以")
# a count right after a phrase: 举办培训班120期, 开展活动3000余场次, 受理项目171项
_COUNT_AFTER = re.compile(
    r"\s?(?:\d+(?:\.\d+)?[万千百]?|[一二三四五六七八九十两百千万]+)[余多]?"
    r"(?:场次|人次|期|场|次|项|轮|届)"
)
_QUANTITY_RE = re.compile(r"[一两几多数每各]+[批个座家条支项场所处套位名]+")


def _last_federation_end(hits: _Hits, p0: int, s: int) -> int:
    """End of the last 总工会 inside ``[p0, s)`` (a program name does not swallow a body)."""
    ends = [
        e
        for (b, e, cls, d) in hits.orgs
        if cls == "D" and p0 <= b and e <= s and d.surface == "总工会"
    ]
    return max(ends, default=p0)


def _strip_droppable(tail: str) -> str:
    """``tail`` without trailing generic heads and carriers (工匠学院模式 -> 工匠学院)."""
    cues = program_cues()
    words = sorted(cues.generic | cues.carriers, key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for w in words:
            if tail.endswith(w) and len(tail) > len(w):
                tail = tail[: -len(w)]
                changed = True
                break
    return tail


@cache
def _heads_longest_first(with_carriers: bool) -> tuple[str, ...]:
    """Generic program heads (and carriers), longest first, sorted once."""
    cues = program_cues()
    words = cues.generic | cues.carriers if with_carriers else cues.generic
    return tuple(sorted(words, key=len, reverse=True))


def _made_of(tail: str, words: tuple[str, ...]) -> bool:
    """True when ``tail`` is a sequence of ``words`` (longest match first)."""
    while tail:
        w = next((w for w in words if tail.startswith(w)), None)
        if w is None:
            return False
        tail = tail[len(w) :]
    return True


def _only_generic_heads(tail: str) -> bool:
    """True when ``tail`` is only generic heads (活动, 机制), no carrier (平台)."""
    return _made_of(tail, _heads_longest_first(False))


def _only_droppable(tail: str) -> bool:
    """True when ``tail`` is only generic heads and carriers (制度, 微信小程序)."""
    return _made_of(tail, _heads_longest_first(True))


def _slogan(inner: str) -> bool:
    """Quoted words that are a slogan or an abbreviation, not a program name.

    >>> _slogan("十四五"), _slogan("比、学、赶、超"), _slogan("一函两书"), _slogan("订单式")
    (True, True, False, True)
    >>> _slogan("点对点"), _slogan("心连心"), _slogan("一图清")
    (True, True, False)
    """
    return (
        inner.startswith(("如何", "怎样", "怎么", "为什么", "什么", "为何"))
        or ("的" in inner and len(inner) > 10)  # a sentence, not a name
        or len(inner) <= 2
        or (len(inner) <= 3 and inner[-1] in "化式型性")  # 专班化, 订单式: a manner
        or bool(re.search("[不未没]", inner))  # 已领取未核销: a state, not a name
        or bool(_NUMERAL_SLOGAN.fullmatch(inner))
        or (len(inner) == 3 and inner[0] == inner[2])  # 一对一, 面对面: a manner
        or inner.endswith("+")
        or inner.count("、") >= 1
        or inner.count(",") >= 1
    )


def _enumeration(inner: str) -> bool:
    """A list of one- or two-character words (比、学、赶、超): a slogan.

    >>> _enumeration("比、学、追、赶、超"), _enumeration("春风送暖,温情帮扶")
    (True, False)
    """
    items = re.split(r"[、,]", inner)
    return len(items) >= 3 and sum(map(len, items)) / len(items) <= 2.5


_CHAIN_SPLIT = re.compile(r"[—\-+→]+")


def _chain(inner: str) -> bool:
    """Three or more word steps joined by dashes or plus signs (发现—移交—处置): a
    process or a list of parts, a program name only with a specific head after it.

    >>> _chain("受理—调解—回访"), _chain("技能+服务+保障"), _chain("5+1+N"), _chain("工会+N")
    (True, True, False, False)
    """
    parts = _CHAIN_SPLIT.split(inner)
    return len(parts) >= 3 and all(p and any(map(_is_han, p)) for p in parts)


def _drop_modifiers(tail: str) -> str:
    """``tail`` without leading 的 and generic modifiers (的多元共治模式 -> 共治模式).

    >>> _drop_modifiers("的常态化服务机制")
    '服务机制'
    """
    words = sorted(program_cues().generic_modifiers, key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        tail = tail.lstrip("的")
        for w in words:
            if tail.startswith(w):
                tail = tail[len(w) :]
                changed = True
                break
    return tail


_PAREN = re.compile(r"\([^()]{1,8}\)")
_QUOTE_RUN = re.compile(r"(?:[、和及与]?“[^“”]{1,40}”)+")
_COORDINATED = re.compile(r"[\u4e00-\u9fff]{2,8}[与和及][\u4e00-\u9fff]{2,8}")
_QUOTES_BEFORE = re.compile(r"(?:“[^“”]{1,40}”[、和与及]?)+$")


def _verb_before(text: str, qs: int, verbs: frozenset[str]) -> bool:
    """One of ``verbs`` right before the quote, possibly with 了, or before a run of
    quotes that this one continues (强调“A”“B”).

    >>> outcome = program_cues().outcome_verbs
    >>> _verb_before("形成了“X”", 3, outcome), _verb_before("开展“X”", 2, outcome)
    (True, False)
    >>> _verb_before("强调“甲乙”“丙丁”", 6, program_cues().speech_verbs)
    True
    """
    run = _QUOTES_BEFORE.search(text, max(0, qs - 90), qs)
    if run is not None:
        qs = run.start()
    before = text[max(0, qs - 4) : qs]
    before = before[:-1] if before.endswith("了") else before
    return _ends_with_any(before, verbs)


def _verb_before_quote(hits: _Hits, qs: int) -> bool:
    """A program verb right before the quote (开展“X”, 开展了“X”), or before an
    enumeration that the quote ends (依托A和“B”, 开展“A”“B”)."""
    text = hits.text
    if qs in hits.program_verb_ends:
        return True
    if qs >= 1 and text[qs - 1] == "了" and (qs - 1) in hits.program_verb_ends:
        return True
    if qs >= 1 and text[qs - 1] in "和、及与”等":
        p = qs - 1
        while p > 0 and qs - p <= 16:
            if p in hits.verb_ends:
                return True
            ch = text[p - 1]
            if not (_is_word_char(ch) or ch in "、“”和及与"):
                return False
            p -= 1
    return False


def _runs_on(hits: _Hits, e: int) -> bool:
    """The head word ending at ``e`` runs on into a longer noun (服务格局, 活动经费), so it
    does not end the phrase; a verb, a particle or punctuation after it ends it."""
    text = hits.text
    return (
        e < len(text)
        and _is_han(text[e])
        and text[e] not in "的等和与及中"
        and e not in hits.verb_starts
        and e not in hits.program_verb_starts
        and (e + 1) not in hits.program_stop_ends
        and (e + 2) not in hits.program_stop_ends
        and not text.startswith("建设", e)
    )


def _program_candidates(hits: _Hits, taken: list[tuple[int, int]]) -> list[Candidate]:
    text = hits.text
    if not hits.heads and "等" not in text and not _QUOTE_CHARS.search(text):
        return []  # no quote, no head word, no listing: no program can be named here
    cues = program_cues()
    heads_at: dict[int, list[tuple[int, str]]] = {}
    for s, e, w in hits.heads:
        heads_at.setdefault(s, []).append((e, w))
    for lst in heads_at.values():
        if len(lst) > 1:
            lst.sort(reverse=True)
    out: list[Candidate] = []
    quoted_spans: list[tuple[int, int]] = []
    taken_spans = _Spans(len(text), taken)
    for m in _QUOTE_RE.finditer(text):
        qs, qe = m.span()
        inner = m[1] or m[2] or m[3]  # (the one group that matched: 2+ characters)
        quoted_spans.append((qs, qe))
        # “ABC”关爱品牌, “5+1+N”化解机制: letters, digits and + need a head word after them
        latin = inner.isascii() and inner.replace("+", "").isalnum() and len(inner) >= 2
        if _BAD_IN_QUOTE.search(inner) or inner.count(",") > 1:
            continue
        if not (latin or any(map(_is_han, inner))):
            continue
        # a cue after: a head word at the closing quote, after 等, or after a short modifier
        head_end = None
        adjacent = False
        p = qe
        run = _QUOTE_RUN.match(text, p)  # “A”“B”等服务: the cue after 等 is every quote's
        if run is not None and text.startswith("等", run.end()):
            p = run.end()
        listed = p < len(text) and text[p] == "等"
        if listed:
            p += 1
        paren = _PAREN.match(text, p)  # “ABC”(爱彼此)关爱品牌
        if paren:
            p = paren.end()
        q = p
        while q < len(text) and q - p <= 12:
            if (
                q in heads_at
                and not (
                    heads_at[q][0][0] - q == 1 and q > qe and _common_word(text[q - 1 : q + 1])
                )
                and not _common_word(text[q : heads_at[q][0][0] + 1])
            ):
                # (a head inside a common word is none: 行 of 言行, 工作 of 工作者)
                head_end = heads_at[q][0][0]
                while head_end in heads_at:  # 工作+平台, 服务+品牌
                    head_end = heads_at[head_end][0][0]
                adjacent = q == qe
                if _runs_on(hits, head_end) and _verb_before(text, qs, cues.outcome_verbs):
                    head_end, adjacent = None, False  # 形成“X”服务格局: 格局 is the head
                break
            if not _is_word_char(text[q]) or text[q] in "和与及" or (text[q] == "的" and q != p):
                break
            if q + 1 in hits.program_stop_ends and text[q] != "的":
                break  # a verb in between: 预防+赋能”构建…机制 is not one name
            q += 1
        verb_before = _verb_before_quote(hits, qs)
        modifier_start = qs
        if head_end is not None and adjacent:
            qfloor = taken_spans.floor(qs)
            ms = _scan_back(hits, qs, qfloor, hits.org_stop_ends, 8)
            ms = max([i + 1 for i in range(ms, qs) if text[i] in _PREPOSITIONS] + [ms])
            if (
                qs - ms >= 2
                and all(_is_word_char(c) for c in text[ms:qs])
                and not _starts_with_any(text[ms:qs], program_cues().generic_modifiers)
            ):
                modifier_start = ms
                verb_before = verb_before or ms in hits.program_verb_ends
        named_head = len(inner) >= 6 and _ends_with_any(inner, program_cues().heads)
        if (_slogan(inner) and not adjacent and not named_head) or _enumeration(inner):
            continue  # (a long quote ending in a head word is a name: “…,…——…帮扶项目”)
        if len(inner) <= 2 and not latin:
            continue  # “注满”驿站: two characters are a word, not a name
        if latin and head_end is None:
            continue
        if head_end is None and (
            _verb_before(text, qs, cues.outcome_verbs)
            or _verb_before(text, qs, cues.speech_verbs)
            or _ends_with_any(inner, cues.metaphors)
            or _ends_with_any(inner, cues.documents)
            or (_COORDINATED.fullmatch(inner) and not _ends_with_any(inner, cues.heads))
        ):
            # 形成“X”合力, 强调“X”, 打造“温暖港湾”, 发放“X征集表”, 实施“A考核与B考核”:
            # a result, a quotation, a metaphor, a form or two things, not a name
            continue
        if inner in cues.generic_modifiers:
            continue  # “全天候”服务: a manner, not a name
        if _chain(inner) and (
            head_end is None or _only_droppable(_drop_modifiers(text[qe:head_end]))
        ):
            continue  # “发现—移交—处置”工作机制: a process; “A+B+C”一体化服务模式 is a name
        inner_head = _ends_with_any(inner, program_cues().strong)  # “青年技能培训班”
        # a long quoted name that ends in a specific head word (…家庭帮扶项目) needs no verb
        named = named_head and "、" not in inner and _ends_with_any(inner, _specific_heads())
        # a means or a handout (通过“X”, 发放“X”) names a program only with support
        by_weak_verb = _verb_before(text, qs, cues.weak_verbs)
        # an event of the name (“X”正式建成, “X”启用仪式) or an edition (第二个“X”, 首届“X”)
        event = _takes_place(text, qe) or _ORDINAL_BEFORE.search(text, max(0, qs - 6), qs)
        weak = (
            head_end is None
            and (not (verb_before or event) or by_weak_verb)
            and not inner_head
            and not named
        )
        name = inner.strip()
        end = qe
        if head_end is not None and not listed:
            # “X”一站式服务, “X”的一体化新模式, AI智能“X”平台: the cue phrase is part of it
            tail = re.sub(r"\([^()]*\)", "", text[qe:head_end])
            tail = tail[1:] if tail.startswith("的") else tail
            full_tail = tail
            tail = _strip_droppable(tail)  # …工匠学院模式 -> …工匠学院
            if not tail or _only_generic_heads(tail):
                modifier_start = qs  # 行业“X”活动: the quoted words are the name
            if modifier_start < qs:
                pass  # AI智能“X”平台: modifier, name and head together
            elif len(tail) >= 5 and not _only_droppable(tail):
                tail = full_tail  # “小三级”工会建设三年行动: the quote only qualifies a longer name
            elif _only_droppable(tail) or not _ends_with_any(tail, program_cues().strong):
                tail = ""  # “X”制度, “X”协作机制: the quoted words are the name
            name = text[modifier_start:qs] + inner + tail
            end = head_end
        if "+" in inner and not any(map(_is_han, name)):
            continue  # “3+2”专班模式: a formula alone is no name (“3+2”调解机制 is one)
        start = modifier_start
        out.append(
            Candidate(
                "Program",
                start,
                end,
                text[start:end],
                "program.quoted",
                0.5 if weak else 0.85 if head_end is not None else 0.7,
                name=name,
                kind="quoted",
                weak=weak,
            )
        )
    out.extend(_brand_list(hits, taken_spans, quoted_spans, out))
    if not hits.heads:
        return out  # no head word: no unquoted name
    # unquoted: a noun phrase that ends in a program head word
    name_verbs = org_lexicon().words("name_verb")
    org_ends = {e for _s, e in taken}
    blocked = _Spans(len(text), taken + quoted_spans + [(c.start, c.end) for c in out])
    for s, e, w in sorted(hits.heads, key=lambda h: (h[0], -(h[1] - h[0]))):
        if w in cues.carriers and w not in cues.heads:
            continue
        if blocked.overlaps(s, e):
            continue
        floor = blocked.floor(s)
        digits = s
        while digits > floor and text[digits - 1].isdigit():
            digits -= 1
        if s - digits >= 4 and w in cues.strong | cues.carriers:
            # a service number: 12351热线, 12345平台
            out.append(
                Candidate(
                    "Program", digits, e, text[digits:e], "program.code", 0.8, name=text[digits:e]
                )
            )
            blocked.add(digits, e)
            continue
        if e in heads_at:  # another head follows (服务+平台): the later one ends the name
            continue
        # (the cheaper of the two run-on tests first: both only skip the head)
        if (
            e < len(text)
            and _is_han(text[e])
            and text[e] not in "的等和与及暨"
            and e not in hits.verb_starts
            and (e + 1) not in hits.program_stop_ends
            and not text.startswith("建设", e)
        ):
            continue  # the head runs on into a longer word (中心城区, 行动起来)
        if any(
            q in heads_at and all(_is_han(c) for c in text[e:q]) for q in range(e + 1, e + 4)
        ) and not any(q in hits.program_stop_ends for q in range(e + 1, e + 4)):
            continue  # 联盟共建行动: the name runs on to a later head
        if _COUNT_AFTER.match(text, e):
            continue  # 开展监督活动300场次, 开设培训班16期: a kind of event counted, not a name
        floor = blocked.floor(s)
        if w in cues.unquoted_excluded:
            blocked.add(s, e)  # …体制机制: no shorter head inside it either
            continue
        p0 = _scan_back(hits, s, floor, hits.program_stop_ends, _MAX_PROGRAM)
        cut = max(
            (
                i + 1
                for i in range(p0, s)
                if (text[i] in _PREPOSITIONS and not _common_word(text[i : i + 2]))
                or text[i] in "—-"
            ),
            default=p0,
        )
        p0 = max(p0, cut, _last_federation_end(hits, p0, s))
        quantity = _QUANTITY_RE.match(text, p0)
        if quantity:
            p0 = quantity.end()  # 一座座工会驿站, 一批驿站
        modifier = text[p0:s]
        if modifier.isdigit() and len(modifier) >= 4 and w in cues.heads:
            # a service number: 12351热线, 12345平台
            out.append(
                Candidate("Program", p0, e, text[p0:e], "program.code", 0.8, name=text[p0:e])
            )
            blocked.add(p0, e)
            continue
        if len(modifier) < 2 or not any(map(_is_han, modifier)) or s - p0 >= _MAX_PROGRAM:
            continue
        while modifier[:1] in ("与", "和", "及"):
            p0 += 1  # …转化与应用活动: a name does not start with a conjunction
            modifier = text[p0:s]
        if modifier.startswith("创新") and len(modifier) >= 4 and (p0 + 2) not in heads_at:
            p0 += 2  # 创新法律援助模式: 创新 is the verb
            modifier = text[p0:s]
        elif p0 in org_ends and len(modifier) >= 6:
            # 与法院共建劳动争议调解工作室: right after a body, a name verb is the clause's verb
            verb = next((v for v in name_verbs if len(v) == 2 and modifier.startswith(v)), None)
            if verb is not None and (p0 + 2) not in heads_at:
                p0 += 2
                modifier = text[p0:s]
        p0 = _word_start(text, p0, s, name_verbs)
        modifier = text[p0:s]
        if len(modifier) < 2:
            continue
        company = max((i + 2 for i in range(p0, s - 1) if text[i : i + 2] == "公司"), default=p0)
        if company > p0 and s - company >= 2:
            p0 = company  # …有限公司某某煤矿创新工作室: the company is not in it
            modifier = text[p0:s]
        lead = _chain_after(hits, p0, s)
        unqualified = text[lead[-1][0] + len(lead[-1][1]) : s] if lead else modifier
        listed = p0 >= 1 and text[p0 - 1] in "与和及、" and any(c.end == p0 - 1 for c in out)
        if (len(w) == 1 and not (listed and w in cues.strong)) or (
            len(modifier) < 3 and (w not in cues.strong or w in cues.carriers)
        ):
            continue  # 文体活动, 精准服务, 合作平台: a generic phrase, not a name
        if "相关" in modifier or "有关" in modifier:
            continue  # 企业相关便民服务平台: a description
        if _starts_with_any(unqualified, cues.generic_modifiers):
            continue  # 常态化联动机制, 全天候服务: a description
        if any(p in modifier for p in cues.places):
            continue  # 花城社区工会驿站: one site
        # the phrase must be introduced: a verb (开展, 建立了严格的) or a body (X总工会…驿站),
        # or open a clause with a facility head and a long modifier (…,全国X行业创新工作室联盟成立)
        lead_digits = len(modifier) - len(modifier.lstrip("0123456789"))  # 24小时驿站
        clause_start = (p0 == 0 or text[p0 - 1] in ",，;；:：、") and not any(
            e in hits.program_stop_ends or (text[e - 1].isdigit() and e > p0 + lead_digits)
            for e in range(p0 + 1, s)
        )
        # …or follow another program in a list (推出“小喇叭”与荣誉墙), or open a clause as
        # an event that takes place (…大赛在长沙开幕, …专项行动启动)
        counted = (  # 121家工会驿站: a counted kind of facility is a network of them
            w in cues.strong and p0 >= 2 and text[p0 - 1] in _CLASSIFIERS and text[p0 - 2].isdigit()
        )
        if not (
            (p0 == floor and p0 in org_ends)
            or counted
            or _introduced(hits, p0)
            or (clause_start and w in cues.strong and len(modifier) >= 4)
            or listed
            or (clause_start and len(modifier) >= 4 and _takes_place(text, e))
        ):
            continue
        lex = org_lexicon()
        if modifier in lex.words("generic") or modifier in lex.words("verb"):
            continue
        out.append(
            Candidate(
                "Program",
                p0,
                e,
                text[p0:e],
                "program.head",
                0.55,
                name=text[p0:e],
                kind="head",
                lead_region=text[p0 : lead[-1][0] + len(lead[-1][1])] if lead else "",
            )
        )
        blocked.add(p0, e)
    return out


# part-of-speech tags (jieba's dictionary) of the words that can open a verb phrase:
# verbs, adverbs, adjectives, prepositions, conjunctions, pronouns, particles
_VERBAL = frozenset({"v", "vd", "zg", "d", "ad", "a", "p", "c", "r", "u", "ul", "uj", "m"})


@cache
def _pos_tags() -> dict[str, str]:
    """jieba's dictionary words with their part-of-speech tag (loaded once)."""
    import jieba.posseg

    _word_freq()  # the dictionary itself, initialised once
    tags: dict[str, str] = jieba.posseg.dt.word_tag_tab
    return tags


def _word_start(text: str, p0: int, s: int, name_verbs: frozenset[str]) -> int:
    """Where an unquoted program name read back to ``p0`` really starts.

    The words of the modifier ``text[p0:s]`` (jieba's dictionary, no HMM) decide:
    a name never starts inside a word (性职工… is 普及性职工…), and a leading run of
    verbs and their adverbs is the clause's verb phrase, not part of the name
    (要准确把握X学院 -> X学院, 做响X品牌 -> X品牌), while one verb alone may open a name
    (提升…三年行动).  Verbs that make names (送, 关爱) are kept.
    """
    import jieba

    tags = _pos_tags()
    inside_word = p0 > 0 and _is_han(text[p0 - 1])
    if not inside_word and not any(
        tags.get(text[p0 : p0 + k]) in _VERBAL for k in range(1, min(4, s - p0) + 1)
    ):
        return p0  # no word can straddle p0 and none opening the modifier is verbal
    left = max(0, p0 - 4)
    words = jieba.lcut(text[left:s], HMM=False)
    pos = left
    k = 0  # the first word that starts at or after p0
    while k < len(words) and pos < p0:
        w = words[k]
        if pos + len(w) > p0 and tags.get(w) not in _VERBAL and _is_han(w[0]):
            p0 = pos  # the modifier starts inside this word: take the whole word
            break
        pos += len(w)
        k += 1
    run: list[str | None] = []
    end = pos
    for w in words[k:]:
        tag = tags.get(w)
        if w in name_verbs or tag not in _VERBAL:
            break
        run.append(tag)
        end += len(w)
    # one verb alone may open a name (提升…行动, 模拟监督培训); a run of two or more words
    # with a verb, not led by an adjective or numeral (新就业形态…), is a verb phrase
    if len(run) >= 2 and run[0] not in ("a", "m") and any(t in ("v", "vd", "zg") for t in run):
        return end
    return p0


# an edition before a name: 第二个“X”, 第三届“X”, 首届“X”
_ORDINAL_BEFORE = re.compile(r"(?:第[0-9一二三四五六七八九十百]+[个届次期]|首[届个次期])$")
_PLACE_END = frozenset(",，。;；:：、“”\n")
_PLACE_REACH = 16  # how far a place phrase (在贵阳, 于市工人文化宫) may run


def _takes_place(text: str, e: int) -> bool:
    """Whether an event verb (启动, 开幕…) follows the name ending at ``e``, directly or
    after a place phrase with 在/于 (…大赛在贵阳开幕)."""
    verbs = program_cues().event_verbs
    lengths = _lengths(verbs)

    def verb_at(at: int) -> bool:
        return any(text[at : at + k] in verbs for k in lengths)

    if verb_at(e):
        return True
    if not text.startswith(("在", "于"), e):
        return False
    for at in range(e + 2, min(len(text), e + _PLACE_REACH)):
        if text[at - 1] in _PLACE_END:
            return False
        if verb_at(at):
            return True
    return False


_LIST_ITEM = re.compile(r"[\u4e00-\u9fff]{2,8}")


@cache
def _brand_after() -> re.Pattern[str]:
    """After 等: a short qualifier (a quoted word allowed) and a list head word (品牌)."""
    words = "|".join(map(re.escape, sorted(program_cues().list_heads, key=len, reverse=True)))
    return re.compile(rf"[\u4e00-\u9fff“”]{{0,8}}?(?:{words})" if words else r"(?!)")


def _brand_list(
    hits: _Hits, taken: _Spans, quoted: list[tuple[int, int]], found: list[Candidate]
) -> list[Candidate]:
    """Programs listed before 等 and a brand word: 叫响送温暖、金秋助学等“X”字服务品牌.

    Each listed item (two to eight characters, after a verb or between 、) is a
    program; the brand word says what kind of thing the list holds.
    """
    text = hits.text
    out: list[Candidate] = []
    spans = [(c.start, c.end) for c in found] + quoted
    k = -1
    while (k := text.find("等", k + 1)) >= 0:
        if not _brand_after().match(text, k + 1):
            continue
        items: list[tuple[int, int]] = []
        end = k
        while True:
            start = end
            while start > 0 and _is_han(text[start - 1]) and end - start < 8:
                start -= 1
                if start in hits.program_stop_ends or start in hits.verb_ends:
                    break
            if not _LIST_ITEM.fullmatch(text[start:end]):
                break
            items.append((start, end))
            if start >= 1 and text[start - 1] == "、":
                end = start - 1
                continue
            break
        if len(items) < 2:
            continue
        for s, e in reversed(items):
            if taken.overlaps(s, e) or any(a < e and s < b for a, b in spans):
                continue
            out.append(
                Candidate(
                    "Program", s, e, text[s:e], "program.list", 0.6, name=text[s:e], kind="head"
                )
            )
    return out


# --- worker groups ------------------------------------------------------------------------


_UNIT_CHARS = frozenset("部院厂司所站队校局馆社组")


def _person_title(text: str, s: int, e: int) -> bool:
    """A group word used as one person's title: 快递员王某某, 试制部高级技师, 学院教师.

    >>> _person_title("快递员王某某专程致谢", 0, 3), _person_title("为快递员送清凉", 1, 4)
    (True, False)
    """
    if "某" in text[e + 1 : e + 3]:  # an anonymised person: 快递员王某某
        return True
    return s > 0 and text[s - 1] in _UNIT_CHARS


def _speech_spans(text: str) -> list[tuple[int, int]]:
    """Quoted speech: a quotation with a clause break inside (“…,一定要爱惜每一位矿工…”)."""
    return [
        m.span()
        for m in re.finditer(r"“[^“”]{6,}”", text)
        if re.search(r"[,。!?;，！？；]", m.group())
    ]


def _honoured(text: str, s: int) -> bool:
    """The group word names honourees: 评选全国劳动模范, 选拔出19名优秀青年职工."""
    before = text[max(0, s - 10) : s]
    before = re.split(r"[,。;、!?:]", before)[-1]
    return any(v in before for v in org_lexicon().words("honour_verb"))


_ACTOR_GAP = re.compile(r"(?:们|人才|代表|先进|志愿者)?(?:[、和与及][\u4e00-\u9fff]{2,6})*")


def _acting(text: str, s: int, e: int) -> bool:
    """The group word names people acting for others: 劳模工匠深入一线, 由专家、劳模组成,
    发挥劳模的示范作用.

    >>> _acting("组织劳模工匠们深入企业", 2, 6), _acting("为劳模工匠送清凉", 1, 5)
    (True, False)
    """
    lex = org_lexicon()
    gap = _ACTOR_GAP.match(text, e)
    after = gap.end() if gap else e
    if _starts_with_any(text[after : after + 4], lex.words("actor_verb")):
        return True
    if _starts_with_any(text[e : e + 4], lex.words("actor_verb")):
        return True
    lead = re.split(r"[,。;!?:]", text[max(0, s - 12) : s])[-1]
    verbs = lex.words("actor_lead")
    if "由" in verbs and "由" in lead and re.match(r"[^,。;]{0,12}?(?:构成|组成)", text[e:]):
        return True
    return any(lead.endswith(v) for v in verbs - {"由"}) and "的" in text[e : e + 2]


def _group_candidates(hits: _Hits, taken: list[tuple[int, int]]) -> list[Candidate]:
    out: list[Candidate] = []
    if not hits.groups:
        return out
    occupied = _Spans(len(hits.text), list(taken) + _speech_spans(hits.text))
    blockers = org_lexicon().words("group_blocker")
    for s, e, name in sorted(hits.groups, key=lambda h: (-(h[1] - h[0]), h[0])):
        if occupied.overlaps(s, e):
            continue
        occupied.add(s, e)
        if any(hits.text[e : e + k] in blockers for k in _lengths(blockers)):
            continue  # 劳模精神, 劳模工匠代表: part of another name, not the group
        if _person_title(hits.text, s, e) or _honoured(hits.text, s) or _acting(hits.text, s, e):
            continue
        m = _group_modifier(hits.text, s, occupied)
        if m < s:  # a narrower group, named as written: 相对困难职工
            occupied.add(m, s)
            text = hits.text[m:e]
            out.append(
                Candidate("WorkerGroup", m, e, text, "worker_group.modified", 0.8, name=text)
            )
            continue
        out.append(Candidate("WorkerGroup", s, e, hits.text[s:e], "worker_group", 0.9, name=name))
    out.sort(key=lambda c: c.start)
    return out


def _group_modifier(text: str, s: int, occupied: _Spans) -> int:
    """Where a modifier of the group label at ``s`` starts (``s`` when there is none)."""
    mods = org_lexicon().words("group_modifier")
    for k in _lengths(mods):
        m = s - k
        if m >= 0 and text[m:s] in mods and not occupied.overlaps(m, s):
            return m
    return s


# --- entry point ---------------------------------------------------------------------------


def seed_context(ctx: ArticleContext, text: str) -> None:
    """Note the places named in ``text`` (a dateline, a headline) as article context.

    >>> ctx = ArticleContext()
    >>> seed_context(ctx, "本报南宁5月20日电")
    >>> ctx.context_codes
    ['450100']
    """
    if text:
        _note_sentence_regions(_scan(text), ctx)


# a place followed by a union designation: the article's own union (杭州市总工会, 宜宾市工会)
_HOME_UNION = re.compile(r"([\u4e00-\u9fff]{1,9}?[省市州县区盟旗])(?:总工会|工会)")


def seed_home_region(ctx: ArticleContext, sentences: Iterable[str]) -> None:
    """Note the place of the first union named with its place anywhere in the article,
    as the oldest context: level words read before that name (市总工会…, 市司法局 in
    an article that names 杭州市 only later) then have their region; every place the
    article names on the way comes later and wins.

    >>> ctx = ArticleContext()
    >>> seed_home_region(ctx, ["市总工会举办活动。", "杭州市工会职工法律援助实施办法出台。"])
    >>> ctx.context_codes
    ['330100']
    """
    gaz = Gazetteer.load()
    for text in sentences:
        for m in _HOME_UNION.finditer(text):
            surface = m.group(1)
            for k in range(len(surface) - 1):  # the longest region surface ending there
                r = gaz.resolve(surface[k:])
                if r is not None and not r.needs_context(surface[k:]):
                    if r.code not in ctx.context_codes:
                        ctx.context_codes.insert(0, r.code)
                    return


def _note_sentence_regions(hits: _Hits, ctx: ArticleContext) -> None:
    """Remember the places a sentence names (本报南宁5月20日电 -> 南宁市) as article context."""
    gaz = Gazetteer.load()
    for end in sorted(hits.regions_end):
        _start, surface, _cands = hits.regions_end[end][0]
        r = gaz.resolve(surface, ctx.context_codes[-8:])
        known = r is None or r.needs_context(surface) or r.code in ctx.context_codes
        if not known and r is not None:
            ctx.context_codes.insert(0, r.code)  # weaker than the bodies' regions


def recognise_sentence(text: str, ctx: ArticleContext) -> list[Candidate]:
    """Every candidate mention in one normalised sentence, sorted by offset.

    ``ctx`` carries the article's regions and acting bodies between sentences and
    is updated.

    >>> ctx = ArticleContext()
    >>> found = recognise_sentence("广东省深圳市南山区总工会与区人社局携手", ctx)
    >>> [(c.type, c.surface) for c in found]
    [('UnionBody', '广东省深圳市南山区总工会'), ('PartnerAgency', '区人社局')]
    """
    hits = _scan(text)
    orgs = _org_candidates(hits, ctx)
    taken = [(c.start, c.end) for c in orgs]
    programs = _program_candidates(hits, taken)
    taken += [(c.start, c.end) for c in programs]
    # a group named inside an unquoted program name is still served by it (…劳动者维权服务三年
    # 行动); inside a quoted brand name it is only part of the name (“悦动长寿农民竞技赛”)
    quoted = [(c.start, c.end) for c in programs if c.recogniser == "program.quoted"]
    groups = _group_candidates(hits, [(c.start, c.end) for c in orgs] + quoted)
    _note_sentence_regions(hits, ctx)
    for c in orgs:
        if c.region is not None and c.recogniser != "org.bare":
            ctx.acting.append(c)
        if c.recogniser not in ("org.bare", "org.reference"):
            ctx.bodies.append(c)
    cands = orgs + programs + groups
    cands.sort(key=lambda c: (c.start, c.end))
    return cands
