"""The ``cooperation`` extractor: organisation <-> organisation (``cooperatesWith``).

Patterns (cues from ``ontology/lexicon/triggers_cooperation.tsv``):

* **partner**: the acting frame, then ``联合 / 协同 / 携手 / 会同 B、C``: the acting
  bodies cooperate with each listed body (one relation per partner).
* **与-list**: ``(A) 与 B、C … <joint cue>`` (签订, 共建, 联合, 召开联席会议…) or
  ``与 B 的 <relation noun>`` (协作, 合作): the acting bodies cooperate with each.
* **joint subject / host list**: ``A、B 共同…``, ``由 A、B、C 主办``: co-equal bodies
  cooperate pairwise; ``由 A 主办、B 承办``: the first host with each co-host.

* **co-runners**: bodies that run one program with one cue (``A、B 在…举行 P``)
  cooperate pairwise; bodies joined to a subject with 与 (``A 与 B、C 建立 P``) are
  the subject's partners, not each other's (unless a co_equal cue follows: A 与 B
  联合…).
* **joiners**: ``B、C 等多部门参与`` with no object: each cooperates with the actor
  carried into the sentence (not with each other).
* **attendees**: ``A、B、C 负责人参加会议``: the union among them meets each other one.
* **members**: ``以 A、B、C 负责人为成员``, ``A、B 等成员单位``: joint cues, pairwise.
* **relative clause**: ``为 A 联合 B 发起的 P 点赞``: A cooperates with B.
* **joined in the name**: the runner of ``“工会+法院+检察院”平台`` cooperates with the
  bodies named inside it.

A cue saying that the bodies act separately (分别, 各自) cancels the joint-subject
reading.  Nothing is read from bare co-occurrence.
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.extract.base import AnalyzedArticle
from kg.extract.relations._context import (
    Clause,
    Frame,
    SentenceContext,
    Span,
    analyse,
    org_list,
    partner_list,
    skip_adverbials,
)
from kg.extract.relations._findings import Finding, to_triples
from kg.extract.relations._lexicon import Hit, cooperation_cues
from kg.extract.relations.programs import (
    JOINED_NAME_CONFIDENCE,
    host_phrases,
    joinings,
    program_findings,
    relatives,
)
from kg.model import Triple

PREDICATE = "cooperatesWith"
#: How far after a 与-list a joint cue may stand (characters).
JOINT_WINDOW = 14
#: The longest list of co-equal bodies linked pairwise (longer ones: the first to each).
MAX_PAIRWISE = 5


class CooperationExtractor:
    """Yield ``cooperatesWith`` triples, one per pair and sentence."""

    name = "cooperation"

    def __call__(self, article: AnalyzedArticle) -> Iterator[Triple]:
        found: list[Finding] = []
        for ctx in analyse(article).sentences:
            if not ctx.spans:
                continue  # no body named: no pair (carried frames are never joint)
            joint = _joint_frames(ctx)
            for k, clause in enumerate(ctx.clauses):
                if any(s.is_org for s in clause.spans):  # both need a body named here
                    found.extend(_partner(ctx, clause))
                    found.extend(_with_list(ctx, clause))
                if k in joint:
                    found.extend(_joint_subject(ctx, clause, joint[k]))
        found.extend(_joined_in_name(article))
        found.extend(_relative_partners(article))
        found.extend(_joiners(article))
        found.extend(_attendees(article))
        found.extend(_co_hosts(article))
        found.extend(_co_runners(article))
        yield from to_triples(article, found, self.name)


def _pairs(
    agents: tuple[Span, ...] | list[Span],
    others: list[Span],
    ctx: SentenceContext,
    conf: float,
    hit: Hit | None,
) -> list[Finding]:
    return [
        Finding(a, PREDICATE, b, ctx, conf, hit) for a in agents for b in others if a.key != b.key
    ]


def _partner(ctx: SentenceContext, clause: Clause) -> list[Finding]:
    out: list[Finding] = []
    for h in ctx.hits(cooperation_cues(), "partner", clause.start, clause.end):
        items, _ = partner_list(ctx, h.end, clause.end)
        if not items:
            continue
        frame = ctx.frame_at(h.start)
        if frame is None:
            continue
        out.extend(_pairs(frame.leads, items, ctx, h.confidence * frame.factor, h))
    return out


def _with_list(ctx: SentenceContext, clause: Clause) -> list[Finding]:
    coop = cooperation_cues()
    text = ctx.text
    out: list[Finding] = []
    for h in ctx.hits(coop, "conj", clause.start, clause.end):
        if h.cue == "、":
            continue
        items, end = org_list(ctx, h.end, clause.end)
        if not items:
            continue
        after = skip_adverbials(text, end, clause.end)
        window_end = min(clause.end, after + JOINT_WINDOW)
        if ctx.hits(coop, "separate", h.start, window_end):
            continue
        rel = None
        if text.startswith("的", after):
            rel = coop.starts_with(text[after + 1 : clause.end], "relation")
            if rel is not None:
                rel = Hit(after + 1, after + 1 + len(rel.cue), rel.cue, rel.role, rel.confidence)
        cue = rel
        if cue is None:
            # from the list's end: an adverbial may itself say "together" (同步, 共同)
            joints = ctx.hits(coop, "joint", end, window_end)
            if not joints:
                # a joint verb swallowed by the next name (与 B “共建协作机制”)
                raw = coop.starts_with(text[after:window_end], "joint")
                if raw is None:
                    continue
                joints = [Hit(after, after + len(raw.cue), raw.cue, raw.role, raw.confidence)]
            cue = min(joints, key=lambda j: (j.start, -(j.end - j.start)))
        # the agents: the org just before the conjunction, else the acting frame
        before = [s for s in clause.spans if s.end <= h.start]
        if before and before[-1].is_org and before[-1].end == h.start:
            agents: tuple[Span, ...] = tuple(org_list(ctx, before[-1].start, clause.end)[0][:1])
            # the whole subject list when the conjunction joins it (A、B与C)
            frame = ctx.frame_at(h.start)
            if frame is not None and any(s.key == before[-1].key for s in frame.leads):
                agents = tuple(s for s in frame.leads if s.key not in {i.key for i in items})
            factor = 1.0
        else:
            frame = ctx.frame_at(h.start)
            if frame is None:
                continue
            # the named subject: bodies joined to it for another action (与 B 签署…,
            # 与 C 合作) are not its partners in this one
            agents = tuple(s for s in frame.named().leads if s.key not in {i.key for i in items})
            factor = frame.factor
        out.extend(_pairs(agents, items, ctx, cue.confidence * factor, cue))
    return out


def _joined_in_name(article: AnalyzedArticle) -> list[Finding]:
    """The runner of a program named 工会+法院+检察院… cooperates with the bodies in it."""
    out: list[Finding] = []
    for f in program_findings(article):
        if f.p != "runs":
            continue
        for org, plus in f.ctx.joined_in_name(f.o):
            hit = Hit(plus, plus + 1, "+", "joint", JOINED_NAME_CONFIDENCE)
            out.append(Finding(f.s, PREDICATE, org, f.ctx, JOINED_NAME_CONFIDENCE, hit))
    return out


def _joiners(article: AnalyzedArticle) -> list[Finding]:
    """B、C 等多部门参与 / 参与其中: the bodies that join cooperate with the actor carried
    into the sentence (what they join is its doing), not with each other."""
    out: list[Finding] = []
    for ctx in analyse(article).sentences:
        if ctx.carried is None:
            continue
        for j in joinings(ctx):
            if j.clause_start != ctx.clauses[0].start:
                continue  # only a sentence's opening subject joins the actor carried in
            conf = j.confidence * ctx.carried.factor
            out.extend(_pairs(ctx.carried.leads, list(j.bodies), ctx, conf, j.cue))
    return out


def _attendees(article: AnalyzedArticle) -> list[Finding]:
    """A、B、C(的负责人…)参加会议: bodies that attend one meeting act together; the union
    among them (else the first) is linked to each other one (they met, nothing more)."""
    coop = cooperation_cues()
    out: list[Finding] = []
    for ctx in analyse(article).sentences:
        for at, frame in ctx.frames:
            if frame is None or frame.origin != "subject":
                continue
            clause = ctx.clause_of(at)
            named = [s for s in frame.leads if clause.start <= s.start < clause.end]
            if len(named) < 2:
                continue
            last = max(s.end for s in named)
            hits = ctx.hits(coop, "attend", last, min(clause.end, last + ATTEND_WINDOW))
            if not hits:
                continue
            hub = next((b for b in named if b.type == "UnionBody"), named[0])
            others = [b for b in named if b is not hub]
            out.extend(_pairs((hub,), others, ctx, hits[0].confidence * frame.factor, hits[0]))
    return out


#: How far after the last attending body its 参加会议 may stand (分管领导及…负责人近40人).
ATTEND_WINDOW = 24


def _relative_partners(article: AnalyzedArticle) -> list[Finding]:
    """A 联合 B 发起的 P: A cooperates with its partner B."""
    out: list[Finding] = []
    for ctx in analyse(article).sentences:
        for r in relatives(ctx):
            if r.partner is not None:
                conf = r.cue.confidence * 0.85
                out.append(Finding(r.lead, PREDICATE, r.partner, ctx, conf, r.cue))
    return out


def _co_hosts(article: AnalyzedArticle) -> list[Finding]:
    """由 A 主办、B 承办: the first host cooperates with each co-host."""
    out: list[Finding] = []
    for ctx in analyse(article).sentences:
        for phrase in host_phrases(ctx):
            first = phrase.hosts[0]
            conf = phrase.cue.confidence * 0.95
            out.extend(_all_pairs(phrase.hosts, ctx, conf, phrase.cue))
            out.extend(_pairs((first,), list(phrase.co_hosts), ctx, conf, phrase.cue))
    return out


def _co_runners(article: AnalyzedArticle) -> list[Finding]:
    """Bodies that run one program with one cue (A、B在…举行P) act together."""
    out: list[Finding] = []
    groups: dict[tuple[int, str, int], list[Finding]] = {}
    for f in program_findings(article):
        if f.p == "runs" and f.trigger is not None:
            key = (f.ctx.sentence.index, f.o.key, f.trigger.start)
            groups.setdefault(key, []).append(f)
    for fs in groups.values():
        bodies: list[Span] = []
        for f in fs:
            if all(b.key != f.s.key for b in bodies):
                bodies.append(f.s)
        trigger, ctx = fs[0].trigger, fs[0].ctx
        if len(bodies) < 2 or trigger is None:
            continue
        start = min(b.start for b in bodies)
        if ctx.hits(cooperation_cues(), "separate", start, trigger.end):
            continue  # A和B分别开展P: each its own
        frame = ctx.frame_at(trigger.start)
        if frame is not None and frame.core > 0:
            # A 与 B、C 建立 P: the bodies joined to A are A's partners, not each other's
            core = {s.key for s in frame.leads[: frame.core]}
            joined = [b for b in bodies if b.key not in core]
            named = [b for b in bodies if b.key in core]
            conf = min(f.confidence for f in fs) * 0.9
            out.extend(_all_pairs(named, ctx, conf, trigger))
            out.extend(_pairs(named, joined, ctx, conf, trigger))
            continue
        start = min(b.start for b in bodies)
        if ctx.hits(cooperation_cues(), "separate", start, trigger.end):
            continue  # A和B分别开展P: each its own
        conf = min(f.confidence for f in fs) * 0.9
        out.extend(_all_pairs(bodies, ctx, conf, trigger))
    return out


def _joint_frames(ctx: SentenceContext) -> dict[int, list[Frame]]:
    """The frames that may be a joint subject (two or more named leads), by clause index."""
    out: dict[int, list[Frame]] = {}
    for at, frame in ctx.frames:
        if frame is None or len(frame.leads) < 2:
            continue
        if frame.origin not in ("subject", "host", "local"):
            continue
        for k, clause in enumerate(ctx.clauses):
            if clause.start <= at < clause.end:
                out.setdefault(k, []).append(frame)
    return out


def _joint_subject(ctx: SentenceContext, clause: Clause, frames: list[Frame]) -> list[Finding]:
    """A、B (共同) <joint cue> / 由 A、B 主办: the first body with each other one."""
    coop = cooperation_cues()
    out: list[Finding] = []
    joining = {b.key for j in joinings(ctx) for b in j.bodies}
    for frame in frames:
        if all(s.key in joining for s in frame.leads):
            continue  # bodies that join another's doing (B、C 参与, 共同…): not co-equal
        last = max(s.end for s in frame.leads)
        if ctx.hits(coop, "separate", last, clause.end):
            continue
        # the subject may be continued from the clause before (A、B、<unnamed>,共同举办)
        reach = max(last, clause.start) + JOINT_WINDOW
        joints = ctx.hits(coop, "joint", last, min(clause.end, reach))
        if not joints:
            continue
        cue = min(joints, key=lambda j: (j.start, -(j.end - j.start)))
        conf = cue.confidence * 0.95
        if frame.core > 0:
            # A 与 B、C 签署: the named subject with each body joined to it, not the
            # joined bodies with each other (GUIDELINES: X联合A、B)
            core, joined = frame.leads[: frame.core], list(frame.leads[frame.core :])
            out.extend(_all_pairs(core, ctx, conf, cue))
            out.extend(_pairs(core, joined, ctx, conf, cue))
        else:
            out.extend(_all_pairs(frame.leads, ctx, conf, cue))
    return out


def _all_pairs(
    bodies: tuple[Span, ...] | list[Span], ctx: SentenceContext, conf: float, hit: Hit | None
) -> list[Finding]:
    """Co-equal bodies (A、B、C联合印发) cooperate pairwise (GUIDELINES: cooperatesWith).

    A longer list (十部门联合印发) links its union (else its first body) to each other
    one: n·(n-1)/2 pairs of a long enumeration say no more than that they signed one
    document.
    """
    out: list[Finding] = []
    if len(bodies) > MAX_PAIRWISE:
        # union news: the union of the list is its hub, else the body named first
        hub = next((b for b in bodies if b.type == "UnionBody"), bodies[0])
        return _pairs((hub,), [b for b in bodies if b is not hub], ctx, conf, hit)
    for i, a in enumerate(bodies):
        out.extend(_pairs((a,), list(bodies[i + 1 :]), ctx, conf, hit))
    return out
