"""What recognition produces and carries: :class:`Candidate` and :class:`ArticleContext`.

A :class:`Candidate` is a recognised mention before resolution, with offsets in
the sentence's normalised view; an :class:`ArticleContext` holds the regions and
acting bodies an article has established so far; :class:`_Spans` the character
ranges of a sentence that candidates already occupy.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.lexicon.regions import Region


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
