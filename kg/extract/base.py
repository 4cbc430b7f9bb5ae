"""The one contract every relation extractor follows.

An extractor is a small component, like a spaCy pipeline component: it is given
one :class:`AnalyzedArticle` (an article with its sentences and the entity
mentions already recognised and resolved) and yields :class:`~kg.model.Triple`
objects, each with its :class:`~kg.model.Evidence`, or :class:`~kg.model.Fact`
objects (figures: money, people, counts, each with its own evidence offsets).
It never reads files and never touches RDF.  Extractors are registered by name in
:mod:`kg.extract.registry`.

An article longer than :data:`MAX_ARTICLE_SENTENCES` sentences (a page whose
line breaks were lost reads as one article of thousands) is given to the
extractors in windows of that many sentences (:func:`article_windows`): what is
carried between sentences (a subject, an antecedent) does not cross a window's
edge, and the clause analysis of only one window is held at a time, so memory
and the collector's work stay those of an ordinary page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
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


#: The most sentences the relation extractors read as one article (real articles
#: hold far fewer: the longest of the seeds and development articles has well under 200).
MAX_ARTICLE_SENTENCES = 1000


def article_windows(article: Article) -> list[Article]:
    """``article`` itself, or past :data:`MAX_ARTICLE_SENTENCES` sentences, copies of
    it holding consecutive windows of that many sentences (same index and offsets).

    >>> from kg.model import Article
    >>> art = Article("d.txt", 0, 0, 0, "")
    >>> article_windows(art) == [art]
    True
    """
    sents = article.sentences
    if len(sents) <= MAX_ARTICLE_SENTENCES:
        return [article]
    step = MAX_ARTICLE_SENTENCES
    return [replace(article, sentences=sents[i : i + step]) for i in range(0, len(sents), step)]


@runtime_checkable
class Extractor(Protocol):
    """Take an article, yield triples (or facts) with evidence."""

    name: str

    def __call__(self, article: AnalyzedArticle) -> Iterator[Triple | Fact]: ...
