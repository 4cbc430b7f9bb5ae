"""The one contract every relation extractor follows.

An extractor is a small component, like a spaCy pipeline component: it is given
one :class:`AnalyzedArticle` (an article with its sentences and the entity
mentions already recognised and resolved) and yields :class:`~kg.model.Triple`
objects, each with its :class:`~kg.model.Evidence`, or :class:`~kg.model.Fact`
objects (figures: money, people, counts, each with its own evidence offsets).
It never reads files and never touches RDF.  Extractors are registered by name in
:mod:`kg.extract.registry`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from kg.model import Article, Document, Entity, Fact, Mention, Triple


@dataclass(slots=True)
class AnalyzedArticle:
    """An article after mention recognition and entity resolution."""

    doc: Document
    article: Article
    entities: dict[str, Entity]
    # mentions grouped by sentence index, each list sorted by start offset
    mentions: dict[int, list[Mention]] = field(default_factory=dict)

    def sentence_mentions(self, index: int) -> list[Mention]:
        return self.mentions.get(index, [])


@runtime_checkable
class Extractor(Protocol):
    """Take an article, yield triples (or facts) with evidence."""

    name: str

    def __call__(self, article: AnalyzedArticle) -> Iterator[Triple | Fact]: ...
