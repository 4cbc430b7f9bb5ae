"""What an anaphor or a short form stands for (该平台, 本届大赛, 中心, 智能驿站, 治理行动).

A clause may open with an anaphor (an ``event`` cue, or a ``determiner`` and a
``head`` noun) or with a short form of a program's name; a run cue may take an
abbreviation of a program named before as its object.  The antecedent is sought
among the latest :data:`ANTECEDENT_WINDOW` names before (and, for a short form, the
next programs after), so the work stays bounded on articles of any length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

import ahocorasick

from kg.extract.relations._lexicon import context_cues
from kg.extract.relations._spans import PROGRAM, Span

if TYPE_CHECKING:
    from kg.extract.relations._sentence import SentenceContext


#: Demonstratives before an anaphoric noun (该平台, 本次活动, 这个驿站).
_DEMONSTRATIVE_RE = re.compile(r"^(?:该|本次|此次|这个|这一|这家|这座|此|本|这)")
#: Anaphoric nouns that stand for the latest program whatever its name.
GENERIC_EVENT_HEADS = ("活动", "行动", "项目", "竞赛", "比赛")
#: The longest short form of a program name read at a clause start (智能驿站).
SHORT_FORM_MAX = 8
#: Confidence factor of an organisation read from an anaphor (该院, 中心).
ANAPHOR_FACTOR = 0.9
#: How many names before an anaphor (and programs after a short form) may be its
#: antecedent: articles name far fewer; it bounds the work on an article of
#: thousands of sentences.
ANTECEDENT_WINDOW = 200


def _anaphor(
    rest: str,
    earlier: Sequence[Span],
    later: Sequence[Span] = (),
    ctx: SentenceContext | None = None,
    at: int = 0,
) -> Span | None:
    """What an anaphoric clause start stands for: the latest program or organisation
    named before whose name fits the head noun (该平台 → …平台, 该院 → …法院, 本次活动 →
    the latest program)."""
    event = _event_start(rest)
    if event is None:
        # a short form of a program named before, or else (a headline's name) after
        lengths = _head_ends(rest[:SHORT_FORM_MAX])
        if not lengths:
            return None
        found = _short_form(rest, list(reversed(earlier)), lengths) or _short_form(
            rest, later, lengths
        )
        if found is None:
            return None
        if ctx is None:
            return found[0]
        # the short form itself is the reference: point the evidence at it
        span, length = found
        o_start, o_end = ctx.sentence.view.to_original(at, at + length)
        ref = replace(
            span.mention,
            start=o_start,
            end=o_end,
            text=ctx.doc_text[o_start:o_end],
            sentence=ctx.sentence.index,
            implicit=True,
        )
        return Span(ref, span.type, at, at + length, ctx.sentence.index)
    if not earlier:
        return None
    head = event
    # a composed anaphor (本届大赛) stands for a program named for its head (…大赛),
    # not for one that only mentions it (…大赛选拔竞赛项目)
    composed = context_cues().starts_with(rest, "event") is None
    # a program whose written form only mentions the head ("P"成果共享平台 for 平台)
    # is taken when no program named for the head (…服务平台) was named before it
    by_surface: Span | None = None
    for span in reversed(earlier):
        label = span.key.split(":", 1)[1]
        if span.is_org:
            if label.endswith(head) or span.mention.text.endswith(head):
                return span
        elif head in GENERIC_EVENT_HEADS or (label.endswith(head) if composed else head in label):
            return span
        elif by_surface is None and not composed and head in span.mention.text:
            by_surface = span
    return by_surface


def _may_be_anaphor(rest: str, tails: frozenset[str] | None = None) -> bool:
    """Whether a clause start may be an anaphor (cheap test before :func:`_anaphor`).

    It is one when it starts with an ``event`` cue, or with a short form of a
    program's name: a tail of the name (one of ``tails`` when given) that ends in
    an anaphoric head noun.  Every ``event`` cue holds its head noun, so a start
    without any head noun in reach is no anaphor.
    """
    heads, reach = _head_search()
    if heads is None or heads.search(rest, 0, reach) is None:
        return False
    if _event_start(rest) is not None:
        return True
    if tails is not None and not any(
        rest[:k] in tails for k in range(3, min(SHORT_FORM_MAX, len(rest)) + 1)
    ):
        return False
    return len(_head_ends(rest[:SHORT_FORM_MAX])) > 0


def _name_tails(programs: Iterable[Span]) -> frozenset[str]:
    """The ends (3 to :data:`SHORT_FORM_MAX` characters) of the programs' names."""
    out: set[str] = set()
    for span in programs:
        label = span.key.split(":", 1)[1]
        out.update(label[-k:] for k in range(3, min(SHORT_FORM_MAX, len(label)) + 1))
    return frozenset(out)


@cache
def _head_search() -> tuple[re.Pattern[str] | None, int]:
    """A pattern finding any anaphoric head noun, and how far into a clause to look
    (the longest event cue or short form)."""
    cues = context_cues().cues("event")
    stripped = _anaphor_heads()
    if not stripped:
        return None, 0
    pattern = re.compile("|".join(re.escape(h) for h in sorted(stripped, key=len, reverse=True)))
    composed = [len(d) + len(h) for d in context_cues().cues("determiner")[:1] for h in stripped]
    return pattern, max([SHORT_FORM_MAX, *(len(c) for c in cues), *composed])


@cache
def _anaphor_heads() -> frozenset[str]:
    """The anaphoric head nouns: the ``event`` cues without their demonstrative, and
    the ``head`` cues (composed with a ``determiner``: 本届大赛, 这项活动)."""
    stripped = (_DEMONSTRATIVE_RE.sub("", c) for c in context_cues().cues("event"))
    return frozenset({h for h in stripped if h} | set(context_cues().cues("head")))


def _event_start(rest: str) -> str | None:
    """The head noun of an anaphor opening ``rest``: an ``event`` cue (该平台 → 平台), or
    a ``determiner`` and a ``head`` cue (本届大赛 → 大赛, 这项活动 → 活动).

    >>> _event_start("该平台由某工会发起")
    '平台'
    >>> _event_start("本届大赛由某工会主办")
    '大赛'
    >>> _event_start("大赛开幕") is None
    True
    """
    cues = context_cues()
    hit = cues.starts_with(rest, "event")
    if hit is not None:
        return _DEMONSTRATIVE_RE.sub("", hit.cue) or hit.cue
    det = cues.starts_with(rest, "determiner")
    if det is None:
        return None
    head = cues.starts_at(rest, det.end, "head")
    return head.cue if head is not None else None


def _named_before(named_seen: Sequence[Span], spans: Sequence[Span], at: int) -> list[Span]:
    """Programs and organisations named before view position ``at`` of a sentence:
    those of earlier sentences (``named_seen``) and those of the sentence's ``spans``."""
    return [
        *named_seen[-ANTECEDENT_WINDOW:],
        *(p for p in spans if (p.type == PROGRAM or p.is_org) and p.end <= at),
    ]


def _short_form(
    rest: str, candidates: Sequence[Span], lengths: Sequence[int] | None = None
) -> tuple[Span, int] | None:
    """A clause that starts with the tail of a program's name (智能驿站 for
    …工会智能驿站), the tail ending with an anaphoric head noun: the first such
    program among ``candidates`` (nearest first).

    ``lengths`` are the lengths of the starts of ``rest`` that end in a head
    noun, longest first (:func:`_head_ends`; computed when not given).
    """
    if lengths is None:
        lengths = _head_ends(rest[:SHORT_FORM_MAX])
    if not lengths:
        return None
    programs = [s for s in candidates if s.type == PROGRAM]
    for k in lengths:
        cand = rest[:k]
        for span in programs:
            if span.key.split(":", 1)[1].endswith(cand):
                return span, k
    return None


def abbreviates(word: str, program: Span) -> bool:
    """Whether ``word`` abbreviates the name of ``program``: it is not the name, ends
    with the name's last two characters (its head noun), opens with two characters
    that stand together in the name, and its characters occur in the name in order
    (治理行动 for 治理农民工欠薪专项行动).

    >>> from kg.model import Mention
    >>> m = Mention("Program:治理农民工欠薪专项行动", 0, 13, "", 0, 0)
    >>> p = Span(m, "Program", 0, 13, 0)
    >>> abbreviates("治理行动", p), abbreviates("专项行动", p), abbreviates("宣传行动", p)
    (True, True, False)
    """
    label = program.key.split(":", 1)[1]
    if len(word) < 4 or word == label or not label.endswith(word[-2:]):
        return False
    if word[:2] not in label[:-2]:
        return False
    at = label.find(word[:2]) + 2
    for ch in word[2:]:
        at = label.find(ch, at) + 1
        if at == 0:
            return False
    return True


def reference_span(ctx: SentenceContext, target: Span, start: int, end: int) -> Span:
    """A span at view ``[start, end)`` of ``ctx`` that refers to ``target``'s entity
    (a short form or an abbreviation: the evidence points at the reference)."""
    o_start, o_end = ctx.sentence.view.to_original(start, end)
    ref = replace(
        target.mention,
        start=o_start,
        end=o_end,
        text=ctx.doc_text[o_start:o_end],
        sentence=ctx.sentence.index,
        implicit=True,
    )
    return Span(ref, target.type, start, end, ctx.sentence.index)


def head_ends(text: str) -> list[int]:
    """The lengths (at least 3) of the starts of ``text`` that end in an anaphoric head
    noun (平台, 驿站, 活动 …), longest first."""
    return _head_ends(text)


def _head_ends(text: str) -> list[int]:
    """The lengths (at least 3) of the starts of ``text`` that end in an anaphoric head
    noun (平台, 驿站, 活动 …), longest first."""
    automaton = _event_heads()
    if automaton is None:
        return []
    return sorted({e + 1 for e, _ in automaton.iter(text) if e >= 2}, reverse=True)


@cache
def _event_heads() -> ahocorasick.Automaton | None:
    """The head nouns of the ``event`` cues (demonstratives removed), compiled."""
    heads = _anaphor_heads()
    if not heads:
        return None
    automaton = ahocorasick.Automaton()
    for h in heads:
        automaton.add_word(h, h)
    automaton.make_automaton()
    return automaton
