"""Mention recognition: find organisations, programs and worker groups in sentences.

Recognition is rule-based and driven by the lexicons of ``ontology/`` (see
:mod:`kg.lexicon.orgs`, :mod:`kg.lexicon.programs`, :mod:`kg.lexicon.worker_groups`
and the gazetteer :mod:`kg.lexicon.regions`).  One Aho-Corasick automaton, built
once, finds every region surface, designation, national body, worker-group
label, cue word and boundary word of a sentence in one pass; the grammar
then assembles names from those hits.  One module per job, each depending only
on the ones before it:

* :mod:`~kg.extract.mentions.scan` – the automaton, a sentence's hits and the
  word and stop-word tests the grammar reads them with;
* :mod:`~kg.extract.mentions.context` – :class:`Candidate` and the
  :class:`ArticleContext` carried between sentences;
* :mod:`~kg.extract.mentions.regions` – region chains and the regions an article
  establishes;
* :mod:`~kg.extract.mentions.orgs` – organisations;
* :mod:`~kg.extract.mentions.programs` – programs;
* :mod:`~kg.extract.mentions.groups` – worker groups;
* this package – :func:`recognise_sentence`, which composes them.

The recognisers return :class:`Candidate` objects with offsets in the
sentence's normalised view; :mod:`kg.extract.resolve` turns them into entities
and mentions with original offsets.
"""

from __future__ import annotations

from kg.extract.mentions.context import ArticleContext, Candidate
from kg.extract.mentions.groups import _group_candidates
from kg.extract.mentions.orgs import _org_candidates
from kg.extract.mentions.programs import _program_candidates
from kg.extract.mentions.regions import _note_sentence_regions, seed_context, seed_home_region
from kg.extract.mentions.scan import _scan, scanner

__all__ = [
    "ArticleContext",
    "Candidate",
    "recognise_sentence",
    "scanner",
    "seed_context",
    "seed_home_region",
]


def recognise_sentence(text: str, ctx: ArticleContext) -> list[Candidate]:
    """Every candidate mention in one normalised sentence, sorted by offset.

    ``ctx`` carries the article's regions and acting bodies between sentences and
    is updated.

    >>> ctx = ArticleContext()
    >>> found = recognise_sentence("广东省深圳市南山区总工会与区人社局携手", ctx)
    >>> [(c.type, c.surface) for c in found]
    [('UnionBody', '广东省深圳市南山区总工会'), ('PartnerAgency', '区人社局')]
    """
    hits = _scan(text)
    orgs = _org_candidates(hits, ctx)
    taken = [(c.start, c.end) for c in orgs]
    programs = _program_candidates(hits, taken)
    taken += [(c.start, c.end) for c in programs]
    # a group named inside an unquoted program name is still served by it (…劳动者维权服务三年
    # 行动); inside a quoted brand name it is only part of the name (“悦动长寿农民竞技赛”)
    quoted = [(c.start, c.end) for c in programs if c.recogniser == "program.quoted"]
    groups = _group_candidates(hits, [(c.start, c.end) for c in orgs] + quoted)
    _note_sentence_regions(hits, ctx)
    for c in orgs:
        if c.region is not None and c.recogniser != "org.bare":
            ctx.acting.append(c)
        if c.recogniser not in ("org.bare", "org.reference"):
            ctx.bodies.append(c)
    cands = orgs + programs + groups
    cands.sort(key=lambda c: (c.start, c.end))
    return cands
