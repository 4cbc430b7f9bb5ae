"""Shared clause analysis of the relation extractors.

Every relation extractor needs the same reading of an article: which mentions a
sentence holds (in view offsets), how it splits into clauses, and who *acts* at
each point of a clause -- the subject organisation(s), the bodies joined to
them (联合 B、C), the agents of a host phrase (由 A 主办), or, where Chinese
drops the subject, the acting organisation carried over from the sentences
before.  :func:`analyse` computes that once per article and caches the result
for the other extractors that run on the same article.

The analysis is split by job: :mod:`~kg.extract.relations._spans` places the
mentions in their sentence, :mod:`~kg.extract.relations._sentence` is the clause
analysis of one sentence (clauses, masked text, cue hits, lists: the reusable
piece), :mod:`~kg.extract.relations._frames` reads who acts in a clause,
:mod:`~kg.extract.relations._anaphora` resolves anaphors and short forms, and this
module strings the sentences of an article together (carried actors) and builds
the evidence.  The names of those modules are re-exported here.

All positions in this module are offsets into a sentence's normalised text
(``Sentence.text``); :func:`evidence` maps them back to original offsets.

Limits
------
The work stays proportional to the input, whatever its shape:

* a sentence, and so a clause, holds at most
  :data:`kg.text.sentences.MAX_SENTENCE_CHARS` characters (longer stretches are
  cut there when the text is split), so everything read within one sentence is
  bounded;
* within a sentence, clauses, frames and cue hits are looked up by position
  (bisection), not by scanning;
* across an article, an anaphor (该平台, 中心, a short form) looks for its
  antecedent among the latest :data:`ANTECEDENT_WINDOW` names before it, and a
  short form among the next :data:`ANTECEDENT_WINDOW` programs after it; a
  subject is carried at most :data:`MAX_CARRY_SENTENCES` sentences.  An article
  of ten thousand sentences (a page whose line breaks were lost) is then read
  like many articles.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from kg.extract.base import AnalyzedArticle
from kg.extract.relations._anaphora import (
    ANAPHOR_FACTOR,
    ANTECEDENT_WINDOW,
    GENERIC_EVENT_HEADS,
    SHORT_FORM_MAX,
    _event_start,
    _name_tails,
    abbreviates,
    head_ends,
    reference_span,
)
from kg.extract.relations._frames import Frame, _clause_frame, _last
from kg.extract.relations._lexicon import Hit
from kg.extract.relations._sentence import (
    CLAUSE_BREAK,
    MASK,
    QUOTES,
    Clause,
    SentenceContext,
    chain,
    cue_hits,
    masked,
    org_list,
    partner_list,
    skip_adverbials,
    split_clauses,
)
from kg.extract.relations._spans import (
    GROUP,
    ORG_TYPES,
    PROGRAM,
    Span,
    _all_view_spans,
    view_spans,
)
from kg.model import Evidence

__all__ = [
    "ANAPHOR_FACTOR",
    "ANTECEDENT_WINDOW",
    "CARRY_DECAY",
    "CARRY_FLOOR",
    "CARRY_NEW_PARAGRAPH",
    "CARRY_SAME_PARAGRAPH",
    "CLAUSE_BREAK",
    "GENERIC_EVENT_HEADS",
    "GROUP",
    "MASK",
    "MAX_CARRY_PARAGRAPHS",
    "MAX_CARRY_SENTENCES",
    "ORG_TYPES",
    "PROGRAM",
    "QUOTES",
    "SHORT_FORM_MAX",
    "ArticleContext",
    "Clause",
    "Frame",
    "SentenceContext",
    "Span",
    "_event_start",
    "abbreviates",
    "analyse",
    "chain",
    "cue_hits",
    "evidence",
    "head_ends",
    "masked",
    "org_list",
    "partner_list",
    "reference_span",
    "skip_adverbials",
    "split_clauses",
    "view_spans",
]


@dataclass(slots=True)
class ArticleContext:
    """The analysis of one article: sentence contexts in order."""

    article: AnalyzedArticle
    sentences: list[SentenceContext]


def analyse(aa: AnalyzedArticle) -> ArticleContext:
    """The clause analysis of ``aa`` (computed once, shared by the extractors)."""
    global _CACHE
    if _CACHE is not None and _CACHE[0] is aa:
        return _CACHE[1]
    result = _analyse(aa)
    _CACHE = (aa, result)
    return result


_CACHE: tuple[AnalyzedArticle, ArticleContext] | None = None
#: Confidence factors of a subject carried from an earlier sentence.
CARRY_SAME_PARAGRAPH = 0.7
CARRY_NEW_PARAGRAPH = 0.55
CARRY_DECAY = 0.9
CARRY_FLOOR = 0.35
#: How far a subject is carried: sentences, and paragraph breaks crossed.
MAX_CARRY_SENTENCES = 8
MAX_CARRY_PARAGRAPHS = 3


def _analyse(aa: AnalyzedArticle) -> ArticleContext:
    doc_text = aa.doc.text
    sentences: list[SentenceContext] = []
    carried: Frame | None = None
    distance = 0  # sentences since the carried frame was named
    crossed = 0  # paragraph breaks in between
    named_seen: list[Span] = []
    last_pair: tuple[Span, ...] = ()
    prev_end: int | None = None
    placed = [_all_view_spans(aa, sent) for sent in aa.article.sentences]
    # the programs of the sentences after each one (sentence indexes ascend): the
    # next ANTECEDENT_WINDOW of the article's programs in order
    programs: list[Span] = []
    firsts: list[int] = []  # index in ``programs`` of each sentence's first program
    for sp, _ in placed:
        firsts.append(len(programs))
        programs.extend(p for p in sp if p.type == PROGRAM)
    nexts = [*firsts[1:], len(programs)]
    tails = _name_tails(programs)
    indexes = [sent.index for sent in aa.article.sentences]
    ordered = all(a < b for a, b in pairwise(indexes))

    def programs_after(k: int) -> list[Span]:
        """The programs after sentence ``k`` (by index when the sentences are not in order)."""
        if ordered:
            return programs[nexts[k] : nexts[k] + ANTECEDENT_WINDOW]
        found = [
            p
            for other, (sp, _) in zip(indexes, placed, strict=True)
            if other > indexes[k]
            for p in sp
            if p.type == PROGRAM
        ]
        return found[:ANTECEDENT_WINDOW]

    # every reading needs a mention in its sentence, and only a mention starts what is
    # carried (subjects, pairs, antecedents): before the first sentence with one and
    # past the last, nothing is read and nothing needs to be carried
    named_at = [k for k, (sp, ne) in enumerate(placed) if sp or ne]
    first_named, last_named = (named_at[0], named_at[-1]) if named_at else (0, -1)
    for k, (sent, (spans, nested)) in enumerate(zip(aa.article.sentences, placed, strict=True)):
        if k < first_named or k > last_named:
            sentences.append(
                SentenceContext(sent, sent.text, [], [Clause(0, len(sent.text))], doc_text=doc_text)
            )
            prev_end = sent.end
            continue
        ctx = SentenceContext(sent, sent.text, spans, split_clauses(sent.text, spans))
        ctx.nested = nested
        ctx.doc_text = doc_text
        ctx.new_paragraph = prev_end is not None and doc_text.find("\n", prev_end, sent.start) != -1
        prev_end = sent.end
        # what an unsubjected sentence start takes over
        inherit: Frame | None = None
        crossed += ctx.new_paragraph
        if (
            carried is not None
            and distance < MAX_CARRY_SENTENCES
            and crossed <= MAX_CARRY_PARAGRAPHS
        ):
            factor = CARRY_NEW_PARAGRAPH if crossed else CARRY_SAME_PARAGRAPH
            factor *= CARRY_DECAY ** max(0, distance)
            named = carried.named()
            inherit = Frame(named.leads, (), max(CARRY_FLOOR, factor), "carried")
        ctx.carried = inherit
        distance += 1
        clause_results = []
        later_progs = programs_after(k)
        current = inherit
        opening = True
        for clause in ctx.clauses:
            if current is not None and clause.start and ctx.text[clause.start - 1] in ";；":
                # a new sentence part: bodies joined for one action do not stay joined
                current = current.named()
            events, prog, own, verb_start = _clause_frame(
                ctx, clause, current, last_pair, opening, named_seen, later_progs, tails
            )
            clause_results.append((clause, events, prog, own, verb_start))
            if events:
                opening = False
            last = _last(events)
            if last is not None:
                current = last
            elif events and (current is None or current.origin == "carried"):
                current = None  # another subject: what was carried in does not reach past it
            # (an actor named in this sentence survives a clause about something else)
        # fronted adverbial clauses (为 G, 针对 G, …) take the subject named later
        first_own = next((i for i, r in enumerate(clause_results) if r[3]), None)
        if first_own is not None and any(
            not r[4] and r[1] and all(f is None for _, f in r[1])
            for r in clause_results[:first_own]
        ):
            first_own = None  # another subject stands in between: not a fronted adverbial
        frames: list[tuple[int, Frame | None]] = []
        program_subjects: list[tuple[int, Span | None]] = []
        for i, (clause, events, prog, _own, verb_start) in enumerate(clause_results):
            if first_own is not None and i < first_own and verb_start:
                later = _last(clause_results[first_own][1])
                if later is not None:
                    events = [
                        (
                            clause.start,
                            Frame(later.leads, later.partners, 0.95, "fronted", later.core),
                        )
                    ]
            frames.extend(events)
            program_subjects.append((clause.start, prog))
        ctx.frames = frames
        # carry program subjects through the clauses of the sentence
        cur_prog: Span | None = None
        subject_at = [a for a, f in frames if f is not None and f.origin in ("subject", "pair")]
        for idx, (at, prog) in enumerate(program_subjects):
            clause = clause_results[idx][0]  # the clause that starts at ``at``
            has_org_subject = any(clause.start <= a < clause.end for a in subject_at)
            if prog is not None:
                cur_prog = prog
            elif has_org_subject:
                cur_prog = None
            program_subjects[idx] = (at, cur_prog)
        ctx.program_subjects = program_subjects
        # remember the explicit actors for later sentences
        explicit = [f for _, f in frames if f is not None and f.origin in ("subject", "pair")]
        if explicit:
            carried = explicit[-1]
            distance = 0
            crossed = 0
        for _, f in frames:
            if f is not None and len(f.leads) + len(f.partners) >= 2 and f.origin != "carried":
                last_pair = f.leads + f.partners
        named_seen.extend(p for p in spans if p.type == PROGRAM or p.is_org)
        sentences.append(ctx)
    return ArticleContext(aa, sentences)


def evidence(
    aa: AnalyzedArticle,
    ctx: SentenceContext,
    subj: Span,
    obj: Span,
    extractor: str,
    confidence: float,
    trigger: Hit | None = None,
    *,
    o_range: tuple[int, int] | None = None,
) -> Evidence:
    """The :class:`~kg.model.Evidence` of a relation read in ``ctx``.

    Both ends point at their mentions' original offsets (a carried subject or an
    anaphor's antecedent points at its mention in an earlier sentence); the
    trigger's range is mapped from the view to the original text, while
    ``Evidence.trigger`` holds the normalised cue word (simplified characters).
    ``o_range`` overrides the object's original range.
    """
    sent = ctx.sentence
    t_start = t_end = None
    if trigger is not None and trigger.end > trigger.start:
        t_start, t_end = sent.view.to_original(trigger.start, trigger.end)
    o_start, o_end = o_range if o_range is not None else (obj.mention.start, obj.mention.end)
    return Evidence(
        doc_id=aa.doc.doc_id,
        article=aa.article.index,
        sentence=sent.index,
        sentence_start=sent.start,
        sentence_end=sent.end,
        text=sent.text,
        s_start=subj.mention.start,
        s_end=subj.mention.end,
        o_start=o_start,
        o_end=o_end,
        extractor=extractor,
        confidence=round(max(0.0, min(1.0, confidence)), 3),
        trigger=trigger.cue if trigger is not None else None,
        trigger_start=t_start,
        trigger_end=t_end,
    )
