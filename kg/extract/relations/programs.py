"""Reading who runs and who takes part in a Program (``runs`` / ``participatesIn``).

Patterns (cues from ``ontology/lexicon/triggers_runs.tsv``):

* **trigger + object**: the acting frame of the clause, a run cue, then a list
  of programs (``A 推出 P``, ``A 与 B 建立 P``, ``双方共同开展 P1、P2``): the leads run
  each program, partners joined with 联合/协同 take part; a ``join``/``use`` cue
  (参与, 配合开展, 借助) makes the leads take part instead, and governs the run
  cues after it (配合开展 P); a body that sends people (组织 G 参加 P) runs P; after
  ``支持工会`` (a ``support`` cue and a ``supported`` union word) the unions of the
  frame run P and the other bodies take part.
* **abbreviated object**: a run cue whose object is no mention but abbreviates a
  program named before (``联动开展治理行动``): the leads run that program.
* **launched**: ``P 正式成立`` / ``P 在活动中发布``, P opening its clause: the body
  acting before it in the sentence (or carried in) runs P.
* **relative clause**: ``为 A 联合 B 发起的 P 点赞`` (no frame at the cue): A runs P,
  B takes part.
* **possessor**: an organisation written right before a program (``A“P”``,
  ``A 本级 P``) runs it; then a ``use``/``via`` cue before it makes the acting body a
  participant (区总借助全总“P”).
* **carrier / instrument**: ``以 P 为载体 / 为抓手`` or ``以 P, …``: the acting body runs P.
* **host**: ``由 A、B 主办的 P`` / ``P 由 A 发起`` / ``该平台由 A 发起`` (the program an
  anaphor stands for): every listed body runs P.
* **support**: ``在 A 的支持下 …P`` / ``在 A 的指导和 B 的部署下`` / ``P 得到 A、B 的大力
  支持``: the supporters take part in the program of the sentence.
* **joined in the name**: ``“工会+法院+检察院”平台``: the bodies named inside (nested
  mentions) take part in it.
* **partners**: bodies joined with 联合/协同 take part in what their leads run in the
  same ';'-part of the sentence.
* **therein**: ``B、C 也参与其中`` / ``B 加入进来`` / ``B、C 等多部门参与,…``: the
  subject bodies take part in the program named just before (in the sentence, else
  in the sentence before).
* **premises**: ``在 A 服务大厅, “P”窗口…``: a program opening the clause after a place
  of body A is A's own.

The acting frames (subjects, carried subjects, 由-agents, 双方) come from
:mod:`kg.extract.relations._context`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from kg.extract.base import AnalyzedArticle
from kg.extract.relations._context import (
    ANTECEDENT_WINDOW,
    CLAUSE_BREAK,
    MASK,
    PROGRAM,
    QUOTES,
    SHORT_FORM_MAX,
    Frame,
    SentenceContext,
    Span,
    abbreviates,
    analyse,
    chain,
    head_ends,
    org_list,
    reference_span,
    skip_adverbials,
)
from kg.extract.relations._findings import Finding
from kg.extract.relations._lexicon import (
    Hit,
    context_cues,
    cooperation_cues,
    runs_cues,
    serves_cues,
)

#: How far (in characters, quotes not counted) a run cue may stand before its program.
MAX_CUE_GAP = 10
#: What may stand between a possessor organisation and its program.
_POSSESSIVE_GAP = re.compile(r"[\s“”\"'‘’「」『』]*(?:的|本级|自己的)?[\s“”\"'‘’「」『』]*")
#: How many characters may stand between 以 P and 为<carrier cue>.
CARRIER_GAP = 4
#: 以 ending another word (可以, 予以): not the preposition.
_YI_IN_WORD = re.compile(r"(?:可|所|予|加|得|难|足|用|借|是|之|给)以$")
#: Confidence of ``以 P, …`` (program as instrument, no 为-cue).
INSTRUMENT_CONFIDENCE = 0.6
#: Confidence of a body joined by '+' in a program's name (工会+检察).
JOINED_NAME_CONFIDENCE = 0.7
#: Confidence of a body named at the head of its program's name.
OWNER_CONFIDENCE = 0.6
#: Confidence of a possessor reading.
POSSESSOR_CONFIDENCE = 0.7
#: Confidence factor of a program read from an abbreviation of its name (治理行动).
ABBREVIATION_FACTOR = 0.85

#: The cue roles read before a program list.
_CHAIN_ROLES = ("run", "via", "use", "join")

_PREDICATE = {
    "run": "runs",
    "via": "runs",
    "host": "runs",
    "carrier": "runs",
    "use": "participatesIn",
    "join": "participatesIn",
}


# (precompiled: a pattern given as a string is looked up in re's cache at every call)
_SHORT_TO_BREAK = re.compile(
    r"[^,;:，；：。!?！？为]{0,4}[的]?[^,;:，；：。!?！？为]{0,4}[,;:，；：。!?！？]"
)
_AT = re.compile("在")


def _gap_len(text: str) -> int:
    """Characters between a cue and its object, not counting quotes or an open quoted title.

    >>> _gap_len("了严格的")
    4
    >>> _gap_len("的“筑牢安全屏障——")
    1
    """
    n = 0
    depth = 0
    for ch in text:
        if ch in "“‘「『《〈":
            depth += 1
        elif ch in "”’」』》〉" and depth:
            depth -= 1
        elif depth == 0 and ch not in QUOTES and not ch.isspace():
            n += 1
    return n


def program_findings(aa: AnalyzedArticle) -> list[Finding]:
    """All ``runs`` and ``participatesIn`` findings of an article.

    Computed once per article: the ``runs``, ``participation`` and
    ``cooperation`` extractors all ask for them.
    """
    global _FOUND
    if _FOUND is not None and _FOUND[0] is aa:
        return _FOUND[1]
    result = _program_findings(aa)
    _FOUND = (aa, result)
    return result


_FOUND: tuple[AnalyzedArticle, list[Finding]] | None = None


def _program_findings(aa: AnalyzedArticle) -> list[Finding]:
    actx = analyse(aa)
    out: list[Finding] = []
    before: list[Span] = []  # the programs of the sentence before
    seen_programs: list[Span] = []  # the programs named so far in the article
    for ctx in actx.sentences:
        if not ctx.spans:  # every reading below needs a mention in the sentence
            before = []
            continue
        found: list[Finding] = []
        programs = ctx.of_type(PROGRAM)
        found.extend(_abbreviated_objects(ctx, seen_programs))
        seen_programs.extend(programs)
        found.extend(_join_therein(ctx, before[-1:]))
        before = programs
        seen: set[int] = set()
        for p in programs:
            if id(p) in seen:
                continue
            items = chain(ctx, p, [PROGRAM])
            seen.update(id(x) for x in items)
            found.extend(_read_chain(ctx, items))
        found.extend(_carrier(ctx))
        found.extend(_launched(ctx))
        found.extend(_relative(ctx))
        found.extend(_host(ctx))
        found.extend(_support(ctx))
        found.extend(_joined_in_name(ctx))
        found.extend(_owner_in_name(ctx))
        found.extend(_premises(ctx))
        found.extend(_partners_take_part(ctx, found))
        if not programs and seen_programs:
            found.extend(_partners_of_the_passage(ctx, seen_programs[-1]))
        out.extend(found)
    return out


def _partners_of_the_passage(ctx: SentenceContext, program: Span) -> list[Finding]:
    """Bodies invited or joined (邀请 B、C 开展…, 联合 B …) in a sentence that names no
    program take part in the program named last before, a few sentences back at most
    (the program of the passage)."""
    if ctx.sentence.index - program.sentence > PASSAGE_REACH:
        return []
    out: list[Finding] = []
    done: set[str] = set()
    for _at, frame in ctx.frames:
        if frame is None or not frame.partners or frame.origin == "inherited":
            continue
        for partner in frame.partners:
            if partner.key in done or partner.sentence != ctx.sentence.index:
                continue
            done.add(partner.key)
            conf = PASSAGE_PARTNER_CONFIDENCE * frame.factor
            out.append(Finding(partner, "participatesIn", program, ctx, conf))
    return out


#: How many sentences back the program of a passage may have been named.
PASSAGE_REACH = 3
#: Confidence of a partner read as taking part in the program of its passage.
PASSAGE_PARTNER_CONFIDENCE = 0.6


def _abbreviated_objects(ctx: SentenceContext, earlier: list[Span]) -> list[Finding]:
    """A run cue whose object is an abbreviation of a program named before
    (…开展治理行动 for 治理农民工欠薪专项行动): the acting body runs that program.

    The object is no mention: a word of at most :data:`SHORT_FORM_MAX` characters
    right after the cue that ends in an anaphoric head noun and abbreviates one of
    the latest :data:`ANTECEDENT_WINDOW` programs (:func:`abbreviates`).
    """
    if not earlier:
        return []
    text = ctx.text
    mtext = ctx.masked_text()
    out: list[Finding] = []
    window = earlier[-ANTECEDENT_WINDOW:]
    for h in ctx.hits(runs_cues(), "run"):
        pos = h.end
        if pos >= len(text) or mtext[pos] == MASK or text[pos] in QUOTES:
            continue  # a mention (or a quoted name) follows: read as trigger + object
        for k in head_ends(text[pos : pos + SHORT_FORM_MAX]):
            word = text[pos : pos + k]
            if MASK in mtext[pos : pos + k]:
                continue
            target = next((p for p in reversed(window) if abbreviates(word, p)), None)
            if target is None:
                continue
            frame = ctx.frame_at(h.start)
            if frame is None:
                break
            ref = reference_span(ctx, target, pos, pos + k)
            conf = h.confidence * frame.factor * ABBREVIATION_FACTOR
            out.extend(Finding(lead, "runs", ref, ctx, conf, h) for lead in frame.leads)
            break
    return out


@dataclass(frozen=True, slots=True)
class Joining:
    """Bodies that join what another does, with no object of their own: ``B、C (也)
    参与其中``, ``B、C 等多部门参与,…``, ``B 加入进来``."""

    bodies: tuple[Span, ...]
    cue: Hit  # the join cue, in view offsets
    confidence: float
    factor: float  # of the frame that names the bodies
    clause_start: int


def joinings(ctx: SentenceContext) -> list[Joining]:
    """The joining phrases of a sentence (read once: the runs and cooperation readings
    both ask).  The subject bodies of a clause are followed by a ``join`` cue and
    then by a ``therein`` word (其中, 进来) or by the end of the clause."""
    got = ctx.memo.get("joinings")
    if got is None:
        got = ctx.memo["joinings"] = _joinings(ctx) if ctx.spans else []
    return cast(list[Joining], got)


def _joinings(ctx: SentenceContext) -> list[Joining]:
    text = ctx.text
    runs = runs_cues()
    out: list[Joining] = []
    done: set[int] = set()
    for at, frame in ctx.frames:
        if frame is None or frame.origin != "subject":
            continue
        clause = ctx.clause_of(at)
        if clause.start in done:
            continue
        named = [s for s in frame.leads if clause.start <= s.start < clause.end]
        if not named:
            continue
        pos = skip_adverbials(text, max(s.end for s in named), clause.end)
        join = runs.starts_at(text, pos, "join", clause.end)
        if join is None:
            continue
        after = pos + join.end
        therein = runs.starts_at(text, after, "therein", clause.end)
        if therein is not None:
            conf = min(join.confidence, therein.confidence)
        elif text[after : clause.end].strip(_CLOSING_MARKS) == "":
            conf = join.confidence * NO_OBJECT_FACTOR  # 参与, : the clause ends with the cue
        else:
            continue
        done.add(clause.start)
        trig = Hit(pos, after, join.cue, join.role, join.confidence)
        out.append(Joining(tuple(named), trig, conf, frame.factor, clause.start))
    return out


#: What may stand between a closing join cue and the end of its clause.
_CLOSING_MARKS = " ,;:，；：。!?！？"
#: Confidence factor of a join cue with no object (B、C 参与, …) against 参与其中.
NO_OBJECT_FACTOR = 0.9


def _join_therein(ctx: SentenceContext, previous: list[Span]) -> list[Finding]:
    """B、C (也)参与其中 / 加入进来 / 等多部门参与,…: the subject bodies take part in the
    program named just before (earlier in the sentence, else in the sentence before)."""
    out: list[Finding] = []
    for j in joinings(ctx):
        earlier = [p for p in ctx.of_type(PROGRAM) if p.end <= j.clause_start]
        targets = earlier[-1:] or previous
        for org in j.bodies:
            for prog in targets:
                out.append(
                    Finding(org, "participatesIn", prog, ctx, j.confidence * j.factor, j.cue)
                )
    return out


@dataclass(frozen=True, slots=True)
class Relative:
    """``A (联合 B) 发起的 P``: a relative clause naming who runs a program."""

    lead: Span
    partner: Span | None
    program: Span
    cue: Hit


def relatives(ctx: SentenceContext) -> list[Relative]:
    """The relative clauses ``A (联合 B) <run cue> 的 P`` of a sentence where no frame
    acts at the cue (为 A 联合 B 发起的 P 点赞); a frame is read by trigger + object.
    Read once per sentence: the runs and cooperation readings both ask."""
    got = ctx.memo.get("relatives")
    if got is None:
        got = ctx.memo["relatives"] = _relatives(ctx) if ctx.spans else []
    return cast(list[Relative], got)


def _relatives(ctx: SentenceContext) -> list[Relative]:
    text = ctx.text
    out: list[Relative] = []
    for prog, h in _cue_de_programs(ctx):
        if ctx.frame_at(h.start) is not None:
            continue
        clause = ctx.clause_of(h.start)
        before = [s for s in clause.spans if s.end <= h.start]
        if not before or not before[-1].is_org:
            continue
        last = before[-1]
        if skip_adverbials(text, last.end, h.start) != h.start:
            continue
        head = text[clause.start : last.start].rstrip(QUOTES + " ")
        partner = cooperation_cues().ends_with(head, "partner")
        if partner is None:
            out.append(Relative(last, None, prog, h))
            continue
        # A 联合 B 发起的 P: B is A's partner
        prior = [s for s in before[:-1] if s.end <= clause.start + partner.start]
        if prior and prior[-1].is_org:
            out.append(Relative(prior[-1], last, prog, h))
    return out


def _cue_de_programs(ctx: SentenceContext) -> list[tuple[Span, Hit]]:
    """The programs written right after ``<run cue>的`` (发起的“P”), with each such cue
    (found from the programs: only sentences that have one are scanned for cues)."""
    text = ctx.text
    out: list[tuple[Span, Hit]] = []
    for prog in ctx.of_type(PROGRAM):
        de = prog.start - 1
        while de >= 0 and text[de] in QUOTES:
            de -= 1
        if de < 1 or text[de] != "的" or ctx.span_at(de + 1, (PROGRAM,)) is not prog:
            continue
        out.extend((prog, h) for h in ctx.hits(runs_cues(), "run", 0, de) if h.end == de)
    out.sort(key=lambda x: (x[1].start, x[1].start - x[1].end))
    return out


def _relative(ctx: SentenceContext) -> list[Finding]:
    """A (联合 B) 发起的 P: A runs P, B takes part."""
    out: list[Finding] = []
    for r in relatives(ctx):
        conf = r.cue.confidence
        out.append(Finding(r.lead, "runs", r.program, ctx, conf * 0.9, r.cue))
        if r.partner is not None:
            out.append(Finding(r.partner, "participatesIn", r.program, ctx, conf * 0.8, r.cue))
    return out


def _launched(ctx: SentenceContext) -> list[Finding]:
    """P (正式)成立 / 启动 / 揭牌 with P the subject of its clause: the body acting in the
    sentence before it (or carried into the sentence) launched P and runs it."""
    text = ctx.text
    runs = runs_cues()
    out: list[Finding] = []
    for clause in ctx.clauses:
        start = skip_adverbials(text, clause.start, clause.end)
        # the name opens the clause (its quote or year may have been skipped as adverbials)
        prog = clause.spans[0] if clause.spans else None
        if prog is None or prog.type != PROGRAM or prog.start > start:
            continue
        at = prog.end
        cue = runs.starts_at(text, at, "launched", clause.end)
        if cue is None:  # 近日正式启动, 在活动中发布: an adverbial or a place in between
            at = skip_adverbials(text, prog.end, clause.end)
            place = _PLACE.match(text, at, clause.end)
            at = place.end() if place is not None else at
            cue = runs.starts_at(text, at, "launched", clause.end)
        if cue is None:
            continue
        false = runs.starts_at(text, at, "false", clause.end)
        if false is not None and false.end > cue.end:
            continue  # P 成立以来 / 成立至今: a time, not the launch told here
        frame = ctx.frame_at(clause.start - 1) if clause.start else None
        frame = frame or ctx.carried
        if frame is None or not frame.leads:
            continue
        trig = Hit(at, at + cue.end, cue.cue, cue.role, cue.confidence)
        conf = cue.confidence * frame.factor
        out.extend(Finding(lead, "runs", prog, ctx, conf, trig) for lead in frame.named().leads)
    return out


#: A short place or occasion between a program and its launch verb (在活动中, 在会上).
_PLACE = re.compile(r"在[^,;:，；：。!?！？]{1,8}?(?:中|上|期间|现场)")


def _premises(ctx: SentenceContext) -> list[Finding]:
    """在 A (的)服务大厅, “P”窗口格外醒目: a program that opens the clause after a place
    of body A is A's own."""
    text = ctx.text
    runs = runs_cues()
    out: list[Finding] = []
    if "在" not in text or not any(s.type == PROGRAM for s in ctx.spans):
        return out
    for k, clause in enumerate(ctx.clauses[:-1]):
        start = skip_adverbials(text, clause.start, clause.end)
        if not text.startswith("在", start):
            continue
        orgs, end = org_list(ctx, start + 1, clause.end)
        if len(orgs) != 1:
            continue
        at = end + 1 if text.startswith("的", end) else end
        place = runs.starts_at(text, at, "premises", clause.end)
        if place is None or text[at + place.end : clause.end].strip(",，;；:： ") != "":
            continue
        nxt = ctx.clauses[k + 1]
        program = ctx.program_subject_at(nxt.start)
        if program is None or not nxt.start <= program.start < nxt.end:
            continue
        trig = Hit(at, at + place.end, place.cue, place.role, place.confidence)
        out.append(Finding(orgs[0], "runs", program, ctx, place.confidence, trig))
    return out


def _read_chain(ctx: SentenceContext, items: list[Span]) -> list[Finding]:
    """Trigger + object and possessor readings of one enumerated program list."""
    text = ctx.text
    first = items[0]
    clause = ctx.clause_of(first.start)
    before = [s for s in clause.spans if s.end <= first.start]
    out: list[Finding] = []
    possessor: Span | None = None
    if (
        before
        and before[-1].is_org
        and _POSSESSIVE_GAP.fullmatch(text[before[-1].end : first.start])
        and not _listed(ctx, before[-1])
    ):
        possessor = before[-1]
        out.append(Finding(possessor, "runs", first, ctx, POSSESSOR_CONFIDENCE))
        before = before[:-1]
    wstart = max(clause.start, before[-1].end if before else clause.start)
    wend = possessor.start if possessor is not None else first.start
    hits = [
        h
        for h in ctx.hits_of(runs_cues(), _CHAIN_ROLES, wstart, wend)
        if _gap_len(text[h.end : wend]) <= MAX_CUE_GAP
    ]
    if not hits:
        return out
    # a take-part cue governs the run cues after it (配合开展 P, 围绕落实深化 P)
    taking = [h for h in hits if h.role in ("join", "use")]
    pool = taking or hits
    hit = max(pool, key=lambda h: (h.end, h.end - h.start, _role_rank(h.role)))
    frame = ctx.frame_at(hit.start)
    if frame is None:
        return out
    pred = _PREDICATE[hit.role]
    conf = hit.confidence * frame.factor
    if possessor is not None and hit.role == "via":
        pred = "participatesIn"
    elif hit.role == "join" and _sends(ctx, clause.start, hit.start):
        pred, conf = "runs", conf * SENDER_FACTOR  # 组织 G 参加 P: the body organises P
    elif pred == "runs" and _modifies_event(ctx, items[-1]):
        pred = "participatesIn"  # 召开 P 新闻发布会: the body holds an event of P
    if _modifies(ctx, items[-1], "role_of"):
        return out  # 发挥 P 作用: the cue governs a role of P, not P
    # 支持工会开展 P: the unions of the frame run P, the bodies that support them take part
    backing = pred == "runs" and _backs_unions(ctx, clause.start, hit.start)
    for item in items:
        for lead in frame.leads:
            if possessor is not None and lead.key == possessor.key:
                continue
            if backing and lead.type != "UnionBody":
                out.append(Finding(lead, "participatesIn", item, ctx, conf * 0.9, hit))
                continue
            out.append(Finding(lead, pred, item, ctx, conf, hit))
        if pred == "runs":
            for partner in frame.partners:
                out.append(Finding(partner, "participatesIn", item, ctx, hit.confidence * 0.9, hit))
    return out


def _sends(ctx: SentenceContext, start: int, join: int) -> bool:
    """Whether the acting body sends people (not bodies) to take part: an ``arrange``
    cue (组织, 安排, 选派) before the join cue at ``join``, with no organisation
    between them (组织 360 名一线职工参加 P)."""
    arrange = ctx.hits(serves_cues(), "arrange", start, join)
    if not arrange:
        return False
    last = arrange[-1]
    return not any(s.is_org for s in ctx.spans_between(last.end, join))


def _modifies_event(ctx: SentenceContext, program: Span) -> bool:
    """Whether the program names what an event is about (召开“P”新闻发布会, 打造“P”主阵地):
    the run cue governs the event (an ``event_of`` noun right after the program)."""
    return _modifies(ctx, program, "event_of")


def _modifies(ctx: SentenceContext, program: Span, role: str) -> bool:
    """Whether a noun of ``role`` stands right after the program (quotes skipped): the
    program modifies it (P 新闻发布会, P 作用)."""
    at = program.end
    while at < len(ctx.text) and ctx.text[at] in QUOTES:
        at += 1
    return runs_cues().starts_at(ctx.text, at, role) is not None


def _backs_unions(ctx: SentenceContext, start: int, cue: int) -> bool:
    """Whether a ``support`` cue with a union word as its object (支持工会, 协助基层工会)
    stands in ``[start, cue)``: what follows is the unions' doing, backed by the rest."""
    runs = runs_cues()
    for h in ctx.hits(runs, "support", start, cue):
        if runs.starts_at(ctx.text, h.end, "supported", cue) is not None:
            return True
    return False


#: Confidence factor of a body that organises the people it sends (组织 G 参加 P).
SENDER_FACTOR = 0.8


def clause_of_break(text: str, pos: int) -> bool:
    """Whether a clause break (or a short head noun and a break) follows ``pos``.

    >>> clause_of_break("模式,构建", 0)
    True
    >>> clause_of_break("为载体", 0)
    False
    """
    tail = text[pos : pos + 6]
    m = _SHORT_TO_BREAK.match(tail)
    return m is not None


def _listed(ctx: SentenceContext, span: Span) -> bool:
    """Whether ``span`` follows a conjunction or partner cue (与 B, 联合 B): not a possessor."""
    head = ctx.text[: span.start].rstrip(QUOTES + " ")
    coop = cooperation_cues()
    return any(
        coop.ends_with(head, role) is not None for role in ("conj", "partner")
    ) or head.endswith("由")


def _role_rank(role: str) -> int:
    return {"join": 3, "use": 2, "via": 1}.get(role, 0)


def _carrier(ctx: SentenceContext) -> list[Finding]:
    """以 P 为载体: the acting body runs P."""
    text = ctx.text
    out: list[Finding] = []
    for p in ctx.of_type(PROGRAM):
        head = text[: p.start].rstrip(QUOTES + " ")
        if not head.endswith("以") or _YI_IN_WORD.search(head):
            continue
        items = chain(ctx, p, [PROGRAM])
        after = items[-1].end
        while after < len(text) and text[after] in QUOTES:
            after += 1
        hit = None
        for skip in range(CARRIER_GAP + 1):  # 以“P”协同为核心
            if after + skip >= len(text) or text[after + skip] in CLAUSE_BREAK:
                break
            hit = runs_cues().starts_with(text[after + skip :], "carrier")
            if hit is not None:
                after += skip
                break
        if hit is None:
            if clause_of_break(text, after):
                # 以 P, …: the program is the body's instrument
                hit = Hit(0, 0, "以", "via", INSTRUMENT_CONFIDENCE)
                at = len(head) - 1
                trig = Hit(at, at + 1, "以", "via", INSTRUMENT_CONFIDENCE)
            else:
                continue
        else:
            trig = Hit(after + hit.start, after + hit.end, hit.cue, hit.role, hit.confidence)
        frame = ctx.frame_at(p.start)
        if frame is None:
            continue
        clause = ctx.clause_of(p.start)
        if not any(clause.start <= s.start < clause.end for s in frame.leads):
            frame = frame.named()  # bodies joined for an earlier action do not carry on
        for item in items:
            for lead in frame.leads:
                out.append(Finding(lead, "runs", item, ctx, hit.confidence * frame.factor, trig))
    return out


@dataclass(frozen=True, slots=True)
class HostPhrase:
    """``由 A、B 主办(, C 承办)``: the hosts, the co-hosts and where the phrase ends."""

    agent: int  # view position of 由
    hosts: tuple[Span, ...]
    co_hosts: tuple[Span, ...]
    cue: Hit
    end: int


def host_phrases(ctx: SentenceContext) -> list[HostPhrase]:
    """The 由-phrases of a sentence whose agents are followed by a host cue (read once
    per sentence: the runs and cooperation readings both ask)."""
    got = ctx.memo.get("host_phrases")
    if got is None:
        got = ctx.memo["host_phrases"] = _host_phrases(ctx) if ctx.spans else []
    return cast(list[HostPhrase], got)


def _host_phrases(ctx: SentenceContext) -> list[HostPhrase]:
    text = ctx.text
    mtext = ctx.masked_text()
    out: list[HostPhrase] = []
    for agent in context_cues().find(mtext, "agent"):
        clause = ctx.clause_of(agent.start)
        orgs, end = org_list(ctx, agent.end, clause.end)
        if not orgs:
            continue
        at = skip_adverbials(text, end, clause.end)
        hosts = ctx.hits(runs_cues(), "host", at, clause.end)
        if not hosts:
            continue
        hit = min(hosts, key=lambda h: (h.start, -(h.end - h.start)))
        co: list[Span] = []
        pos = hit.end
        while True:  # …主办、B 承办 / …主办,B 协办
            m = _CO_HOST_SEP.match(text, pos)
            if m is None:
                break
            more, more_end = org_list(ctx, m.end(), len(text))
            if not more:
                break
            at2 = skip_adverbials(text, more_end, len(text))
            cue2 = runs_cues().starts_with(text[at2:], "host")
            if cue2 is None:
                break
            co.extend(more)
            pos = at2 + cue2.end
        out.append(HostPhrase(agent.start, tuple(orgs), tuple(co), hit, pos))
    return out


_CO_HOST_SEP = re.compile(r"[、,，]\s*")


def _host(ctx: SentenceContext) -> list[Finding]:
    """由 A、B 主办(、C 承办) P / P 由 A 发起 / 本次活动由 A 主办: every host runs P,
    every co-host (承办, 协办) takes part in it."""
    text = ctx.text
    out: list[Finding] = []
    for phrase in host_phrases(ctx):
        clause = ctx.clause_of(phrase.agent)
        after = [
            s
            for s in ctx.of_type(PROGRAM)
            if s.start >= phrase.end and _gap_len(text[phrase.end : s.start]) <= 12
        ][:1]
        conf = phrase.cue.confidence
        runners: tuple[Span, ...]
        if after:
            # the hosts are read by trigger + object through the host frame; co-hosts here
            targets, runners = after, ()
        else:
            targets = [s for s in clause.spans if s.type == PROGRAM and s.end <= phrase.agent]
            runners = phrase.hosts
            if not targets:
                subject = ctx.program_subject_at(phrase.agent)  # 该平台由…, 本次活动由…
                if subject is None:
                    continue
                targets = [subject]
                conf *= 0.8
        for prog in targets:
            out.extend(Finding(r, "runs", prog, ctx, conf, phrase.cue) for r in runners)
            # GUIDELINES: a co-organiser that is not the lead (承办, 协办) takes part
            out.extend(
                Finding(c, "participatesIn", prog, ctx, conf * 0.9, phrase.cue)
                for c in phrase.co_hosts
            )
    return out


def _joined_in_name(ctx: SentenceContext) -> list[Finding]:
    """P named 工会+法院+检察院…: the bodies joined in the name take part in P."""
    out = []
    for p in ctx.of_type(PROGRAM):
        for org, plus in ctx.joined_in_name(p):
            trig = Hit(plus, plus + 1, "+", "join", JOINED_NAME_CONFIDENCE)
            out.append(Finding(org, "participatesIn", p, ctx, JOINED_NAME_CONFIDENCE, trig))
    return out


def _owner_in_name(ctx: SentenceContext) -> list[Finding]:
    """A program named after its body (某市总工会职工之家驿站): the body at the head runs it."""
    out = []
    for p in ctx.of_type(PROGRAM):
        pos = p.start
        while pos < p.end and ctx.text[pos] in QUOTES:
            pos += 1
        for org in sorted(ctx.nested, key=lambda s: s.start):
            if not org.is_org or org.start != pos or org.end >= p.end:
                continue
            if ctx.text[org.end] == "+":
                break  # 工会+法院…: a list of partners, not an owner
            out.append(Finding(org, "runs", p, ctx, OWNER_CONFIDENCE))
            pos = org.end
    return out


def _support(ctx: SentenceContext) -> list[Finding]:
    """在 A 的支持下 / 在 A 的指导和 B 的布置下 / P 得到 A、B 的大力支持: the supporting
    bodies take part in the program of the sentence."""
    text = ctx.text
    out: list[Finding] = []
    if not any(s.is_org for s in ctx.spans):
        return out  # nobody to support
    mtext = ctx.masked_text()
    for m in _AT.finditer(mtext):
        orgs, end = org_list(ctx, m.end(), len(text))
        if not orgs or not text.startswith("的", end):
            continue
        tail = text[end + 1 : end + 1 + SUPPORT_REACH]
        stop = tail.find("下")
        if stop == -1:
            continue
        cue = runs_cues().starts_with(tail[:stop], "support")
        if cue is None:
            continue
        # more supporters before 下: 在 A 的指导和 B 的布置下
        more = [s for s in ctx.spans_between(end + 1, end + 1 + stop) if s.is_org]
        trig = Hit(end + 1, end + 1 + len(cue.cue), cue.cue, cue.role, cue.confidence)
        subjects = [p for _, p in ctx.program_subjects if p is not None]
        after = [s for s in ctx.of_type(PROGRAM) if s.start > end]
        # the program of the sentence: its subject, else the first named after 下
        progs = subjects[:1] or (chain(ctx, after[0], [PROGRAM]) if after else [])
        for org in [*orgs, *more]:
            for prog in progs:
                out.append(Finding(org, "participatesIn", prog, ctx, cue.confidence, trig))
    out.extend(_received_support(ctx))
    return out


#: How far after 在 A 的 its 下 may stand (在 A 的指导和 B 的布置下).
SUPPORT_REACH = 20


def _received_support(ctx: SentenceContext) -> list[Finding]:
    """P 得到(了) A、B(和诸多企业)的(大力)支持: A and B take part in P, the program that
    is the subject of the clause."""
    text = ctx.text
    runs = runs_cues()
    out: list[Finding] = []
    for r in ctx.hits(runs, "receive"):
        prog = ctx.program_subject_at(r.start)
        clause = ctx.clause_of(r.start)
        if prog is None:
            continue
        de = text.find("的", r.end, clause.end)
        while de != -1:
            cue = next(
                (
                    c
                    for k in range(SUPPORT_ADVERB + 1)
                    if (c := runs.starts_at(text, de + 1 + k, "support", clause.end))
                ),
                None,
            )
            if cue is not None:
                at = text.find(cue.cue, de + 1)
                trig = Hit(at, at + cue.end, cue.cue, cue.role, cue.confidence)
                orgs = [s for s in ctx.spans_between(r.end, de) if s.is_org]
                conf = min(cue.confidence, r.confidence)
                out.extend(Finding(o, "participatesIn", prog, ctx, conf, trig) for o in orgs)
                break
            de = text.find("的", de + 1, clause.end)
    return out


#: How many characters (大力, 鼎力) may stand between 的 and the support cue.
SUPPORT_ADVERB = 2


def _partners_take_part(ctx: SentenceContext, found: list[Finding]) -> list[Finding]:
    """Bodies joined with 联合/协同 take part in what their leads run in the same part
    of the sentence (up to a ';'), before or after the joining phrase."""
    text = ctx.text
    joined: list[tuple[int, int, frozenset[str], tuple[Span, ...]]] = []
    if not found:
        return []
    for at, frame in ctx.frames:
        if isinstance(frame, Frame) and frame.partners and frame.origin != "carried":
            lo, hi = _segment(text, at)
            joined.append((lo, hi, frozenset(s.key for s in frame.leads), frame.partners))
    out = []
    for f in found:
        if f.p != "runs":
            continue
        for lo, hi, leads, partners in joined:
            if f.s.key in leads and lo <= f.o.start < hi:
                for partner in partners:
                    out.append(
                        Finding(partner, "participatesIn", f.o, ctx, f.confidence * 0.85, f.trigger)
                    )
    return out


def _segment(text: str, pos: int) -> tuple[int, int]:
    """The part of a sentence between ';' marks that holds ``pos``."""
    lo = max(text.rfind(";", 0, pos), text.rfind("；", 0, pos)) + 1
    ends = [i for i in (text.find(";", pos), text.find("；", pos)) if i != -1]
    return lo, min(ends, default=len(text))
