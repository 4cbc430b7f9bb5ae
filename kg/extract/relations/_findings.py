"""What the pattern readers return before it becomes a :class:`~kg.model.Triple`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kg.extract.base import AnalyzedArticle
from kg.extract.relations._context import SentenceContext, Span, evidence
from kg.extract.relations._lexicon import Hit
from kg.model import SYMMETRIC_PREDICATES, Triple


@dataclass(slots=True)
class Finding:
    """One relation read from one sentence."""

    s: Span
    p: str
    o: Span
    ctx: SentenceContext
    confidence: float
    trigger: Hit | None = None
    o_range: tuple[int, int] | None = None  # original range when the object is inside a name


def to_triples(
    aa: AnalyzedArticle, findings: Iterable[Finding], extractor: str
) -> Iterator[Triple]:
    """Triples of ``findings``: one per (s, p, o, sentence), the most confident kept.

    Self-relations are dropped; a symmetric predicate is kept once per pair.
    """
    best: dict[tuple[str, str, str, int], Finding] = {}
    for f in findings:
        if f.s.key == f.o.key:
            continue
        s, o = f.s.key, f.o.key
        if f.p in SYMMETRIC_PREDICATES and o < s:
            s, o = o, s
        k = (s, f.p, o, f.ctx.sentence.index)
        if k not in best or f.confidence > best[k].confidence:
            best[k] = f
    for f in best.values():
        ev = evidence(aa, f.ctx, f.s, f.o, extractor, f.confidence, f.trigger, o_range=f.o_range)
        yield Triple(f.s.key, f.p, f.o.key, ev)
