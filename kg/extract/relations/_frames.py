"""Who acts at each point of a clause: :class:`Frame` and the clause reading.

A frame names the acting bodies from some point of a sentence on: the subject
organisation(s), the bodies joined to them (联合 B、C), the agents of a host phrase
(由 A 主办), the pair an anaphor stands for (双方), or -- where Chinese drops the
subject -- the actor carried in from before.  :func:`_clause_frame` reads the
frames of one clause; :mod:`kg.extract.relations._context` strings the clauses of
an article together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from kg.extract.relations._anaphora import (
    ANAPHOR_FACTOR,
    _anaphor,
    _may_be_anaphor,
    _named_before,
)
from kg.extract.relations._lexicon import (
    CueTable,
    context_cues,
    cooperation_cues,
    runs_cues,
    serves_cues,
)
from kg.extract.relations._sentence import (
    QUOTES,
    Clause,
    SentenceContext,
    org_list,
    partner_list,
    skip_adverbials,
)
from kg.extract.relations._spans import PROGRAM, Span


@dataclass(frozen=True, slots=True)
class Frame:
    """Who acts from some point of a sentence on.

    ``leads`` act (they run what is launched), ``partners`` were joined to them
    (联合 B: B takes part).  ``factor`` scales the confidence of what is read
    with this frame (1.0 for an explicit subject, less when carried).
    """

    leads: tuple[Span, ...]
    partners: tuple[Span, ...] = ()
    factor: float = 1.0
    origin: str = "subject"  # subject | local | inherited | carried | host | pair | fronted
    core: int = -1  # how many leads are the named subject (-1: all); the rest joined later

    def with_partners(self, extra: Sequence[Span]) -> Frame:
        """The frame with ``extra`` bodies joined as partners."""
        known = {s.key for s in (*self.leads, *self.partners)}
        new = tuple(s for s in extra if s.key not in known)
        return Frame(self.leads, self.partners + new, self.factor, self.origin, self.core)

    def with_leads(self, extra: Sequence[Span]) -> Frame:
        """The frame with ``extra`` bodies acting as co-leads."""
        known = {s.key for s in (*self.leads, *self.partners)}
        new = tuple(s for s in extra if s.key not in known)
        core = len(self.leads) if self.core < 0 else self.core
        return Frame(self.leads + new, self.partners, self.factor, self.origin, core)

    def named(self) -> Frame:
        """The frame without the bodies joined for one action (partners, 与 B 共同…)."""
        leads = self.leads if self.core < 0 else self.leads[: self.core]
        return Frame(leads, (), self.factor, self.origin)


def _clause_frame(
    ctx: SentenceContext,
    clause: Clause,
    inherited: Frame | None,
    last_pair: tuple[Span, ...],
    sentence_start: bool,
    named_seen: Sequence[Span] = (),
    later_programs: Sequence[Span] = (),
    tails: frozenset[str] | None = None,
) -> tuple[list[tuple[int, Frame | None]], Span | None, bool, bool]:
    """Frames of one clause.

    Returns the frame events, the program subject (if the clause starts with a
    program), whether the clause named its own subject, and whether it starts
    with a verb/preposition (a dropped subject).  ``tails`` are the ends of the
    article's program names that a short form may be (:func:`_name_tails`;
    ``None``: not known, every start is checked).
    """
    text = ctx.text
    ctxc, runs, coop = _tables()
    events: list[tuple[int, Frame | None]] = []
    start = skip_adverbials(text, clause.start, clause.end)
    for span in clause.spans:  # the adverbials never end inside a name (“2023年…案例”)
        if span.start < start < span.end:
            start = span.start
            break
    rest = text[start : clause.end]
    program_subject: Span | None = None
    own = False
    verb_start = False

    first = ctx.span_at(start)
    if first is None and start > clause.start and text[start - 1] in QUOTES:
        # the quote skipped as an adverbial opens a mention (“P”专属窗口 …)
        back = start
        while back > clause.start and text[back - 1] in QUOTES:
            back -= 1
        first = ctx.span_at(back)
    speech = (
        sentence_start
        and clause.start < len(text)
        and text[clause.start] in '“「『"'
        and (first is None or first.start > clause.start + 1)
    )
    if speech:
        # a quotation opens the sentence: someone speaks, nobody is carried in
        events.append((clause.start, None))
    elif first is not None and first.is_org:
        leads, end = org_list(ctx, first.start, clause.end)
        # A 与 B …: A is the subject, B joins this action; A、B …: both are the subject
        joined = len(leads) > 1 and _joined(text, leads[0], leads[1])
        if joined and _co_equal(text, end, clause.end):
            joined = False  # A 与 B 联合建立…: co-authors, both the subject from here on
        events.append((clause.start, Frame(tuple(leads), core=1 if joined else -1)))
        own = True
    elif last_pair and ctxc.starts_with(rest, "pair") is not None:
        events.append((clause.start, Frame(last_pair, origin="pair")))
        own = True
    elif first is not None and first.type == PROGRAM:
        program_subject = first  # the program itself acts (P 覆盖…, P 服务…)
        events.append((clause.start, None))
    elif (
        _may_be_anaphor(rest, tails)
        and (
            anaphor := _anaphor(
                rest, _named_before(named_seen, ctx.spans, clause.start), later_programs, ctx, start
            )
        )
        is not None
    ):
        if anaphor.is_org:  # 该院 / 中心 → the body named before
            events.append((clause.start, Frame((anaphor,), (), ANAPHOR_FACTOR, "subject")))
            own = True
        else:  # 该平台 / 驿站 / 本次活动 → the program named before
            program_subject = anaphor
            events.append((clause.start, None))
    else:
        blocked = ctxc.starts_with(rest, "blocked")
        verbish = _starts_with_verb(rest)
        if verbish and blocked is None:
            verb_start = True
            if inherited is not None:
                events.append((clause.start, inherited))
        elif not rest.strip(" ,;:，；：。!?！？"):
            pass  # only adverbials: transparent
        elif blocked is None and first is None and inherited is not None and not sentence_start:
            # an unknown start inside a sentence: keep the actor, less sure
            factor = inherited.factor * (1.0 if inherited.origin == "inherited" else 0.85)
            events.append(
                (
                    clause.start,
                    Frame(inherited.leads, inherited.partners, factor, "inherited", inherited.core),
                )
            )
        else:
            events.append((clause.start, None))

    if not any(s.is_org for s in clause.spans):
        # no organisation named in the clause: no embedded subject, agent, partner or co-lead
        # (at most one event, at the clause start: nothing to sort)
        return events, program_subject, own, verb_start

    # an embedded subject: A (与 B) <run/joint cue> later in the clause (得益于 A 与 B 建立的 P)
    for span in clause.spans:
        if not span.is_org or span.start <= start or _governed(ctx, span):
            continue
        if any(a <= span.start < b for a, b in _listed_ranges(events)):
            continue
        items, end = org_list(ctx, span.start, clause.end)
        at = skip_adverbials(text, end, clause.end)
        if (
            runs.starts_at(text, at, "run", clause.end) is None
            and coop.starts_at(text, at, "joint", clause.end) is None
        ):
            continue
        joined = len(items) > 1 and _joined(text, items[0], items[1])
        events.append((span.start, Frame(tuple(items), core=1 if joined else -1, origin="local")))

    # inside the clause: 由 A 主办 (host agents), 联合 B (partners), 与 B 共同 (co-leads)
    mtext = ctx.masked_text()
    for h in ctxc.find(mtext, "agent", clause.start, clause.end):
        items, end = org_list(ctx, h.end, clause.end)
        if items:
            events.append((h.start, Frame(tuple(items), origin="host")))
    for h in ctx.hits(coop, "partner", clause.start, clause.end):
        items, end = partner_list(ctx, h.end, clause.end)
        if not items:
            continue
        base = _last(events)
        if base is None:
            continue
        events.append((end, base.with_partners(items)))
    for h in ctx.hits(coop, "conj", clause.start, clause.end):
        if h.cue == "、":
            continue
        items, end = org_list(ctx, h.end, clause.end)
        if not items:
            continue
        after = skip_adverbials(text, end, clause.end)
        joint = coop.starts_at(text, after, "joint", clause.end)
        run = runs.starts_at(text, after, "run", clause.end)
        if joint is None and run is None:
            continue
        base = _last(events)
        if base is None or any(s.key in {x.key for x in base.leads} for s in items):
            continue
        events.append((end, base.with_leads(items)))
    events.sort(key=lambda e: e[0])
    return events, program_subject, own, verb_start


def _co_equal(text: str, end: int, limit: int) -> bool:
    """Whether a ``co_equal`` cue (联合, 共同 …) follows a subject list ending at ``end``:
    the bodies joined with 与 act as one subject (A 与 B 联合印发)."""
    at = skip_adverbials(text, end, limit)
    return context_cues().starts_at(text, at, "co_equal", limit) is not None


def _joined(text: str, first: Span, second: Span) -> bool:
    """Whether ``second`` is joined to ``first`` (A 与 B) rather than listed with it
    (A、B; A、<an item that is no mention>、B)."""
    return not text[first.end : second.start].lstrip(QUOTES).startswith("、")


@cache
def _tables() -> tuple[CueTable, CueTable, CueTable]:
    """The context, runs and cooperation cue tables (one lookup per clause)."""
    return context_cues(), runs_cues(), cooperation_cues()


def _starts_with_verb(rest: str) -> bool:
    """Whether a clause start is a verb or preposition (its subject was dropped)."""
    if not rest:
        return False
    return any(rest.startswith(c) for c in _verb_starts().get(rest[0], ()))


@cache
def _verb_starts() -> dict[str, tuple[str, ...]]:
    """The cues that open a clause without a subject, by first character: run, via,
    use and join cues, partner and joint cues, serve cues, prepositions and agents."""
    roles = (
        (runs_cues(), "run"),
        (runs_cues(), "via"),
        (runs_cues(), "use"),
        (runs_cues(), "join"),
        (cooperation_cues(), "partner"),
        (cooperation_cues(), "joint"),
        (serves_cues(), "serve"),
        (context_cues(), "preposition"),
        (context_cues(), "agent"),
        (context_cues(), "verb"),
    )
    by_first: dict[str, set[str]] = {}
    for table, role in roles:
        for cue in table.cues(role):
            by_first.setdefault(cue[0], set()).add(cue)
    return {ch: tuple(sorted(cs, key=len)) for ch, cs in by_first.items()}


def _governed(ctx: SentenceContext, span: Span) -> bool:
    """Whether a preposition, conjunction or partner cue governs ``span`` (在 A, 与 A, 联合 A)."""
    head = ctx.text[: span.start].rstrip(QUOTES + " ")
    return context_cues().ends_with(head, "governor") is not None or any(
        cooperation_cues().ends_with(head, role) is not None for role in ("conj", "partner")
    )


def _listed_ranges(events: list[tuple[int, Frame | None]]) -> list[tuple[int, int]]:
    """The ranges of the organisations already placed in a frame of the clause."""
    return [
        (s.start, s.end)
        for _, f in events
        if f is not None and f.origin in ("subject", "local")
        for s in f.leads
    ]


def _last(events: list[tuple[int, Frame | None]]) -> Frame | None:
    for _, frame in reversed(events):
        if frame is not None:
            return frame
    return None
