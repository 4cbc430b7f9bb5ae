"""Program candidates.

* **programs** – quoted names with a program cue (a cue word after, a verb
  before) and unquoted noun phrases ending in a program head word.
"""

from __future__ import annotations

import re
from functools import cache

from kg.extract.mentions.context import Candidate, _Spans
from kg.extract.mentions.regions import _chain_after
from kg.extract.mentions.scan import (
    _CLASSIFIERS,
    VERBAL_TAGS,
    _common_word,
    _ends_with_any,
    _Hits,
    _is_word_char,
    _lengths,
    _pos_tags,
    _scan_back,
    _starts_with_any,
)
from kg.lexicon.orgs import org_lexicon
from kg.lexicon.programs import program_cues
from kg.text.norm import is_han as _is_han

_MAX_PROGRAM = 24


_QUOTE_CHARS = re.compile(r"[“「\"《]")  # what an opening quote of _QUOTE_RE can be


# (a title in 《》 is a document unless a program head follows it: 《X法》宣传周)
_QUOTE_RE = re.compile(
    r"“([^“”\n]{2,40})”|「([^「」\n]{2,40})」|\"([^\"\n]{2,40})\"|《([^《》\n]{2,40})》"
)


_BAD_IN_QUOTE = re.compile(r"[。!?！？;；:：]")


# (precompiled: a pattern given as a string is looked up in re's cache at every call)
_NEGATION = re.compile("[不未没]")
_ITEM_BREAK = re.compile(r"[、,]")
_BRACKETED = re.compile(r"\([^()]*\)")


@cache
def _specific_heads() -> frozenset[str]:
    """Program heads of two or more characters that the text does not vary (项目, 计划)."""
    cues = program_cues()
    return frozenset(w for w in cues.heads - cues.generic - cues.carriers if len(w) >= 2)


_INTRO_RE = re.compile(
    r"了?(?:\d+年度?)?(?:\d+[余多]?[家个座项名支处]|一系列|[一两几多数][批系列个套支场项家座条])?"
    r"(?:[\u4e00-\u9fff]{0,4}的)?"
)


def _introduced(hits: _Hits, p0: int) -> bool:
    """A verb ends at ``p0``, or before it with only 了 / a quantity / ``adj 的`` between."""
    if p0 in hits.verb_ends:
        return True
    text = hits.text
    for q in range(p0 - 1, max(p0 - 9, -1), -1):
        if q in hits.verb_ends and _INTRO_RE.fullmatch(text[q:p0]):
            return True
    return False


_NUMERAL_SLOGAN = re.compile(r"[一二三四五六七八九十两百千]+\w?")


_PREPOSITIONS = frozenset("在为到对向把将被让给从于以")


# a count right after a phrase: 举办培训班120期, 开展活动3000余场次, 受理项目171项
_COUNT_AFTER = re.compile(
    r"\s?(?:\d+(?:\.\d+)?[万千百]?|[一二三四五六七八九十两百千万]+)[余多]?"
    r"(?:场次|人次|期|场|次|项|轮|届)"
)


_QUANTITY_RE = re.compile(r"[一两几多数每各]+[批个座家条支项场所处套位名]+")


def _last_federation_end(hits: _Hits, p0: int, s: int) -> int:
    """End of the last 总工会 inside ``[p0, s)`` (a program name does not swallow a body)."""
    ends = [
        e
        for (b, e, cls, d) in hits.orgs
        if cls == "D" and p0 <= b and e <= s and d.surface == "总工会"
    ]
    return max(ends, default=p0)


def _strip_droppable(tail: str) -> str:
    """``tail`` without trailing generic heads and carriers (工匠学院模式 -> 工匠学院)."""
    words = _heads_longest_first(True)  # (sorted once; of equal length only one can end it)
    changed = True
    while changed:
        changed = False
        for w in words:
            if tail.endswith(w) and len(tail) > len(w):
                tail = tail[: -len(w)]
                changed = True
                break
    return tail


@cache
def _heads_longest_first(with_carriers: bool) -> tuple[str, ...]:
    """Generic program heads (and carriers), longest first, sorted once."""
    cues = program_cues()
    words = cues.generic | cues.carriers if with_carriers else cues.generic
    return tuple(sorted(words, key=len, reverse=True))


def _made_of(tail: str, words: tuple[str, ...]) -> bool:
    """True when ``tail`` is a sequence of ``words`` (longest match first)."""
    while tail:
        w = next((w for w in words if tail.startswith(w)), None)
        if w is None:
            return False
        tail = tail[len(w) :]
    return True


def _only_generic_heads(tail: str) -> bool:
    """True when ``tail`` is only generic heads (活动, 机制), no carrier (平台)."""
    return _made_of(tail, _heads_longest_first(False))


def _only_droppable(tail: str) -> bool:
    """True when ``tail`` is only generic heads and carriers (制度, 微信小程序)."""
    return _made_of(tail, _heads_longest_first(True))


def _slogan(inner: str) -> bool:
    """Quoted words that are a slogan or an abbreviation, not a program name.

    >>> _slogan("十四五"), _slogan("比、学、赶、超"), _slogan("一函两书"), _slogan("订单式")
    (True, True, False, True)
    >>> _slogan("点对点"), _slogan("心连心"), _slogan("一图清")
    (True, True, False)
    """
    return (
        inner.startswith(("如何", "怎样", "怎么", "为什么", "什么", "为何"))
        or ("的" in inner and len(inner) > 10)  # a sentence, not a name
        or len(inner) <= 2
        or (len(inner) <= 3 and inner[-1] in "化式型性")  # 专班化, 订单式: a manner
        or bool(_NEGATION.search(inner))  # 已领取未核销: a state, not a name
        or bool(_NUMERAL_SLOGAN.fullmatch(inner))
        or (len(inner) == 3 and inner[0] == inner[2])  # 一对一, 面对面: a manner
        or inner.endswith("+")
        or inner.count("、") >= 1
        or inner.count(",") >= 1
    )


def _enumeration(inner: str) -> bool:
    """A list of one- or two-character words (比、学、赶、超): a slogan.

    >>> _enumeration("比、学、追、赶、超"), _enumeration("春风送暖,温情帮扶")
    (True, False)
    """
    items = _ITEM_BREAK.split(inner)
    return len(items) >= 3 and sum(map(len, items)) / len(items) <= 2.5


_CHAIN_SPLIT = re.compile(r"[—\-+→]+")


def _chain(inner: str) -> bool:
    """Three or more word steps joined by dashes or plus signs (发现—移交—处置): a
    process or a list of parts, a program name only with a specific head after it.

    >>> _chain("受理—调解—回访"), _chain("技能+服务+保障"), _chain("5+1+N"), _chain("工会+N")
    (True, True, False, False)
    """
    parts = _CHAIN_SPLIT.split(inner)
    return len(parts) >= 3 and all(p and any(map(_is_han, p)) for p in parts)


def _drop_modifiers(tail: str) -> str:
    """``tail`` without leading 的 and generic modifiers (的多元共治模式 -> 共治模式).

    >>> _drop_modifiers("的常态化服务机制")
    '服务机制'
    """
    words = sorted(program_cues().generic_modifiers, key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        tail = tail.lstrip("的")
        for w in words:
            if tail.startswith(w):
                tail = tail[len(w) :]
                changed = True
                break
    return tail


_PAREN = re.compile(r"\([^()]{1,8}\)")


_QUOTE_RUN = re.compile(r"(?:[、和及与]?“[^“”]{1,40}”)+")


_COORDINATED = re.compile(r"[\u4e00-\u9fff]{2,8}[与和及][\u4e00-\u9fff]{2,8}")


_QUOTES_BEFORE = re.compile(r"(?:“[^“”]{1,40}”[、和与及]?)+$")


def _verb_before(text: str, qs: int, verbs: frozenset[str]) -> bool:
    """One of ``verbs`` right before the quote, possibly with 了, or before a run of
    quotes that this one continues (强调“A”“B”).

    >>> outcome = program_cues().outcome_verbs
    >>> _verb_before("形成了“X”", 3, outcome), _verb_before("开展“X”", 2, outcome)
    (True, False)
    >>> _verb_before("强调“甲乙”“丙丁”", 6, program_cues().speech_verbs)
    True
    """
    run = _QUOTES_BEFORE.search(text, max(0, qs - 90), qs)
    if run is not None:
        qs = run.start()
    before = text[max(0, qs - 4) : qs]
    before = before[:-1] if before.endswith("了") else before
    return _ends_with_any(before, verbs)


def _verb_before_quote(hits: _Hits, qs: int) -> bool:
    """A program verb right before the quote (开展“X”, 开展了“X”), or before an
    enumeration that the quote ends (依托A和“B”, 开展“A”“B”)."""
    text = hits.text
    if qs in hits.program_verb_ends:
        return True
    if qs >= 1 and text[qs - 1] == "了" and (qs - 1) in hits.program_verb_ends:
        return True
    if qs >= 1 and text[qs - 1] in "和、及与”等":
        p = qs - 1
        while p > 0 and qs - p <= 16:
            if p in hits.verb_ends:
                return True
            ch = text[p - 1]
            if not (_is_word_char(ch) or ch in "、“”和及与"):
                return False
            p -= 1
    return False


def _runs_on(hits: _Hits, e: int) -> bool:
    """The head word ending at ``e`` runs on into a longer noun (服务格局, 活动经费), so it
    does not end the phrase; a verb, a particle or punctuation after it ends it."""
    text = hits.text
    return (
        e < len(text)
        and _is_han(text[e])
        and text[e] not in "的等和与及中"
        and e not in hits.verb_starts
        and e not in hits.program_verb_starts
        and (e + 1) not in hits.program_stop_ends
        and (e + 2) not in hits.program_stop_ends
        and not text.startswith("建设", e)
    )


def _program_candidates(hits: _Hits, taken: list[tuple[int, int]]) -> list[Candidate]:
    text = hits.text
    if not hits.heads and "等" not in text and not _QUOTE_CHARS.search(text):
        return []  # no quote, no head word, no listing: no program can be named here
    cues = program_cues()
    heads_at: dict[int, list[tuple[int, str]]] = {}
    for s, e, w in hits.heads:
        heads_at.setdefault(s, []).append((e, w))
    for lst in heads_at.values():
        if len(lst) > 1:
            lst.sort(reverse=True)
    out: list[Candidate] = []
    quoted_spans: list[tuple[int, int]] = []
    taken_spans = _Spans(len(text), taken)
    for m in _QUOTE_RE.finditer(text):
        qs, qe = m.span()
        inner = m[1] or m[2] or m[3] or m[4]  # (the one group that matched: 2+ characters)
        title = m[4] is not None
        quoted_spans.append((qs, qe))
        # “ABC”关爱品牌, “5+1+N”化解机制: letters, digits and + need a head word after them
        latin = inner.isascii() and inner.replace("+", "").isalnum() and len(inner) >= 2
        if _BAD_IN_QUOTE.search(inner) or inner.count(",") > 1:
            continue
        if not (latin or any(map(_is_han, inner))):
            continue
        # a cue after: a head word at the closing quote, after 等, or after a short modifier
        head_end = None
        adjacent = False
        p = qe
        run = _QUOTE_RUN.match(text, p)  # “A”“B”等服务: the cue after 等 is every quote's
        if run is not None and text.startswith("等", run.end()):
            p = run.end()
        listed = p < len(text) and text[p] == "等"
        if listed:
            p += 1
        paren = _PAREN.match(text, p)  # “ABC”(爱彼此)关爱品牌
        if paren:
            p = paren.end()
        q = p
        while q < len(text) and q - p <= 12:
            if (
                q in heads_at
                and not (
                    heads_at[q][0][0] - q == 1 and q > qe and _common_word(text[q - 1 : q + 1])
                )
                and not _common_word(text[q : heads_at[q][0][0] + 1])
            ):
                # (a head inside a common word is none: 行 of 言行, 工作 of 工作者)
                head_end = heads_at[q][0][0]
                while head_end in heads_at:  # 工作+平台, 服务+品牌
                    head_end = heads_at[head_end][0][0]
                adjacent = q == qe
                if _runs_on(hits, head_end) and _verb_before(text, qs, cues.outcome_verbs):
                    head_end, adjacent = None, False  # 形成“X”服务格局: 格局 is the head
                break
            if not _is_word_char(text[q]) or text[q] in "和与及" or (text[q] == "的" and q != p):
                break
            if q + 1 in hits.program_stop_ends and text[q] != "的":
                break  # a verb in between: 预防+赋能”构建…机制 is not one name
            q += 1
        if title and (head_end is None or not adjacent):
            continue  # 《关于…的意见》: a document, not a program
        verb_before = _verb_before_quote(hits, qs)
        modifier_start = qs
        if head_end is not None and adjacent:
            qfloor = taken_spans.floor(qs)
            ms = _scan_back(hits, qs, qfloor, hits.org_stop_ends, 8)
            ms = max([i + 1 for i in range(ms, qs) if text[i] in _PREPOSITIONS] + [ms])
            if (
                qs - ms >= 2
                and all(_is_word_char(c) for c in text[ms:qs])
                and not _starts_with_any(text[ms:qs], program_cues().generic_modifiers)
            ):
                modifier_start = ms
                verb_before = verb_before or ms in hits.program_verb_ends
        named_head = len(inner) >= 6 and _ends_with_any(inner, program_cues().heads)
        # a manner word before a named head: “一站式”职工维权服务中心 (not “全天候”服务模式)
        manner_named = (
            head_end is not None
            and not listed
            and len(_strip_droppable(text[qe:head_end])) >= 4
            and (inner in cues.generic_modifiers or inner.endswith("式"))
        )
        if (
            _slogan(inner) and not adjacent and not named_head and not manner_named
        ) or _enumeration(inner):
            continue  # (a long quote ending in a head word is a name: “…,…——…帮扶项目”)
        if len(inner) <= 2 and not latin:
            continue  # “注满”驿站: two characters are a word, not a name
        if latin and head_end is None:
            continue
        if head_end is None and (
            _verb_before(text, qs, cues.outcome_verbs)
            or _verb_before(text, qs, cues.speech_verbs)
            or _ends_with_any(inner, cues.metaphors)
            or (
                _ends_with_any(inner, cues.qualities)
                and not _ends_with_any(inner, cues.all_heads)  # (“…制度” is a name)
            )
            or _ends_with_any(inner, cues.documents)
            or (_COORDINATED.fullmatch(inner) and not _ends_with_any(inner, cues.heads))
        ):
            # 形成“X”合力, 强调“X”, 打造“温暖港湾”, 发放“X征集表”, 实施“A考核与B考核”,
            # 提高“知名度”: a result, a quotation, a metaphor, a form, two things or a
            # quality, not a name
            continue
        if (inner in cues.generic_modifiers or (inner.endswith("式") and len(inner) <= 4)) and not (
            manner_named
        ):
            # “全天候”服务, “点单式”服务: a manner, not a name; but a manner before a
            # longer named head is part of the name (“一站式”职工维权服务中心)
            continue
        if _chain(inner) and (
            head_end is None or _only_droppable(_drop_modifiers(text[qe:head_end]))
        ):
            continue  # “发现—移交—处置”工作机制: a process; “A+B+C”一体化服务模式 is a name
        inner_head = _ends_with_any(inner, program_cues().strong)  # “青年技能培训班”
        # a long quoted name that ends in a specific head word (…家庭帮扶项目) needs no verb
        named = named_head and "、" not in inner and _ends_with_any(inner, _specific_heads())
        # a means or a handout (通过“X”, 发放“X”) names a program only with support
        by_weak_verb = _verb_before(text, qs, cues.weak_verbs)
        # an event of the name (“X”正式建成, “X”启用仪式) or an edition (第二个“X”, 首届“X”)
        event = _takes_place(text, qe) or _ORDINAL_BEFORE.search(text, max(0, qs - 6), qs)
        weak = (
            head_end is None
            and (not (verb_before or event) or by_weak_verb)
            and not inner_head
            and not named
        )
        name = inner.strip()
        end = qe
        if head_end is not None and not listed:
            # “X”一站式服务, “X”的一体化新模式, AI智能“X”平台: the cue phrase is part of it
            tail = _BRACKETED.sub("", text[qe:head_end])
            tail = tail[1:] if tail.startswith("的") else tail
            full_tail = tail
            tail = _strip_droppable(tail)  # …工匠学院模式 -> …工匠学院
            if not tail or _only_generic_heads(tail):
                modifier_start = qs  # 行业“X”活动: the quoted words are the name
            if modifier_start < qs:
                pass  # AI智能“X”平台: modifier, name and head together
            elif len(tail) >= 5 and not _only_droppable(tail):
                tail = full_tail  # “小三级”工会建设三年行动: the quote only qualifies a longer name
            elif latin and "+" in inner and len(tail) >= 4 and not _only_droppable(tail):
                tail = full_tail  # “7+N”免费服务: a formula names a program with its head
            elif title and tail and not _only_droppable(tail):
                pass  # 《X法》宣传周: a title names what the program is about, not the program
            elif _only_droppable(tail) or not _ends_with_any(tail, program_cues().strong):
                tail = ""  # “X”制度, “X”协作机制: the quoted words are the name
            name = text[modifier_start:qs] + inner + tail
            end = head_end
        if "+" in inner and not any(map(_is_han, name)):
            continue  # “3+2”专班模式: a formula alone is no name (“3+2”调解机制 is one)
        start = modifier_start
        out.append(
            Candidate(
                "Program",
                start,
                end,
                text[start:end],
                "program.quoted",
                0.5 if weak else 0.85 if head_end is not None else 0.7,
                name=name,
                kind="quoted",
                weak=weak,
            )
        )
    out.extend(_brand_list(hits, taken_spans, quoted_spans, out))
    if not hits.heads:
        return out  # no head word: no unquoted name
    # unquoted: a noun phrase that ends in a program head word
    name_verbs = org_lexicon().words("name_verb")
    org_ends = {e for _s, e in taken}
    blocked = _Spans(len(text), taken + quoted_spans + [(c.start, c.end) for c in out])
    for s, e, w in sorted(hits.heads, key=lambda h: (h[0], -(h[1] - h[0]))):
        if w in cues.carriers and w not in cues.heads:
            continue
        if blocked.overlaps(s, e):
            continue
        floor = blocked.floor(s)
        digits = s
        while digits > floor and text[digits - 1].isdigit():
            digits -= 1
        if s - digits >= 4 and w in cues.strong_or_carriers:
            # a service number: 12351热线, 12345平台
            out.append(
                Candidate(
                    "Program", digits, e, text[digits:e], "program.code", 0.8, name=text[digits:e]
                )
            )
            blocked.add(digits, e)
            continue
        if e in heads_at:  # another head follows (服务+平台): the later one ends the name
            continue
        # (the cheaper of the two run-on tests first: both only skip the head)
        if (
            e < len(text)
            and _is_han(text[e])
            and text[e] not in "的等和与及暨"
            and e not in hits.verb_starts
            and (e + 1) not in hits.program_stop_ends
            and (e + 2) not in hits.program_stop_ends  # …工作站全年帮助
            and not text.startswith("建设", e)
            and not _takes_place(text, e)  # …服务队正式成立, …宣讲团应运而生
        ):
            continue  # the head runs on into a longer word (中心城区, 行动起来)
        if (
            any(q in heads_at and all(_is_han(c) for c in text[e:q]) for q in range(e + 1, e + 4))
            and not any(q in hits.program_stop_ends for q in range(e + 1, e + 4))
            and not (w in cues.strong and text[e] in "和与及")
        ):
            continue  # 联盟共建行动: the name runs on to a later head (驿站及司机之家 are two)
        if _COUNT_AFTER.match(text, e):
            continue  # 开展监督活动300场次, 开设培训班16期: a kind of event counted, not a name
        floor = blocked.floor(s)
        if w in cues.unquoted_excluded:
            blocked.add(s, e)  # …体制机制: no shorter head inside it either
            continue
        p0 = _scan_back(hits, s, floor, hits.program_stop_ends, _MAX_PROGRAM)
        cut = max(
            (
                i + 1
                for i in range(p0, s)
                if (text[i] in _PREPOSITIONS and not _common_word(text[i : i + 2]))
                or text[i] in "—-"
            ),
            default=p0,
        )
        p0 = max(p0, cut, _last_federation_end(hits, p0, s))
        if _NTH.match(text, p0) or (
            w not in cues.strong and p0 >= 2 and text[p0 - 1] in "个项" and text[p0 - 2] in _DIGITS
        ):
            continue  # 第一个培训项目, 设置6个竞赛项目: the Nth of a kind, a count of a kind
        quantity = _QUANTITY_RE.match(text, p0)
        if quantity:
            p0 = quantity.end()  # 一座座工会驿站, 一批驿站
        edition = _EDITION_START.match(text, p0, s)
        if edition:
            p0 = edition.end()  # 首期上海工匠研修班, 第三届…大赛: the edition is not in the name
        modifier = text[p0:s]
        if modifier.isdigit() and len(modifier) >= 4 and w in cues.heads:
            # a service number: 12351热线, 12345平台
            out.append(
                Candidate("Program", p0, e, text[p0:e], "program.code", 0.8, name=text[p0:e])
            )
            blocked.add(p0, e)
            continue
        if len(modifier) < 2 or not any(map(_is_han, modifier)) or s - p0 >= _MAX_PROGRAM:
            continue
        while modifier[:1] in ("与", "和", "及"):
            p0 += 1  # …转化与应用活动: a name does not start with a conjunction
            modifier = text[p0:s]
        if p0 in org_ends and modifier[:1] in _PREPOSITIONS:
            p0 += 1  # X总工会在家政培训班…: after a body a preposition opens a place phrase
            modifier = text[p0:s]
        if modifier.startswith("创新") and len(modifier) >= 4 and (p0 + 2) not in heads_at:
            p0 += 2  # 创新法律援助模式: 创新 is the verb
            modifier = text[p0:s]
        elif p0 in org_ends and len(modifier) >= 6:
            # 与法院共建劳动争议调解工作室: right after a body, a name verb is the clause's verb
            verb = next((v for v in name_verbs if len(v) == 2 and modifier.startswith(v)), None)
            if verb is not None and (p0 + 2) not in heads_at:
                p0 += 2
                modifier = text[p0:s]
        p0 = _word_start(text, p0, s, name_verbs)
        scoped = _verb_and_scope(hits, p0, s)  # 联动全区工会驿站: verb, scope, then the name
        if scoped:
            p0 = scoped
        modifier = text[p0:s]
        if len(modifier) < 2:
            continue
        company = max((i + 2 for i in range(p0, s - 1) if text[i : i + 2] == "公司"), default=p0)
        if company > p0 and s - company >= 2:
            p0 = company  # …有限公司某某煤矿创新工作室: the company is not in it
            modifier = text[p0:s]
        opens = p0  # where the phrase opens (a scope word included)
        if text.startswith(_SCOPES, p0) and s - p0 - 2 >= 5:
            p0 += 2  # 全市金融系统职工运动会: the scope is not part of a long name
            modifier = text[p0:s]
        lead = _chain_after(hits, p0, s)
        unqualified = text[lead[-1][0] + len(lead[-1][1]) : s] if lead else modifier
        # …学院与荣誉墙; after 暨 only a facility (…学院暨劳模工匠大讲堂), not a generic event
        joined = p0 >= 1 and (
            text[p0 - 1] in "与和及、" or (text[p0 - 1] == "暨" and w in cues.strong)
        )
        listed = joined and any(c.end == p0 - 1 for c in out)
        if (len(w) == 1 and not (listed and w in cues.strong)) or (
            len(modifier) < 3 and (w not in cues.strong or w in cues.carriers)
        ):
            continue  # 文体活动, 精准服务, 合作平台: a generic phrase, not a name
        if "相关" in modifier or "有关" in modifier:
            continue  # 企业相关便民服务平台: a description
        if _starts_with_any(unqualified, cues.generic_modifiers):
            continue  # 常态化联动机制, 全天候服务: a description
        if w in cues.generic and _MANNER_START.match(unqualified):
            continue  # 直通式就业模式, 订单式培训机制: a manner of a generic scheme
        if any(p in modifier for p in cues.places):
            continue  # 花城社区工会驿站: one site
        p0 = _group_list_start(hits, p0)  # 货车司机、网约车司机群体主题服务日
        opens = min(opens, p0)
        modifier = text[p0:s]
        # the phrase must be introduced: a verb (开展, 建立了严格的) or a body (X总工会…驿站),
        # or open a clause with a facility head and a long modifier (…,全国X行业创新工作室联盟成立)
        lead_digits = len(modifier) - len(modifier.lstrip("0123456789"))  # 24小时驿站
        clause_start = (opens == 0 or text[opens - 1] in ",，;；:：、") and not any(
            e in hits.program_stop_ends or (text[e - 1].isdigit() and e > p0 + lead_digits)
            for e in range(p0 + 1, s)
        )
        # …or follow another program in a list (推出“小喇叭”与荣誉墙), or open a clause as
        # an event that takes place (…大赛在长沙开幕, …专项行动启动)
        counted = (  # 121家工会驿站: a counted kind of facility is a network of them
            w in cues.strong and p0 >= 2 and text[p0 - 1] in _CLASSIFIERS and text[p0 - 2].isdigit()
        )
        if not (
            (opens == floor and opens in org_ends)
            or counted
            or edition is not None
            or _introduced(hits, opens)
            or (clause_start and w in cues.strong and len(modifier) >= 4)
            or listed
            or scoped
            or (clause_start and len(modifier) >= 4 and _takes_place(text, e))
        ):
            continue
        lex = org_lexicon()
        if (
            modifier in lex.words("generic")
            and not (w in cues.strong and modifier in lex.words("program_word"))
        ) or modifier in lex.words("verb"):
            continue  # (职工书屋, 劳模驿站: a facility of workers is a name)
        if text[p0:e] in cues.all_heads:
            continue  # 组建15支志愿服务队: a head word alone names a kind, not a program
        pair = _PAIR.fullmatch(text[p0:e])
        if pair is not None and pair[1] == pair[2]:
            continue  # 创新工作室与创新工作室(结对): a pairing of two of a kind
        out.append(
            Candidate(
                "Program",
                p0,
                e,
                text[p0:e],
                "program.head",
                0.55,
                name=text[p0:e],
                kind="head",
                lead_region=text[p0 : lead[-1][0] + len(lead[-1][1])] if lead else "",
            )
        )
        blocked.add(p0, e)
    return out


# part-of-speech tags (jieba's dictionary) of the words that can open a verb phrase:
# verbs, adverbs, adjectives, prepositions, conjunctions, pronouns, particles
_VERBAL = frozenset(VERBAL_TAGS)


def _word_start(text: str, p0: int, s: int, name_verbs: frozenset[str]) -> int:
    """Where an unquoted program name read back to ``p0`` really starts.

    The words of the modifier ``text[p0:s]`` (jieba's dictionary, no HMM) decide:
    a name never starts inside a word (性职工… is 普及性职工…), and a leading run of
    verbs and their adverbs is the clause's verb phrase, not part of the name
    (要准确把握X学院 -> X学院, 做响X品牌 -> X品牌), while one verb alone may open a name
    (提升…三年行动).  Verbs that make names (送, 关爱) are kept.
    """
    from kg.extract.mentions.scan import segment

    tags = _pos_tags()
    inside_word = p0 > 0 and _is_han(text[p0 - 1])
    if not inside_word and not any(
        tags.get(text[p0 : p0 + k]) in _VERBAL for k in range(1, min(4, s - p0) + 1)
    ):
        return p0  # no word can straddle p0 and none opening the modifier is verbal
    left = max(0, p0 - 4)
    words = segment(text[left:s])
    pos = left
    k = 0  # the first word that starts at or after p0
    while k < len(words) and pos < p0:
        w = words[k]
        if pos + len(w) > p0 and tags.get(w) not in _VERBAL and _is_han(w[0]):
            p0 = pos  # the modifier starts inside this word: take the whole word
            break
        pos += len(w)
        k += 1
    run: list[str | None] = []
    end = pos
    for w in words[k:]:
        tag = tags.get(w)
        if w in name_verbs or tag not in _VERBAL:
            break
        run.append(tag)
        end += len(w)
    # one verb alone may open a name (提升…行动, 模拟监督培训); a run of two or more words
    # with a verb, not led by an adjective or numeral (新就业形态…), is a verb phrase
    if len(run) >= 2 and run[0] not in ("a", "m") and any(t in ("v", "vd", "zg") for t in run):
        return end
    return p0


def _verb_and_scope(hits: _Hits, p0: int, s: int) -> int:
    """Where the name starts when the phrase at ``p0`` opens with a verb and a scope
    word (联动全区工会驿站, 覆盖全市职工书屋): after the scope word; 0 when it does not.

    >>> from kg.extract.mentions.scan import _scan
    >>> text = "联动全区工会驿站"
    >>> _verb_and_scope(_scan(text), 0, 6), _verb_and_scope(_scan(text), 4, 6)
    (4, 4)
    """
    scopes = program_cues().generic_modifiers
    text = hits.text
    for n in _lengths(scopes):  # (the scope word already left out of the name)
        if text[p0 - n : p0] in scopes and p0 - n in hits.verb_ends:
            return p0
    if p0 not in hits.verb_starts:
        return 0
    for k in (2, 3, 4):
        v = p0 + k
        if v in hits.verb_ends and v < s:
            for n in _lengths(scopes):
                if text[v : v + n] in scopes and s - (v + n) >= 2:
                    return v + n
    return 0


# an ordinal before a kind: 第一个…项目, 首个…基地 (the Nth of a kind, not a name)
_NTH = re.compile(r"(?:第[0-9一二三四五六七八九十百]+|首)个")
_DIGITS = frozenset("0123456789一二三四五六七八九十两百千")


def _group_list_start(hits: _Hits, p0: int) -> int:
    """Where a name that opens with a worker group starts when more groups are listed
    before it (货车司机、网约车司机群体服务日): the list of its audience is part of it.

    >>> from kg.extract.mentions.scan import _scan
    >>> _group_list_start(_scan("举办快递员、外卖骑手专场招聘会"), 6)
    2
    """
    starts = {gs for gs, _ge, _n in hits.groups}
    if p0 not in starts:
        return p0
    ends = {ge: gs for gs, ge, _n in hits.groups}
    while p0 >= 2 and hits.text[p0 - 1] == "、" and (p0 - 1) in ends:
        p0 = ends[p0 - 1]
    return p0


# scope words before a long name (全市…职工运动会); before a short one they make a
# description (全市职工活动)
_SCOPES = ("全市", "全省", "全区", "全县", "全州")


# a manner word opening a phrase: 直通式…, 点单式…
_MANNER_START = re.compile(r"[\u4e00-\u9fff]{1,3}式")


# two names joined by a conjunction (X与Y)
_PAIR = re.compile(r"(.{2,12})[与和同](.{2,12})")


# an edition opening an unquoted name: 首期上海工匠研修班 (first class of a series)
_EDITION_START = re.compile(r"(?:首|第[0-9一二三四五六七八九十百]+)[期]")
# an edition before a name: 第二个“X”, 第三届“X”, 首届“X”
_ORDINAL_BEFORE = re.compile(r"(?:第[0-9一二三四五六七八九十百]+[个届次期]|首[届个次期])$")


_PLACE_END = frozenset(",，。;；:：、“”\n")


_PLACE_REACH = 16  # how far a place phrase (在贵阳, 于市工人文化宫) may run


def _takes_place(text: str, e: int) -> bool:
    """Whether an event verb (启动, 开幕…) follows the name ending at ``e``, directly or
    after a place phrase with 在/于 (…大赛在贵阳开幕), perhaps through a stage of the
    event (…大赛决赛在贵阳开幕)."""
    cues = program_cues()
    verbs = cues.event_verbs
    lengths = _lengths(verbs)
    stage = max((k for k in _lengths(cues.stages) if text[e : e + k] in cues.stages), default=0)
    e += stage

    def verb_at(at: int) -> bool:
        return any(text[at : at + k] in verbs for k in lengths)

    if verb_at(e):
        return True
    if not text.startswith(("在", "于"), e):
        return False
    for at in range(e + 2, min(len(text), e + _PLACE_REACH)):
        if text[at - 1] in _PLACE_END:
            return False
        if verb_at(at):
            return True
    return False


_LIST_ITEM = re.compile(r"[\u4e00-\u9fff]{2,8}")


@cache
def _brand_after() -> re.Pattern[str]:
    """After 等: a short qualifier (a quoted word allowed) and a list head word (品牌)."""
    words = "|".join(map(re.escape, sorted(program_cues().list_heads, key=len, reverse=True)))
    # the list head ends the phrase (等服务品牌, 等品牌的): 等品牌文旅活动 lists activities
    end = r"(?=$|[^\u4e00-\u9fff]|的)"
    return re.compile(rf"[\u4e00-\u9fff“”]{{0,8}}?(?:{words}){end}" if words else r"(?!)")


def _brand_list(
    hits: _Hits, taken: _Spans, quoted: list[tuple[int, int]], found: list[Candidate]
) -> list[Candidate]:
    """Programs listed before 等 and a brand word: 叫响送温暖、金秋助学等“X”字服务品牌.

    Each listed item (two to eight characters, after a verb or between 、) is a
    program; the brand word says what kind of thing the list holds.
    """
    text = hits.text
    out: list[Candidate] = []
    spans = [(c.start, c.end) for c in found] + quoted
    k = -1
    while (k := text.find("等", k + 1)) >= 0:
        if not _brand_after().match(text, k + 1):
            continue
        items: list[tuple[int, int]] = []
        end = k
        while True:
            start = end
            while start > 0 and _is_han(text[start - 1]) and end - start < 8:
                start -= 1
                if start in hits.program_stop_ends or start in hits.verb_ends:
                    break
            if not _LIST_ITEM.fullmatch(text[start:end]):
                break
            items.append((start, end))
            if start >= 1 and text[start - 1] == "、":
                end = start - 1
                continue
            break
        if len(items) < 2:
            continue
        for s, e in reversed(items):
            if taken.overlaps(s, e) or any(a < e and s < b for a, b in spans):
                continue
            out.append(
                Candidate(
                    "Program", s, e, text[s:e], "program.list", 0.6, name=text[s:e], kind="head"
                )
            )
    return out
