"""The ``facts`` extractor: money, people and counts, tied to whom they are about.

Every figure that :func:`kg.extract.quantities.read_quantities` finds in a
sentence becomes a :class:`~kg.model.Fact` (``FACTS.md``) with

- ``what``: the thing counted (the noun phrase after the measure word: 16个驿站)
  or paid (the money's object before or after it: 追回欠薪120万元, 60万元慰问物资);
- ``subject``: the union body, partner agency or program the figure is about,
  from the relation extractors' clause analysis
  (:func:`kg.extract.relations._context.analyse`), first found of: a body
  right before the figure (区总1名领导); the body acting at the figure (the
  leads of its frame); the program that is the clause's subject, or one named
  in the clause before the figure (not one that a figure counts: 6个X项目);
  the subject carried over from the clauses before (before any actor is
  named: the article's first subject).  Figures listed in one clause share
  the owner named with the first;
- ``group``: a worker group of the clause that the figure counts or helps;
- the clause as evidence (original offsets) and a confidence.

A figure repeated for the same thing in one document is kept once.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from kg.extract.base import AnalyzedArticle
from kg.extract.quantities import Quantity, read_quantities
from kg.extract.relations._context import (
    GROUP,
    PROGRAM,
    SentenceContext,
    Span,
    analyse,
)
from kg.lexicon.programs import program_cues
from kg.model import Fact
from kg.text.norm import is_han

__all__ = ["FactsExtractor"]

#: Characters that end a clause (a comma between digits is a thousands separator).
_BREAKS = frozenset(",;:，；：!?。！？、")
#: Where ``what`` after a measure word stops.
_WHAT_STOP = re.compile(
    r"[,;:，；：!?。！？、()（）]|和|及|与|并|为|在|对|向|从|到|等|共|其中|参加|参与|开展|进行|"
    r"实现|提供|覆盖|获得|得到|全部|已|将|被|由|中|上|里|后|次|同步"
)
#: Verbs and fillers before money that are not its object.
_MONEY_LEAD = re.compile(
    r"(?:累计|共计|总计|合计|共|达到|达|约|近|超过|超|逾|为|计|总额|金额|有|的|合计为|分别|各|元)+$"
)
_MONEY_VERB = re.compile(
    r"追回|挽回|补缴|补发|发放|筹措|筹集|投入|涉及|节约|创造|争取|兑现|支付|拨付|下拨|"
    r"发放|募集|捐赠|捐款|提供|申请|获得|资助|帮扶|救助|慰问|追讨|讨回|清欠|解决|落实|安排|"
    r"判决|计划筹集|送出|为|给|帮|向|对|从|与|和|及|、|,|，"
)
#: Base confidence of a figure, and factors by how its subject was found.
BASE_CONFIDENCE = 0.9
SUBJECT_FACTORS = {"program": 0.95, "frame": 1.0, "carried": 0.8, "none": 0.7}
#: Longest ``what``.
WHAT_MAX = 16


_BREAK = re.compile(f"[{re.escape(''.join(sorted(_BREAKS)))}]")


def _breaks(text: str) -> list[int]:
    """Where ``text`` has a clause break (see ``_BREAKS``), in order."""
    n = len(text)
    return [
        i
        for m in _BREAK.finditer(text)
        if not (
            (i := m.start()) > 0
            and text[i] == ","
            and i < n - 1
            and text[i - 1].isdigit()
            and text[i + 1].isdigit()
        )
    ]


def _clause_bounds(text: str, pos: int, breaks: list[int] | None = None) -> tuple[int, int]:
    """The clause of ``text`` around view position ``pos`` (own split, see ``_BREAKS``):
    from after the last break before ``pos`` to the first break at or after it.
    ``breaks``: :func:`_breaks` of ``text``, when already known."""
    if breaks is None:
        breaks = _breaks(text)
    k = bisect_left(breaks, pos)
    start = breaks[k - 1] + 1 if k > 0 else 0
    end = breaks[k] if k < len(breaks) else len(text)
    return start, end


def _what(text: str, q: Quantity, clause: tuple[int, int]) -> str:
    after = text[q.end : clause[1]]
    cut = _WHAT_STOP.search(after)
    noun = after[: cut.start()] if cut else after
    noun = noun.strip(" 的")[:WHAT_MAX]
    if q.kind != "money" and noun:
        return noun
    before = text[clause[0] : q.start]
    before = _MONEY_LEAD.sub("", before)
    pieces = _MONEY_VERB.split(before)
    lead = pieces[-1].strip() if pieces else ""
    if lead:
        return lead[-WHAT_MAX:]
    return noun


def _group(ctx: SentenceContext, q: Quantity, clause: tuple[int, int]) -> Span | None:
    groups = [s for s in ctx.of_type(GROUP) if clause[0] <= s.start and s.end <= clause[1]]
    if not groups:
        return None
    right_after = [s for s in groups if 0 <= s.start - q.unit_end <= 3]
    if right_after:
        return right_after[0]
    before = [s for s in groups if s.end <= q.start]
    return before[-1] if before else groups[0]


#: What may stand between a body and a figure that belongs to it.
_OWNER_LINKS = frozenset({"", "的", "共", "共有", "现有", "有"})


def _owns(ctx: SentenceContext, end: int, start: int) -> bool:
    """Whether a body ending at ``end`` owns the figure starting at ``start``."""
    return 0 <= start - end <= 2 and ctx.text[end:start] in _OWNER_LINKS


#: Closing quotes that may stand between a counted name and what follows it.
_CLOSERS = "”’」』\"'"


def _counted_program(ctx: SentenceContext, q: Quantity) -> Span | None:
    """The program a figure counts the sites or units of (16个“X驿站”, 5142家工会驿站,
    4处司机之家在…): named right after the measure word and being the whole counted
    noun, or a facility (a strong head: a network of sites is the program's figure).
    A program that only qualifies a longer noun (6个X选拔竞赛项目) is not counted.
    """
    if q.kind == "money":
        return None
    text = ctx.text
    for span in ctx.of_type(PROGRAM):
        if not q.unit_end <= span.start <= q.unit_end + 1:
            continue
        name = span.mention.text
        if any(name.endswith(h) for h in program_cues().strong):
            return span
        end = span.end
        while end < len(text) and text[end] in _CLOSERS:
            end += 1
        if end >= len(text) or not is_han(text[end]) or _WHAT_STOP.match(text, end):
            return span
    return None


def _subject(
    ctx: SentenceContext,
    q: Quantity,
    clause: tuple[int, int],
    carried: Span | None,
    counted: frozenset[int] = frozenset(),
) -> tuple[Span | None, str]:
    """The figure's subject and how it was found; ``counted``: where counted things start."""
    q_sentence = ctx.sentence.index
    counted_program = _counted_program(ctx, q)
    if counted_program is not None:
        return counted_program, "program"
    if q.start > 0 and ctx.text[q.start - 1] == "等" and ctx.program_subjects:
        # A、B等12家单位主办: the figure counts the bodies listed, and is about what
        # they do, the program that is the clause's subject (本届大赛由…主办)
        listed = any(sp.is_org and sp.end == q.start - 1 for sp in ctx.spans)
        topics = [p for at, p in ctx.program_subjects if p is not None and at <= q.start]
        if listed and topics:
            return topics[-1], "program"
    for span in ctx.spans:  # 区总1名分管领导, 某局的12名干部: the body the figure belongs to
        if span.is_org and clause[0] <= span.start and _owns(ctx, span.end, q.start):
            return span, "frame"
    frame = ctx.frame_at(q.start) if ctx.frames else None
    # the last actor named was a program (本届大赛由…主办。共有1007人参加…) and the clause
    # names no body: a figure the clause analysis gives to the bodies it carries on is
    # the program's
    program_carried = (
        carried is not None
        and carried.type == PROGRAM
        and not any(sp.is_org and clause[0] <= sp.start < q.start for sp in ctx.spans)
    )
    # (the named subject's first lead is the frame's first lead: Frame.named)
    if frame is not None and frame.origin != "carried" and frame.leads:
        # inherited: the subject of an earlier clause (perhaps itself carried in)
        if frame.origin == "inherited":
            return (carried, "carried") if program_carried else (frame.leads[0], "carried")
        return frame.leads[0], "frame"
    prog = ctx.program_subject_at(q.start) if ctx.program_subjects else None
    if prog is not None and not (prog.sentence == q_sentence and prog.start in counted):
        return prog, "program"
    programs = [
        s
        for s in ctx.of_type(PROGRAM)
        if clause[0] <= s.start and s.end <= q.start and s.start not in counted
    ]
    if programs:
        return programs[-1], "program"
    if frame is not None and frame.leads:
        if program_carried:
            return carried, "carried"
        return frame.leads[0], "carried"
    named = [sp for sp in ctx.spans if sp.is_org and clause[0] <= sp.start and sp.end <= q.start]
    if named:  # 对象为X选送的50名工匠: a body the clause names before the figure
        return named[-1], "frame"
    if carried is not None:
        return carried, "carried"
    return None, "none"


def _first_subject(ctx: SentenceContext) -> Span | None:
    """The first body named as a subject in the sentence."""
    for _, frame in ctx.frames:
        if frame is not None and frame.origin == "subject" and frame.leads:
            return frame.leads[0]
    return None


def _last_actor(ctx: SentenceContext) -> Span | None:
    """The last body or program that acts in the sentence (what later figures may be about)."""
    last: tuple[int, Span] | None = None
    for at, frame in ctx.frames:
        if frame is not None and frame.leads and (last is None or at >= last[0]):
            # (the named subject's first lead is the frame's first lead: Frame.named keeps
            # a prefix of the leads, or none, and then the first lead stood in)
            last = (at, frame.leads[0])
    for at, prog in ctx.program_subjects:
        if prog is not None and (last is None or at > last[0]):
            last = (at, prog)
    return last[1] if last is not None else None


class FactsExtractor:
    """Yield :class:`~kg.model.Fact` objects: figures with their subject and group."""

    name = "facts"

    def __call__(self, article: AnalyzedArticle) -> Iterator[Fact]:
        actx = analyse(article)
        # before any actor is named (a headline, a lead), figures are the main actor's:
        # the first subject the article names (looked for once a figure needs it)
        carried: Span | None = None
        # sentences read since the last figure: their last actors are carried forward
        # (_last_actor, in order) only when a later sentence holds a figure
        pending: list[SentenceContext] = []
        first = True
        for ctx in actx.sentences:
            text = ctx.text
            quantities = read_quantities(text)
            if not quantities:
                pending.append(ctx)
                continue
            if first:
                carried = next(
                    (a for a in map(_first_subject, actx.sentences) if a is not None), None
                )
                first = False
            for before in pending:
                carried = _last_actor(before) or carried
            pending.clear()
            pending.append(ctx)
            sent = ctx.sentence
            names = [sp for sp in (*ctx.spans, *ctx.nested) if sp.type != GROUP]
            # digits inside a name (200名农民工技能培训项目) are part of the name
            found = [
                q
                for q in quantities
                if not any(sp.start <= q.start and q.end <= sp.end for sp in names)
            ]
            # what a figure counts is not what another figure is about (6个X和9个Y)
            counted = frozenset(i for f in found for i in range(f.unit_end, f.unit_end + 3))
            last_in_clause: tuple[tuple[int, int], Span | None, str] | None = None
            breaks = _breaks(text) if found else []
            for q in found:
                clause = _clause_bounds(text, q.start, breaks)
                subject, how = _subject(ctx, q, clause, carried, counted)
                if how in ("carried", "none") and last_in_clause and last_in_clause[0] == clause:
                    # figures listed in one clause share the owner named with the first
                    _, first_subject, first_how = last_in_clause
                    if first_how == "frame":
                        subject, how = first_subject, first_how
                last_in_clause = (clause, subject, how)
                if subject is not None:
                    carried = subject
                group = _group(ctx, q, clause)
                start, end = sent.view.to_original(q.start, q.end)
                ev_start, ev_end = sent.view.to_original(*clause)
                yield Fact(
                    kind=q.kind,
                    value=q.value,
                    unit=q.unit,
                    approx=q.approx,
                    what=_what(text, q, clause),
                    subject=subject.key if subject is not None else None,
                    group=group.key if group is not None else None,
                    article=article.article.index,
                    sentence=sent.index,
                    start=start,
                    end=end,
                    evidence_start=ev_start,
                    evidence_end=ev_end,
                    text=text[clause[0] : clause[1]],
                    extractor=self.name,
                    confidence=round(BASE_CONFIDENCE * SUBJECT_FACTORS[how], 3),
                    origin=how,
                )
