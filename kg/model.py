"""The data that flows between the pipeline's stages.

Stages only ever pass these objects forward (text -> extraction -> RDF -> views);
a later stage never calls back into an earlier one.

Offsets
-------
Every ``start``/``end`` pair in this module is a half-open character range into
:attr:`Document.text`, the *original* decoded text of the source file (or of the
JSON Lines record's ``text`` field).  Matching happens on a normalised
:class:`TextView` (traditional -> simplified, full-width -> half-width, column
breaks removed); :meth:`TextView.to_original` maps view ranges back.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

ENTITY_TYPES: tuple[str, ...] = ("UnionBody", "PartnerAgency", "Program", "WorkerGroup")
PREDICATES: tuple[str, ...] = ("cooperatesWith", "runs", "participatesIn", "serves")
SYMMETRIC_PREDICATES: frozenset[str] = frozenset({"cooperatesWith"})


@dataclass(frozen=True, slots=True)
class Document:
    """One input document: a file, or one record of a ``.jsonl`` export.

    ``doc_id`` is what ``extraction.jsonl`` calls ``doc``: the file's name for a
    page file, ``<file name>#<record id>`` for a JSON Lines record.
    """

    doc_id: str
    path: str
    text: str
    encoding: str = "utf-8"
    title: str | None = None
    date: str | None = None
    url: str | None = None

    def __reduce__(
        self,
    ) -> tuple[type[Document], tuple[str, str, str, str, str | None, str | None, str | None]]:
        # pickled by its fields: pickle's default sets attributes one by one, which a
        # frozen class refuses once compiled (mypyc), and workers receive documents
        return (
            Document,
            (self.doc_id, self.path, self.text, self.encoding, self.title, self.date, self.url),
        )


class TextView:
    """A normalised view of original text with an exact map back to it.

    The view is made of *segments*: ``(view_start, orig_start, length)`` runs in
    which view and original advance together, character for character.  Text
    that was dropped (a column break, a hyphen of a broken line) simply has no
    segment, so every view character maps to exactly one original character.

    >>> v = TextView.from_pieces([("累计深入", 10), ("1.7万", 16)])
    >>> v.text
    '累计深入1.7万'
    >>> v.to_original(2, 7)
    (12, 19)
    """

    __slots__ = ("_orig", "_seg_starts", "_segments", "text")

    def __init__(self, text: str, segments: list[tuple[int, int, int]]) -> None:
        self.text = text
        self._segments = segments
        self._seg_starts = [s[0] for s in segments]
        self._orig = None

    @classmethod
    def from_pieces(cls, pieces: Iterable[tuple[str, int]]) -> TextView:
        """Build a view from ``(normalised_text, original_start)`` pieces.

        Each piece must have the same length in the view as in the original.
        """
        parts: list[str] = []
        segments: list[tuple[int, int, int]] = []
        pos = 0
        for text, orig_start in pieces:
            if not text:
                continue
            parts.append(text)
            segments.append((pos, orig_start, len(text)))
            pos += len(text)
        return cls("".join(parts), segments)

    def orig_index(self, i: int) -> int:
        """The original offset of view character ``i`` (``0 <= i < len(text)``)."""
        k = bisect_right(self._seg_starts, i) - 1
        vstart, ostart, length = self._segments[k]
        if not 0 <= i - vstart < length:
            raise IndexError(f"view index {i} outside the view")
        return ostart + (i - vstart)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the half-open view range ``[start, end)`` to an original range."""
        if end <= start:
            o = self.orig_index(start) if start < len(self.text) else self.end
            return o, o
        return self.orig_index(start), self.orig_index(end - 1) + 1

    @property
    def start(self) -> int:
        return self._segments[0][1] if self._segments else 0

    @property
    def end(self) -> int:
        if not self._segments:
            return 0
        _, ostart, length = self._segments[-1]
        return ostart + length

    def __len__(self) -> int:
        return len(self.text)

    def __reduce__(self) -> tuple[type[TextView], tuple[str, list[tuple[int, int, int]]]]:
        # pickled by its constructor's arguments: the compiled (mypyc) class has no
        # __dict__ for pickle's default to fill
        return (TextView, (self.text, self._segments))

    def __repr__(self) -> str:
        return f"TextView({self.text[:20]!r}..., {self.start}-{self.end})"


@dataclass(slots=True)
class Sentence:
    """A sentence: original range plus its normalised view."""

    index: int  # position within its article
    start: int
    end: int
    view: TextView

    @property
    def text(self) -> str:
        """The normalised text that extractors match on."""
        return self.view.text


@dataclass(slots=True)
class Article:
    """One article of a page (a page file may hold many)."""

    doc_id: str
    index: int  # 0-based position in the document
    start: int
    end: int
    title: str  # normalised headline ("" when the page gives none)
    title_span: tuple[int, int] | None = None
    subtitles: list[str] = field(default_factory=list)
    byline: list[str] = field(default_factory=list)  # reporter/correspondent names
    dateline: str | None = None  # e.g. "本报长沙5月20日电"
    date: str | None = None
    kind: str = "news"  # news | caption | continuation | commentary
    sentences: list[Sentence] = field(default_factory=list)
    captions: list[tuple[int, int]] = field(default_factory=list)

    @property
    def article_id(self) -> str:
        return f"{self.doc_id}#a{self.index}"


@dataclass(slots=True)
class Entity:
    """A resolved entity of one of :data:`ENTITY_TYPES` (or a Region)."""

    type: str
    name: str  # canonical name (GUIDELINES "Canonical names")
    aliases: set[str] = field(default_factory=set)
    implicit: bool = False
    kind: str | None = None  # ontology subclass key, e.g. "court", "provincial"
    level: str | None = None  # national|provincial|prefectural|county|township
    region_code: str | None = None  # 6-digit administrative code of its region
    region_name: str | None = None

    @property
    def key(self) -> str:
        return f"{self.type}:{self.name}"


@dataclass(slots=True)
class Mention:
    """An occurrence of an entity in the original text."""

    entity: str  # Entity.key
    start: int
    end: int
    text: str  # exactly Document.text[start:end]
    article: int
    sentence: int
    implicit: bool = False
    confidence: float = 1.0
    recogniser: str = ""


@dataclass(slots=True)
class Evidence:
    """Where a relation was read: sentence, offsets of both ends and the trigger."""

    doc_id: str
    article: int
    sentence: int
    sentence_start: int
    sentence_end: int
    text: str  # normalised sentence text
    s_start: int
    s_end: int
    o_start: int
    o_end: int
    extractor: str
    confidence: float
    trigger: str | None = None
    trigger_start: int | None = None
    trigger_end: int | None = None


@dataclass(slots=True)
class Triple:
    """What an extractor yields: one relation read from one place."""

    s: str  # Entity.key
    p: str
    o: str  # Entity.key
    evidence: Evidence


@dataclass(slots=True)
class Fact:
    """A figure read from one place: money, people or a count (``FACTS.md``).

    ``value`` is exact (an ``int`` when whole, else a :class:`~decimal.Decimal`);
    ``subject`` and ``group`` are entity keys (or ``None``); ``start``/``end`` are
    the figure's original offsets, ``evidence_start``/``evidence_end`` its clause's.
    """

    kind: str  # money | people | count
    value: int | Decimal
    unit: str
    approx: bool
    what: str
    subject: str | None
    group: str | None
    article: int
    sentence: int
    start: int
    end: int
    evidence_start: int
    evidence_end: int
    text: str  # normalised clause text
    extractor: str
    confidence: float
    origin: str = ""  # how the subject was found: frame | program | carried | none


@dataclass(slots=True)
class Relation:
    """A relation of a document with all the evidence that supports it."""

    s: str
    p: str
    o: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def confidence(self) -> float:
        return max((e.confidence for e in self.evidence), default=0.0)


@dataclass(slots=True)
class DocResult:
    """Everything extraction found in one document."""

    doc: Document
    articles: list[Article]
    entities: dict[str, Entity] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    def iter_sentences(self) -> Iterator[tuple[Article, Sentence]]:
        for art in self.articles:
            for sent in art.sentences:
                yield art, sent
