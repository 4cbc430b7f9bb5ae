"""The ``serves`` extractor: Program or organisation -> WorkerGroup.

Patterns (cues from ``ontology/lexicon/triggers_serves.tsv``):

* **cue + groups**: a serve cue right before a list of worker groups
  (``为快递员、外卖配送员等新就业形态劳动者…``, ``帮助近81万名患病职工``): one
  relation per group.  The serving end is the program that is the subject of
  the clause, else the program named nearest in the sentence, else the acting
  organisation (explicit or carried).
* **name**: a program whose name holds a worker group followed by a service word
  (``户外劳动者服务站``, ``新就业形态劳动者维权服务三年行动``) or by a contest,
  training or workforce word (``快递员技能竞赛``, ``青年电工训练营``,
  ``产业工人队伍建设改革``) serves that group, when the group is an entity of the
  article.
* **target**: ``将 / 把 G 作为 / 列为 / 纳入 … 对象 / 范围``: the acting body (or the
  program of the passage) serves the group.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import ahocorasick

from kg.extract.base import AnalyzedArticle
from kg.extract.relations._context import (
    GROUP,
    PROGRAM,
    QUOTES,
    SentenceContext,
    Span,
    analyse,
    chain,
    skip_adverbials,
)
from kg.extract.relations._findings import Finding, to_triples
from kg.extract.relations._lexicon import Hit, serves_cues
from kg.model import Triple

PREDICATE = "serves"
#: How many characters (quantities, places: 近81万名, 全区2585户) may separate cue and group.
MAX_CUE_GAP = 8
#: How far after a group inside a program name its service word may start (…公益法律服务).
NAME_CUE_REACH = 2
#: How many characters (quantities: 全市12万名) may separate 将/把 and the group.
MAX_TAKE_GAP = 6
#: How far after the group its 作为/列为 may start (将 G 群体作为…).
AS_REACH = 3
#: How far after 作为 the closing 对象/范围 may start (作为普法重点对象).
SCOPE_REACH = 10
#: Confidence factor when the organisation (not a program) is linked.
ORG_FACTOR = 0.9


class ServesExtractor:
    """Yield ``serves`` triples."""

    name = "serves"

    def __call__(self, article: AnalyzedArticle) -> Iterator[Triple]:
        yield from to_triples(article, serves_findings(article), self.name)


_FOUND: tuple[AnalyzedArticle, list[Finding]] | None = None


def serves_findings(article: AnalyzedArticle) -> list[Finding]:
    """The cue-read ``serves`` findings of an article (computed once per article: the
    ``passage`` extractor asks for them too)."""
    global _FOUND
    if _FOUND is None or _FOUND[0] is not article:
        _FOUND = (article, _serves_findings(article))
    return _FOUND[1]


def _serves_findings(article: AnalyzedArticle) -> list[Finding]:
    found: list[Finding] = []
    actx = analyse(article)
    for ctx in actx.sentences:
        if not ctx.spans:
            continue
        seen: set[int] = set()
        for g in ctx.of_type(GROUP):
            if id(g) in seen:
                continue
            items = chain(ctx, g, [GROUP])
            seen.update(id(x) for x in items)
            found.extend(_cue_groups(ctx, items))
            found.extend(_as_target(ctx, items))
            found.extend(_groups_take_part(ctx, items))
        found.extend(_sent_to_attend(ctx))
    found.extend(_by_name(article))
    return found


def _cue_groups(ctx: SentenceContext, items: list[Span]) -> list[Finding]:
    text = ctx.text
    first = items[0]
    clause = ctx.clause_of(first.start)
    before = [s for s in clause.spans if s.end <= first.start]
    wstart = max(clause.start, before[-1].end if before else clause.start)
    hits = [
        h
        for h in ctx.hits_of(serves_cues(), ("serve", "focus"), wstart, first.start)
        if _gap(text[h.end : first.start]) <= MAX_CUE_GAP
    ]
    if not hits:
        return []
    hit = max(hits, key=lambda h: (h.end, h.end - h.start))
    if hit.role == "focus":  # P 聚焦 G: only a program that is the clause's subject
        subject = ctx.program_subject_at(hit.start)
        if subject is None:
            return []
        agents, factor = [subject], 1.0
    else:
        agents, factor = _agents(ctx, hit, items)
    return [
        Finding(a, PREDICATE, g, ctx, hit.confidence * factor, hit) for a in agents for g in items
    ]


def _as_target(ctx: SentenceContext, items: list[Span]) -> list[Finding]:
    """将 G 作为/列为 (重点服务)对象, 把 G 纳入 (帮扶)范围: the group is made the target of
    the acting body (or of the program of the passage)."""
    text = ctx.text
    cues = serves_cues()
    first, last = items[0], items[-1]
    clause = ctx.clause_of(first.start)
    before = [s for s in clause.spans if s.end <= first.start]
    wstart = max(clause.start, before[-1].end if before else clause.start)
    takes = [
        h
        for h in ctx.hits(cues, "take", wstart, first.start)
        if _gap(text[h.end : first.start]) <= MAX_TAKE_GAP
    ]
    if not takes:
        return []
    limit = clause.end
    verb = _cue_near(text, last.end, limit, "as", AS_REACH)
    if verb is None or _cue_near(text, verb.end, limit, "scope", SCOPE_REACH) is None:
        return []
    agents, factor = _agents(ctx, verb, items)
    return [
        Finding(a, PREDICATE, g, ctx, verb.confidence * factor, verb) for a in agents for g in items
    ]


def _groups_take_part(ctx: SentenceContext, items: list[Span]) -> list[Finding]:
    """G1、G2 踊跃参与, (no object): the groups take part in what is done for them; the
    program of the sentence, else the acting body (carried in too) serves them."""
    text = ctx.text
    last = items[-1]
    clause = ctx.clause_of(last.start)
    at = skip_adverbials(text, last.end, clause.end)
    hit = serves_cues().starts_at(text, at, "attend", clause.end)
    if hit is None or text[at + hit.end : clause.end].strip(_CLOSING) != "":
        return []
    cue = Hit(at, at + hit.end, hit.cue, hit.role, hit.confidence)
    agents, factor = _agents(ctx, cue, items)
    if not agents:
        frame = ctx.carried
        if frame is None or not frame.leads:
            return []
        agents, factor = list(frame.leads), frame.factor * ORG_FACTOR
    conf = cue.confidence * factor * TAKE_PART_FACTOR
    return [Finding(a, PREDICATE, g, ctx, conf, cue) for a in agents for g in items]


#: What may stand between a closing attend cue and the end of its clause.
_CLOSING = " ,;:，；：。!?！？"
#: Confidence factor of groups read as served because they take part (G 踊跃参与).
TAKE_PART_FACTOR = 0.8


def _cue_near(text: str, pos: int, limit: int, role: str, reach: int) -> Hit | None:
    """The first cue of ``role`` starting within ``reach`` characters from ``pos``
    (not past ``limit``), as a hit into ``text``."""
    cues = serves_cues()
    for at in range(pos, min(limit, pos + reach + 1)):
        hit = cues.starts_at(text, at, role, limit)
        if hit is not None:
            return Hit(at, at + hit.end, hit.cue, role, hit.confidence)
    return None


def _sent_to_attend(ctx: SentenceContext) -> list[Finding]:
    """组织 / 安排 G1、…、G2 参加 P: the program serves every group sent to it."""
    cues = serves_cues()
    text = ctx.text
    out: list[Finding] = []
    for clause in ctx.clauses:
        if not any(s.type == GROUP for s in clause.spans):
            continue
        for attend in ctx.hits(cues, "attend", clause.start, clause.end):
            progs = [
                p
                for p in clause.spans
                if p.type == PROGRAM
                and p.start >= attend.end
                and _gap(text[attend.end : p.start]) <= 6
            ]
            if not progs:
                continue
            arrange = [h for h in ctx.hits(cues, "arrange", clause.start, attend.start)]
            if not arrange:
                continue
            start = max(h.end for h in arrange)
            groups = [
                g for g in clause.spans if g.type == GROUP and start <= g.start < attend.start
            ]
            for g in groups:
                out.append(Finding(progs[0], PREDICATE, g, ctx, attend.confidence, attend))
    return out


def _gap(text: str) -> int:
    return sum(1 for ch in text if ch not in QUOTES and not ch.isspace())


def _agents(ctx: SentenceContext, hit: Hit, groups: list[Span]) -> tuple[list[Span], float]:
    """The serving end: the clause's program, else a program of the same part of the
    sentence, else the acting body, else a program nearby."""
    subject = ctx.program_subject_at(hit.start)
    if subject is not None:
        return [subject], 1.0
    programs = ctx.of_type(PROGRAM)
    clause = ctx.clause_of(hit.start)
    same = [p for p in programs if clause.start <= p.start < clause.end]
    if same:
        return [min(same, key=lambda p: abs(p.start - hit.start))], 0.95
    frame = ctx.frame_at(hit.start)
    # a program elsewhere in the same ;-segment of the sentence is the one named in
    # the passage: GUIDELINES link it rather than the body that runs it
    # (A 为 G 购置…, G 通过“P”申请; 开通 P, 为 G 提供…)
    lo = max(ctx.text.rfind(";", 0, hit.start), ctx.text.rfind("；", 0, hit.start)) + 1
    hi = min(
        [i for i in (ctx.text.find(";", hit.end), ctx.text.find("；", hit.end)) if i != -1]
        or [len(ctx.text)]
    )
    segment = [p for p in programs if lo <= p.start < hi]
    if segment:
        return [min(segment, key=lambda p: abs(p.start - hit.start))], 0.85
    if frame is not None and frame.leads:
        return list(frame.leads), frame.factor * ORG_FACTOR
    if programs:
        return [min(programs, key=lambda p: abs(p.start - hit.start))], 0.75
    return [], 0.0


def _name_cue(tail: str) -> tuple[int, Hit] | None:
    """A service word shortly after a group inside a program name (…公益法律服务, …之家)."""
    cues = serves_cues()
    for skip in range(NAME_CUE_REACH + 1):
        hit = cues.starts_with(tail[skip:], "name")
        if hit is not None:
            return skip, hit
    return None


def _finder(surfaces: tuple[str, ...]) -> ahocorasick.Automaton | None:
    """An automaton finding the worker-group surfaces in a program's name (the latest
    document's automaton is kept: the articles of a document share their entities)."""
    global _FINDER
    if _FINDER is not None and _FINDER[0] == surfaces:
        return _FINDER[1]
    automaton: ahocorasick.Automaton | None = None
    if surfaces:
        automaton = ahocorasick.Automaton()
        for surface in surfaces:
            automaton.add_word(surface, surface)
        automaton.make_automaton()
    _FINDER = (surfaces, automaton)
    return automaton


_FINDER: tuple[tuple[str, ...], ahocorasick.Automaton | None] | None = None


def _by_name(aa: AnalyzedArticle) -> list[Finding]:
    """Programs whose names hold a served worker group (G 服务站, G 维权服务…).

    The group is either a mention nested in the program's mention or, failing
    that, the name or alias of a worker-group entity of the article.
    """
    groups: list[tuple[str, str]] = []  # (surface, entity key)
    for ent in aa.entities.values():
        if ent.type == GROUP:
            for name in {ent.name, *ent.aliases}:
                if len(name) >= 2:
                    groups.append((name, ent.key))
    groups.sort(key=lambda g: -len(g[0]))
    finder = _finder(tuple(g[0] for g in groups))
    out: list[Finding] = []
    done: set[tuple[str, str]] = set()
    for ctx in analyse(aa).sentences:
        for p in ctx.of_type(PROGRAM):
            text = ctx.text
            for g in ctx.nested:
                if g.type != GROUP or not (p.start <= g.start and g.end <= p.end):
                    continue
                tail = text[g.end : p.end]
                found = _name_cue(tail.lstrip(QUOTES))
                if found is None or (p.key, g.key) in done:
                    continue
                skip, cue = found
                at = g.end + (len(tail) - len(tail.lstrip(QUOTES))) + skip
                trig = Hit(at, at + len(cue.cue), cue.cue, "name", cue.confidence)
                done.add((p.key, g.key))
                out.append(Finding(p, PREDICATE, g, ctx, cue.confidence, trig))
            name = text[p.start : p.end]
            present = {surface for _, surface in finder.iter(name)} if finder else set()
            if not present:
                continue
            taken: list[tuple[int, int]] = []
            for surface, key in groups:
                if surface not in present:
                    continue
                if (p.key, key) in done:
                    continue
                at = name.find(surface)
                if at == -1 or any(a < at + len(surface) and at < b for a, b in taken):
                    continue
                rest = name[at + len(surface) :]
                tail = rest.lstrip(QUOTES)
                found = _name_cue(tail)
                if found is None:
                    continue
                skip, cue = found
                taken.append((at, at + len(surface)))
                done.add((p.key, key))
                v_start, v_end = p.start + at, p.start + at + len(surface)
                o_start, o_end = ctx.sentence.view.to_original(v_start, v_end)
                inner = replace(
                    p.mention,
                    entity=key,
                    start=o_start,
                    end=o_end,
                    text=aa.doc.text[o_start:o_end],
                    implicit=True,
                )
                g_span = Span(inner, GROUP, v_start, v_end, p.sentence)
                trig_at = v_end + (len(rest) - len(tail)) + skip
                trig = Hit(trig_at, trig_at + len(cue.cue), cue.cue, "name", cue.confidence)
                out.append(Finding(p, PREDICATE, g_span, ctx, cue.confidence, trig))
    return out
