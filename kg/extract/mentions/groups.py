"""Worker-group candidates.

* **worker groups** – labels of the SKOS vocabulary.
"""

from __future__ import annotations

import re

from kg.extract.mentions.context import Candidate, _Spans
from kg.extract.mentions.scan import _Hits, _lengths, _starts_with_any
from kg.lexicon.orgs import org_lexicon
from kg.lexicon.programs import program_cues
from kg.text.norm import is_han as _is_han

_UNIT_CHARS = frozenset("部院厂司所站队校局馆社组")


# (precompiled: a pattern given as a string is looked up in re's cache at every call)
_LONG_QUOTE = re.compile(r"“[^“”]{6,}”")
_CLAUSE_MARK = re.compile(r"[,。!?;，！？；]")
_LIST_BREAK = re.compile(r"[,。;、!?:]")
_CLAUSE_BREAK = re.compile(r"[,。;!?:]")
_MADE_OF = re.compile(r"[^,。;]{0,12}?(?:构成|组成)")


def _person_title(text: str, s: int, e: int) -> bool:
    """A group word used as one person's title: 快递员王某某, 试制部高级技师, 学院教师.

    >>> _person_title("快递员王某某专程致谢", 0, 3), _person_title("为快递员送清凉", 1, 4)
    (True, False)
    """
    if "某" in text[e + 1 : e + 3]:  # an anonymised person: 快递员王某某
        return True
    return s > 0 and text[s - 1] in _UNIT_CHARS


def _speech_spans(text: str) -> list[tuple[int, int]]:
    """Quoted speech: a quotation with a clause break inside (“…,一定要爱惜每一位矿工…”)."""
    return [m.span() for m in _LONG_QUOTE.finditer(text) if _CLAUSE_MARK.search(m.group())]


def _honoured(text: str, s: int) -> bool:
    """The group word names honourees: 评选全国劳动模范, 选拔出19名优秀青年职工."""
    before = text[max(0, s - 10) : s]
    before = _LIST_BREAK.split(before)[-1]
    return any(v in before for v in org_lexicon().words("honour_verb"))


# a short parenthesis right after a group label: 劳模(职工)创新工作室
_PAREN_AFTER = re.compile(r"\([^()]{1,6}\)")


# a list ending in 等志愿者 after a group label: the group names the volunteers
_VOLUNTEERS = re.compile(r"(?:[、和与及][\u4e00-\u9fff]{2,6}?)*等?志愿者")


_ACTOR_GAP = re.compile(r"(?:们|人才|代表|先进|志愿者)?(?:[、和与及][\u4e00-\u9fff]{2,6})*")


def _acting(text: str, s: int, e: int) -> bool:
    """The group word names people acting for others: 劳模工匠深入一线, 由专家、劳模组成,
    发挥劳模的示范作用.

    >>> _acting("组织劳模工匠们深入企业", 2, 6), _acting("为劳模工匠送清凉", 1, 5)
    (True, False)
    """
    lex = org_lexicon()
    if _VOLUNTEERS.match(text, e):
        return True  # 引导专业教师、大学生等志愿者参与: the helpers, not the group served
    gap = _ACTOR_GAP.match(text, e)
    after = gap.end() if gap else e
    if _starts_with_any(text[after : after + 4], lex.words("actor_verb")):
        return True
    if _starts_with_any(text[e : e + 4], lex.words("actor_verb")):
        return True
    lead = _CLAUSE_BREAK.split(text[max(0, s - 12) : s])[-1]
    verbs = lex.words("actor_lead")
    if "由" in verbs and "由" in lead and _MADE_OF.match(text[e:]):
        return True
    return any(lead.endswith(v) for v in verbs - {"由"}) and "的" in text[e : e + 2]


def _group_candidates(hits: _Hits, taken: list[tuple[int, int]]) -> list[Candidate]:
    out: list[Candidate] = []
    heads = org_lexicon().words("group_head")
    if not hits.groups and not any(h in hits.text for h in heads):
        return out
    occupied = _Spans(len(hits.text), list(taken) + _speech_spans(hits.text))
    blockers = org_lexicon().words("group_blocker")
    for s, e, name in sorted(hits.groups, key=lambda h: (-(h[1] - h[0]), h[0])):
        if occupied.overlaps(s, e):
            continue
        occupied.add(s, e)
        paren = _PAREN_AFTER.match(hits.text, e)  # 劳模(职工)创新工作室
        after = paren.end() if paren else e
        if any(hits.text[after : after + k] in blockers for k in _lengths(blockers)):
            continue  # 劳模精神, 劳模工匠代表: part of another name, not the group
        if _person_title(hits.text, s, e) or _honoured(hits.text, s) or _acting(hits.text, s, e):
            continue
        m = _group_modifier(hits, s, occupied)
        if m < s:  # a narrower group, named as written: 相对困难职工
            occupied.add(m, s)
            text = hits.text[m:e]
            out.append(
                Candidate("WorkerGroup", m, e, text, "worker_group.modified", 0.8, name=text)
            )
            continue
        out.append(Candidate("WorkerGroup", s, e, hits.text[s:e], "worker_group", 0.9, name=name))
    out.extend(_headed_groups(hits, occupied))
    out.sort(key=lambda c: c.start)
    return out


def _group_modifier(hits: _Hits, s: int, occupied: _Spans) -> int:
    """Where a modifier of the group label at ``s`` starts (``s`` when there is none):
    a word of the ``group_modifier`` class, or a native place (甘肃籍, 甘肃籍内地).

    >>> from kg.extract.mentions.scan import _scan
    >>> _group_modifier(_scan("帮助甘肃籍务工人员"), 5, _Spans(9))
    2
    """
    text = hits.text
    mods = org_lexicon().words("group_modifier")
    for k in _lengths(mods):
        m = s - k
        if m >= 0 and text[m:s] in mods and not occupied.overlaps(m, s):
            return m
    m = _native_place(hits, s)
    if m < s and not occupied.overlaps(m, s):
        return m
    return s


_AFTER_NATIVE = ("", "内地", "外地", "本地", "异地")


def _native_place(hits: _Hits, s: int) -> int:
    """The start of a native place (a region and 籍) before ``s``, else ``s``."""
    text = hits.text
    for after in _AFTER_NATIVE:
        k = s - len(after) - 1
        if k < 1 or text[k] != "籍" or text[k + 1 : s] != after:
            continue
        regions = hits.regions_end.get(k)
        if regions:
            return regions[0][0]  # (longest first)
    return s


def _headed_groups(hits: _Hits, occupied: _Spans) -> list[Candidate]:
    """Groups named by a trade and a group head word (茶叶从业人员), kept verbatim."""
    text = hits.text
    out: list[Candidate] = []
    scopes = program_cues().generic_modifiers
    for head in org_lexicon().words("group_head"):
        k = -1
        while (k := text.find(head, k + 1)) >= 0:
            e = k + len(head)
            if occupied.overlaps(k, e):
                continue
            m = k
            while m > 0 and k - m < 4 and _is_han(text[m - 1]) and m not in hits.program_stop_ends:
                m -= 1
            for n in _lengths(scopes):
                if text[m : m + n] in scopes:
                    m += n  # 全市餐饮从业人员: the scope is not part of the group
                    break
            if k - m < 2 or occupied.overlaps(m, k):
                continue
            occupied.add(m, e)
            out.append(
                Candidate(
                    "WorkerGroup", m, e, text[m:e], "worker_group.headed", 0.6, name=text[m:e]
                )
            )
    return out
