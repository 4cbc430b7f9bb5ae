"""The ``passage`` extractor: a worker group named with no serve cue (``serves``).

GUIDELINES: *serves* links a program to the groups named in its passage, and a
body to a group it serves with no named program.  The ``serves`` extractor reads
the cue patterns (为 G…, 将 G 作为…对象); this one reads the passage when no cue
says it: a group named in a sentence is served by

* the program of the same sentence (the nearest one before the group, else the
  first after it), else
* the program of the previous sentence of the same paragraph.

A group that a serve cue links in its sentence is left to the ``serves``
extractor; a group inside a program's name too.  Lower confidence than a cue
(:data:`CONFIDENCE`).  Linking the acting body when no program is near was
measured and left out: it added as many wrong links as right ones.
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.extract.base import AnalyzedArticle
from kg.extract.relations._context import GROUP, PROGRAM, SentenceContext, Span, analyse
from kg.extract.relations._findings import Finding, to_triples
from kg.extract.relations.serves import serves_findings
from kg.model import Triple

PREDICATE = "serves"
#: Confidence of a link read from the passage alone (no serve cue).
CONFIDENCE = 0.5


class PassageExtractor:
    """Yield ``serves`` triples read from the passage of a worker group."""

    name = "passage"

    def __call__(self, article: AnalyzedArticle) -> Iterator[Triple]:
        found: list[Finding] = []
        # a group that a cue already links in its sentence is not read again
        cued = {(f.o.key, f.ctx.sentence.index) for f in serves_findings(article)}
        previous: list[Span] = []  # the programs of the sentence before, same paragraph
        for ctx in analyse(article).sentences:
            if ctx.new_paragraph:
                previous = []
            programs = ctx.of_type(PROGRAM)
            for g in ctx.of_type(GROUP):
                if (g.key, ctx.sentence.index) in cued:
                    continue
                found.extend(_serving(ctx, g, programs, previous))
            previous = programs or previous
        yield from to_triples(article, found, self.name)


def _serving(
    ctx: SentenceContext, g: Span, programs: list[Span], previous: list[Span]
) -> list[Finding]:
    if any(p.start <= g.start and g.end <= p.end for p in programs):
        return []  # the group is part of the program's name: the serves extractor reads it
    if programs:
        before = [p for p in programs if p.end <= g.start]
        program = before[-1] if before else programs[0]
        return [Finding(program, PREDICATE, g, ctx, CONFIDENCE)]
    if previous:
        return [Finding(previous[-1], PREDICATE, g, ctx, CONFIDENCE * 0.9)]
    return []
