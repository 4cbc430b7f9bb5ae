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
    Fact,
    Mention,
    Relation,
    Triple,
)

__all__ = ["extract_document", "merge_facts", "merge_triples", "recognise_document"]


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


#: A figure at least this large, repeated with the same unit, is the same figure.
SAME_FIGURE_MIN = 100
_QUOTES = "“”\"'‘’「」『』《》"


def _same_thing(a: Fact, b: Fact) -> bool:
    """Whether two equal figures count the same thing (see :func:`merge_facts`)."""
    if a.value >= SAME_FIGURE_MIN:
        return True
    named = ("frame", "program")  # subjects read in the figure's own clause
    if a.subject != b.subject and a.origin in named and b.origin in named:
        return False  # two bodies each named with the figure: two things
    wa, wb = a.what.strip(_QUOTES), b.what.strip(_QUOTES)
    if not wa or not wb:
        return True
    return wa[:2] in wb or wb[:2] in wa


def merge_facts(facts: Sequence[Fact]) -> list[Fact]:
    """Facts in text order, a figure repeated for the same thing kept once.

    The same thing: the same kind, value and unit, and either a value of at
    least :data:`SAME_FIGURE_MIN` or a ``what`` whose head (its first two
    characters) the other's holds, unless each names its own different subject
    in its clause -- small numbers recur for different things.  Of the repeats,
    the most confident stands at the first one's place.
    """
    out: list[Fact] = []
    by_figure: dict[tuple[object, ...], list[int]] = {}
    for f in sorted(facts, key=lambda f: (f.article, f.sentence, f.start, f.end, f.kind)):
        places = by_figure.setdefault((f.kind, f.value, f.unit), [])
        at = next((i for i in places if _same_thing(out[i], f)), None)
        if at is None:
            places.append(len(out))
            out.append(f)
        elif f.confidence > out[at].confidence:
            out[at] = f
    return out


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
    from kg.extract.relations._lexicon import forget_texts

    names = registry.names() if extractors is None else list(extractors)
    runners = [registry.get(n) for n in names]  # unknown names fail before any work
    forget_texts()  # (the cue hits remembered are this document's own)
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
                if isinstance(t, Fact):  # figures are not relations: no triple checks
                    if t.subject not in result.entities:
                        t.subject = None
                    if t.group not in result.entities:
                        t.group = None
                    result.facts.append(t)
                    continue
                if t.p not in PREDICATES:
                    raise UsageError(
                        f"extractor {runner.name!r} yielded unknown predicate {t.p!r}",
                        hint=f"predicates are {', '.join(PREDICATES)}",
                    )
                if t.s in result.entities and t.o in result.entities and t.s != t.o:
                    triples.append(t)
    result.relations = merge_triples(triples)
    result.facts = merge_facts(result.facts)
    if calibrated:
        from kg.extract.calibration import calibrate

        result = calibrate(result)
    return result
