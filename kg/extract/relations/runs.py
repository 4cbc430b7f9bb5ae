"""The ``runs`` extractor: organisation -> Program it organises, launches or operates."""

from __future__ import annotations

from collections.abc import Iterator

from kg.extract.base import AnalyzedArticle
from kg.extract.relations._findings import to_triples
from kg.extract.relations.programs import program_findings
from kg.model import Triple


class RunsExtractor:
    """Yield ``runs`` triples (see :mod:`kg.extract.relations.programs` for the patterns)."""

    name = "runs"

    def __call__(self, article: AnalyzedArticle) -> Iterator[Triple]:
        found = [f for f in program_findings(article) if f.p == "runs"]
        yield from to_triples(article, found, self.name)
