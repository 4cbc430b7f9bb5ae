"""The ``participation`` extractor: organisation -> Program led by another body."""

from __future__ import annotations

from collections.abc import Iterator

from kg.extract.base import AnalyzedArticle
from kg.extract.relations._findings import to_triples
from kg.extract.relations.programs import program_findings
from kg.model import Triple


class ParticipationExtractor:
    """Yield ``participatesIn`` triples (patterns in :mod:`kg.extract.relations.programs`).

    A body that both runs and takes part in the same program in one sentence is
    kept as a runner only.
    """

    name = "participation"

    def __call__(self, article: AnalyzedArticle) -> Iterator[Triple]:
        found = program_findings(article)
        running = {(f.s.key, f.o.key, f.ctx.sentence.index) for f in found if f.p == "runs"}
        part = [
            f
            for f in found
            if f.p == "participatesIn" and (f.s.key, f.o.key, f.ctx.sentence.index) not in running
        ]
        yield from to_triples(article, part, self.name)
