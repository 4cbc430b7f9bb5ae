"""The automaton and a sentence's hits.

One Aho-Corasick automaton, built once from the lexicons of ``ontology/`` (see
:mod:`kg.lexicon.orgs`, :mod:`kg.lexicon.programs`, :mod:`kg.lexicon.worker_groups`
and the gazetteer :mod:`kg.lexicon.regions`), finds every region surface,
designation, national body, worker-group label, cue word and boundary word of a
sentence in one pass (:func:`_scan` -> :class:`_Hits`).  Also here: the
character, word and stop-word tests the recognisers read those hits with.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from kg.lexicon.orgs import org_lexicon
from kg.lexicon.programs import program_cues
from kg.lexicon.regions import Gazetteer, Region
from kg.lexicon.worker_groups import worker_groups
from kg.text.words import VERBAL_TAGS as VERBAL_TAGS
from kg.text.words import word_table

_NAME_SYMBOLS = frozenset("+·—-/&()（）")


_CLASSIFIERS = frozenset("家名个项场次份件起万亿余多批类人位支条处座所年月日届期")


def _is_word_char(ch: str) -> bool:
    """A character that can be part of a name (Han, ASCII letter or digit)."""
    # (_is_han written out: this runs for nearly every character read)
    return (
        "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or (ch.isascii() and ch.isalnum())
    )


# what a surface names, by kind: (regions, orgs, groups, heads)
_Kinds = tuple[tuple[Region, ...], tuple[tuple[str, Any], ...], tuple[Any, ...], tuple[Any, ...]]


# (length, stop/verb flags, is a zone word, kinds or None for a stop or verb word only)
_Entry = tuple[int, int, bool, _Kinds | None]


@dataclass(frozen=True, slots=True)
class _Scanner:
    automaton: Any  # ahocorasick_rs.AhoCorasick over ``surfaces``
    surfaces: tuple[str, ...]  # by pattern index
    entries: tuple[_Entry, ...]  # the value of each surface, same index
    org_singles: frozenset[str]  # one-character stop words
    program_singles: frozenset[str]

    def matches(self, text: str) -> list[tuple[int, int, int]]:
        """Every occurrence of every surface in ``text`` as ``(index, start, end)``, in
        order of end, then of start (longest first): the order of a classic
        Aho-Corasick scan, which the hits' lists keep."""
        found: list[tuple[int, int, int]] = self.automaton.find_matches_as_indexes(
            text, overlapping=True
        )
        if len(found) > 1:
            found.sort(key=_end_then_start)
        return found


def _end_then_start(match: tuple[int, int, int]) -> tuple[int, int]:
    return (match[2], match[1])


@cache
def scanner() -> _Scanner:
    """Build (once) the automaton over every lexicon surface.

    ``ahocorasick_rs`` (the Rust aho-corasick crate) scans a sentence about four
    times as fast as pyahocorasick, whose linear search among the root's thousands
    of children (one per first character of a surface) dominated the scan.
    """
    import ahocorasick_rs

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
    surfaces = tuple(sorted(table))
    automaton = ahocorasick_rs.AhoCorasick(
        list(surfaces), implementation=ahocorasick_rs.Implementation.ContiguousNFA
    )
    return _Scanner(
        automaton,
        surfaces,
        tuple(_entry(surface, table[surface]) for surface in surfaces),
        frozenset(w for w in org_stops if len(w) == 1),
        frozenset(w for w in program_stops if len(w) == 1),
    )


# flags of a surface's payload: stop words, verbs (set membership only)
_OS, _PS, _VB, _PV = 1, 2, 4, 8


_FLAG_OF = {"OS": _OS, "PS": _PS, "VB": _VB, "PV": _PV}


def _entry(surface: str, payload: list[tuple[str, Any]]) -> _Entry:
    """The automaton value of one surface, sorted by class once so that the scan does
    not compare class names per hit: ``(length, flags, zone, kinds)``, where ``kinds``
    is ``(regions, orgs, groups, heads)`` or None for a stop or verb word only (most
    hits)."""
    regions: list[Region] = []
    orgs: list[tuple[str, Any]] = []
    groups: list[Any] = []
    heads: list[Any] = []
    flags = 0
    zone = False
    for c, d in payload:  # one pass: this runs for each of ~8k surfaces at start-up
        if c == "R":
            regions.append(d)
        elif c == "D" or c == "N":
            orgs.append((c, d))
        elif c == "W":
            groups.append(d)
        elif c == "H":
            heads.append(d)
        elif c == "Z":
            zone = True
        else:
            flags |= _FLAG_OF.get(c, 0)
    kinds = (
        (tuple(regions), tuple(orgs), tuple(groups), tuple(heads))
        if regions or orgs or groups or heads
        else None
    )
    return (len(surface), flags, zone, kinds)


def _common_word(word: str) -> bool:
    """True when jieba's dictionary knows ``word`` as a common word (言行, 进行).

    >>> _common_word("言行"), _common_word("企行")
    (True, False)
    """
    return word_table().freq_of(word) >= 10


_PARTICLES = frozenset("了的着过地得们")


_NAME_STARTS = ("中国", "中华", "全国")


def _glued(text: str, i: int) -> bool:
    """True when the one-character function word at ``i`` is part of a word (就业, 数据).

    >>> _glued("促进就业", 2), _glued("与法院", 0)
    (True, False)
    """
    freq = word_table().freq_of
    if freq(text[i : i + 2]) >= 3:
        return True
    # an aspect or structural particle (开通了, 他的) closes the word before it: never glued
    return i > 0 and text[i] not in _PARTICLES and freq(text[i - 1 : i + 1]) >= 3


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
    freq = word_table().freq_of
    return freq(text[i : i + 2]) > 10 * max(freq(text[i - 1 : i + 1]), 1)


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
    entries = sc.entries
    for index, start, end in sc.matches(text):
        length, flags, zone, kinds = entries[index]
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
        if zone and (end not in zones_end or start < zones_end[end]):
            zones_end[end] = start
        if kinds is None:
            continue
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


def _pos_tags() -> dict[str, str]:
    """The words of jieba's dictionary whose part-of-speech tag is one of
    :data:`VERBAL_TAGS`, with that tag (:mod:`kg.text.words`; other words are left
    out: a look-up that finds nothing is a noun or a name)."""
    if not _QUIET[0]:
        _quiet_jieba()
    return word_table().tags


_QUIET = [False]


def _quiet_jieba() -> None:
    """Keep jieba quiet if a caller has imported it (it logs its dictionary loading to
    stderr at DEBUG level): extraction itself no longer loads jieba (:func:`segment`)."""
    import sys

    jieba = sys.modules.get("jieba")
    if jieba is not None:
        import logging

        jieba.setLogLevel(logging.WARNING)
        _QUIET[0] = True


def segment(text: str) -> list[str]:
    """The words of ``text`` by jieba's dictionary without HMM: exactly
    ``jieba.lcut(text, HMM=False)``, without loading jieba (:mod:`kg.text.words`).

    >>> segment("要准确把握")
    ['要', '准确', '把握']
    """
    return word_table().segment(text)
