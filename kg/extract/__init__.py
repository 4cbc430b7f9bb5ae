"""Extraction: recognise mentions, resolve entities, run the relation extractors.

>>> from kg.model import Article, Document, Sentence, TextView
>>> text = "四川省总工会与四川省高级人民法院联合开展“法律服务进企业”活动。"
>>> doc = Document("d.txt", "d.txt", text)
>>> sent = Sentence(0, 0, len(text), TextView.from_pieces([(text, 0)]))
>>> art = Article("d.txt", 0, 0, len(text), "", sentences=[sent])
>>> result = extract_document(doc, [art], extractors=[])
>>> sorted(result.entities)
['PartnerAgency:四川省高级人民法院', 'Program:法律服务进企业', 'UnionBody:四川省总工会']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from kg.errors import UsageError
from kg.extract.base import AnalyzedArticle
from kg.extract.mentions import (
    ArticleContext,
    recognise_sentence,
    seed_context,
    seed_home_region,
)
from kg.extract.resolve import Located, resolve_document
from kg.model import (
    PREDICATES,
    SYMMETRIC_PREDICATES,
    Article,
    DocResult,
    Document,
    Entity,
    Evidence,
    Mention,
    Relation,
    Triple,
)

__all__ = ["extract_document", "merge_triples", "recognise_document"]


def recognise_document(
    doc: Document, articles: list[Article]
) -> tuple[dict[str, Entity], list[Mention]]:
    """Recognise and resolve the entities of a document (no relations).

    Returns ``(entities by key, mentions sorted by offset)``.
    """
    located: list[Located] = []
    for art in articles:
        ctx = ArticleContext()
        seed_context(ctx, art.dateline or "")
        seed_home_region(ctx, (sent.view.text for sent in art.sentences))
        for sent in art.sentences:
            text = sent.view.text
            if not text:
                continue
            for cand in recognise_sentence(text, ctx):
                located.append(Located(cand, art, sent))
    entities, mentions = resolve_document(doc, located)
    return entities, mentions


def merge_triples(triples: Sequence[Triple]) -> list[Relation]:
    """Merge triples into relations: one per (s, p, o), symmetric predicates unordered.

    Evidence read twice from the same place is kept once.  Relations come out in
    order of their first evidence.
    """
    merged: dict[tuple[str, str, str], Relation] = {}
    seen: set[tuple[object, ...]] = set()
    for t in triples:
        s, o = t.s, t.o
        ev = t.evidence
        if t.p in SYMMETRIC_PREDICATES and o < s:
            # keep the evidence's subject/object offsets with the ends they point at
            s, o = o, s
            ev = replace(ev, s_start=ev.o_start, s_end=ev.o_end, o_start=ev.s_start, o_end=ev.s_end)
        key = (s, t.p, o)
        rel = merged.get(key)
        if rel is None:
            rel = merged[key] = Relation(s, t.p, o)
        ev_key = (key, ev.article, ev.sentence, ev.s_start, ev.o_start, ev.extractor)
        if ev_key in seen:
            continue
        seen.add(ev_key)
        rel.evidence.append(ev)

    def order(rel: Relation) -> tuple[object, ...]:
        first = min(rel.evidence, key=_ev_pos)
        return (*_ev_pos(first), rel.s, rel.p, rel.o)

    return sorted(merged.values(), key=order)


def _ev_pos(ev: Evidence) -> tuple[int, int, int, int]:
    return (ev.article, ev.sentence, min(ev.s_start, ev.o_start), max(ev.s_start, ev.o_start))


def extract_document(
    doc: Document,
    articles: list[Article],
    *,
    extractors: Sequence[str] | None = None,
    calibrated: bool = True,
) -> DocResult:
    """Recognise, resolve and relate everything in one document.

    Parameters
    ----------
    doc : Document
        The document (its ``text`` is what mention offsets index).
    articles : list of Article
        Its articles, with sentences, as :func:`kg.text.split_articles` gives them.
    extractors : sequence of str, optional
        Names of registered relation extractors to run (default: all, in
        registration order); ``[]`` runs none.
    calibrated : bool, optional
        Replace the recognisers' and extractors' confidences by their measured
        precision (:mod:`kg.extract.calibration`); ``False`` keeps the raw ones
        (what ``scripts/calibrate.py`` measures).

    Raises
    ------
    UsageError
        An extractor name is not registered.
    """
    from kg.extract import registry
    from kg.extract.base import article_windows

    names = registry.names() if extractors is None else list(extractors)
    runners = [registry.get(n) for n in names]  # unknown names fail before any work
    entities, mentions = recognise_document(doc, articles)
    result = DocResult(doc, articles, entities, mentions)
    triples: list[Triple] = []
    by_article: dict[int, dict[int, list[Mention]]] = {}
    for m in mentions:
        by_article.setdefault(m.article, {}).setdefault(m.sentence, []).append(m)
    # a very long article is read in windows (kg.extract.base.MAX_ARTICLE_SENTENCES)
    for art in [window for a in articles for window in article_windows(a)]:
        analyzed = AnalyzedArticle(doc, art, result.entities, by_article.get(art.index, {}))
        for runner in runners:
            for t in runner(analyzed):
                if t.p not in PREDICATES:
                    raise UsageError(
                        f"extractor {runner.name!r} yielded unknown predicate {t.p!r}",
                        hint=f"predicates are {', '.join(PREDICATES)}",
                    )
                if t.s in result.entities and t.o in result.entities and t.s != t.o:
                    triples.append(t)
    result.relations = merge_triples(triples)
    if calibrated:
        from kg.extract.calibration import calibrate

        result = calibrate(result)
    return result
