"""Read the quantities of a text: money, people and counts (``FACTS.md``).

:func:`read_quantities` finds every figure that ``FACTS.md`` calls a fact --
Arabic digits with 万/亿/千 behind them (1.2万, 300余万, 2亿), thousands
separators (12,500), decimals, full-width digits, Chinese numerals that carry
万/亿/千 (两万家, 近百万元) and a bare 万/亿 with a hedge (万余名, 上亿元) -- with
its value (exact: :class:`decimal.Decimal`, an ``int`` when whole), its hedge
(``approx``), its kind (``money``, ``people``, ``count``) and its normalised
unit, and leaves out what is not a fact: dates, times and durations, ages,
percentages, ordinals (第3届) and ranks (前3名), identifiers (a number with no
measure word after it, such as 12351), N大X labels, ranges (4000元~1万元),
idioms (一两千元), digits inside words (5G, G20), physical measures (平方米,
公里, 吨, 亩), page furniture (1234人阅读) and Chinese-only numerals without
万/亿/千 (四部门).

Bad input never raises and never yields a value the text does not state: a
number that continues a digit run (``1,2,3,4``, ``1..5万``, digits broken by a
line break) is skipped, and so is a number with more than
:data:`MAX_DIGITS` digits.

Numerals: own grammar, not ``cn2an`` nor JioNLP
------------------------------------------------
Measured here on the 16 numeral forms that union news uses (两万, 百万,
三千五百, 一万二千, 两亿三千万, ... and the idioms 一两千 and 三四万 that must be
refused): ``cn2an.cn2an(s, "smart")`` (0.5.24) gets 15 right (it refuses 百万,
as in 近百万元) at about 30 µs a call, and importing it costs about 0.2 s.
JioNLP's ``parse_money`` (1.5.31), on 12 money forms, gets 9 right: it reads a
hedge as a range (8000余元 -> [8000, 9000], 300余万元 -> [300万, 400万]) and the
idiom 一两千元 as 2001, a value the text does not state; about 27 µs a call,
0.3 s to import, with jiojio and numpy behind it, and money only.  The small
grammar of :func:`chinese_numeral` (one pass over the characters) gets all 16
right at about 0.5 µs a call with nothing to import, and the Arabic forms are
one regular expression with :class:`~decimal.Decimal` arithmetic, so neither
library is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from kg.extract.first import first_chars

__all__ = [
    "MAX_DIGITS",
    "Quantity",
    "chinese_numeral",
    "plain_value",
    "read_quantities",
]

#: A number with more digits than this is not read (no real figure has them).
MAX_DIGITS = 15

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9})
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_MULT = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}

#: Currencies kept as written (money is never converted).
_CURRENCIES = ("澳门元", "澳元", "港元", "港币", "美元", "欧元", "英镑", "日元", "元")
_PEOPLE = ("人次", "个人", "名", "人", "位")
#: Measure words of counts, longest first where one begins another.
_COUNT_WORDS = (
    "场次",
    "批次",
    "户次",
    "家次",
    "件次",
    "架次",
    "部门",
    "省区",
    "省市",
    "个",
    "家",
    "份",
    "件",
    "场",
    "次",
    "期",
    "批",
    "所",
    "座",
    "项",
    "起",
    "宗",
    "条",
    "支",
    "处",
    "间",
    "台",
    "辆",
    "本",
    "套",
    "张",
    "篇",
    "部",
    "户",
    "片",
    "枚",
    "道",
    "盒",
    "袋",
    "箱",
    "瓶",
    "只",
    "株",
    "棵",
    "栋",
    "幢",
    "节",
    "堂",
    "轮",
    "种",
    "款",
    "笔",
    "例",
    "盏",
    "艘",
    "对",
    "组",
    "队",
    "册",
    "门",
    "类",
    "块",
    "市",
    "省",
    "县",
    "国",
)
#: After a measure word: a physical measure or a unit that is not one (3个月, 2个小时).
_NOT_AFTER_UNIT = re.compile(
    r"(?:月|小时|工作日|星期|季度|百分点|阅读|浏览|点赞|收藏|转发|在看|\d)"
)
#: Words that begin with a unit's character (3位数, 2025元旦): the unit is not one.
_UNIT_WORDS = re.compile(
    r"位数|元旦|元素|元宵|元首|人民|名单|名称|国家|国际|市场|市级|省级|县级|类型"
)
_HEDGE_BEFORE = ("超过", "突破", "不少于", "不低于", "近", "约", "超", "逾")
_HEDGE_AFTER_UNIT = ("左右", "以上", "之多")
#: Words ending in 前 that are not a rank (目前3家 is a count, 前3名 a rank).
_NOT_RANK = "目此之当以日年提事空眼"

_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_CN = "零〇一二两三四五六七八九十百千万亿"


# (precompiled: a pattern given as a string is looked up in re's cache at every call)
_NON_DIGIT = re.compile(r"\D")
_RANGE_TO = re.compile(r"[至到]\s*\d")


@dataclass(frozen=True, slots=True)
class Quantity:
    """One figure read from a text (offsets into the text that was read)."""

    start: int  # the number (a hedge before it included)
    end: int  # after the unit (and a hedge after it)
    value: int | Decimal
    unit: str
    kind: str  # money | people | count
    approx: bool
    surface: str  # the text from start to end
    unit_start: int  # where the unit begins
    unit_end: int


def plain_value(value: int | Decimal) -> int | float:
    """``value`` as a JSON number: an ``int`` when whole, else a float of its digits."""
    if isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() else float(str(value))


def _whole(value: Decimal) -> int | Decimal:
    value = value.normalize() if value != 0 else Decimal(0)
    return int(value) if value == value.to_integral_value() else value


def chinese_numeral(text: str) -> int | None:
    """The value of a Chinese numeral (两万 -> 20000, 百万 -> 1000000), else ``None``.

    Two digits in a row without a unit between them (一两千, 三四万: an idiom or
    a range) and anything that is not a numeral give ``None``.

    >>> chinese_numeral("两亿三千万"), chinese_numeral("近百万"), chinese_numeral("一两千")
    (230000000, None, None)
    >>> chinese_numeral("百万"), chinese_numeral("十二万")
    (1000000, 120000)
    """
    if not text or len(text) > 20:
        return None
    total = 0  # finished 亿 sections
    section = 0  # finished 万 part of the current section
    small = 0  # current part below 万
    digit: int | None = None
    prev_digit = False
    for ch in text:
        if ch in _CN_DIGITS:
            if prev_digit and _CN_DIGITS[ch] != 0 and digit != 0:
                return None  # 一两, 三四: an idiom or a range
            digit = _CN_DIGITS[ch]
            prev_digit = True
        elif ch in _CN_SMALL:
            small += (1 if digit is None else digit) * _CN_SMALL[ch]
            digit = None
            prev_digit = False
        elif ch in _CN_BIG:
            part = small + (digit or 0)
            if ch == "万":
                section = (section + (part or 1)) * 10_000
            else:
                total = (total + section + (part or 1)) * 100_000_000
                section = 0
            small, digit, prev_digit = 0, None, False
        else:
            return None
    return total + section + small + (digit or 0)


@cache
def _pattern() -> re.Pattern[str]:
    currencies = "|".join(_CURRENCIES)
    people = "|".join(_PEOPLE)
    counts = "|".join(sorted(_COUNT_WORDS, key=len, reverse=True))
    hedge_before = "|".join(_HEDGE_BEFORE)
    return re.compile(
        rf"(?P<hb>{hedge_before}|上)?"
        rf"(?:(?P<ar>{_DIGITS})(?P<h1>余|多)?(?P<mul>[十百千万亿]{{1,3}})?"
        rf"|(?P<cn>[{_CN}]{{1,12}}))"
        rf"(?P<h2>余|多)?"
        rf"(?P<unit>{currencies}|{people}|{counts})"
    )


_RANGE_MARKS = "~～-—–"

#: A figure needs a digit or a Chinese numeral with 千/万/亿: a text without either
#: (most sentences) holds none, and the pattern is not run over it.
_MAY_HOLD = re.compile(r"[\d千万亿]")


@cache
def _starts() -> re.Pattern[str] | None:
    """A class of the characters a figure can start with (a digit, a Chinese numeral,
    a hedge word's first character), read from the pattern itself."""
    first = first_chars(_pattern())
    if first is None or first.nullable or first.spaces:
        return None
    return re.compile(
        "[" + "".join(map(re.escape, sorted(first.chars))) + ("\\d" if first.digits else "") + "]"
    )


def _figures(text: str) -> Iterator[re.Match[str]]:
    """``_pattern().finditer(text)``, trying the pattern only where a figure can start:
    the same matches (the pattern matches no empty string, and a position whose
    character starts no match is one where the scan would fail), with the character
    class found in C."""
    pattern, starts = _pattern(), _starts()
    if starts is None:
        yield from pattern.finditer(text)
        return
    pos = 0
    while True:
        found = starts.search(text, pos)
        if found is None:
            return
        at = found.start()
        m = pattern.match(text, at)
        if m is None:
            pos = at + 1
        else:
            yield m
            pos = m.end()


def read_quantities(text: str) -> list[Quantity]:
    """Every money, people and count figure of ``text``, in order (never raises).

    >>> found = read_quantities("为45名农民工追回欠薪120万元")
    >>> [(q.value, q.unit, q.kind, q.approx) for q in found]
    [(45, '人', 'people', False), (1200000, '元', 'money', False)]
    >>> [(q.value, q.approx) for q in read_quantities("累计深入1.7万余家企业,筹措资金上亿元")]
    [(17000, True), (100000000, True)]
    >>> read_quantities("2024年第3届前3名,30%的职工,12351热线,6大机制,四部门,一两千元")
    []
    """
    if not isinstance(text, str) or not text or not _MAY_HOLD.search(text):
        return []
    out: list[Quantity] = []
    for m in _figures(text):
        try:
            q = _quantity(text, m)
        except (InvalidOperation, ValueError, OverflowError, IndexError):
            q = None
        if q is not None:
            out.append(q)
    return out


def _quantity(text: str, m: re.Match[str]) -> Quantity | None:
    hb, ar, cn = m.group("hb"), m.group("ar"), m.group("cn")
    unit = m.group("unit")
    num_start = m.start("ar") if ar else m.start("cn")
    before = text[:num_start]
    if hb:
        before = text[: m.start("hb")]
    prev = before[-1:] if before else " "
    if ar:
        # a continuation of a digit run (1,2,3,4; 1..5; 12\n00), a code (G20), a range end
        if prev.isdigit() or (prev in ".,，" and before[-2:-1].isdigit()) or prev == ".":
            return None
        if (prev.isascii() and prev.isalpha()) or prev in "._/#":
            return None
        if prev.isspace() and before.rstrip()[-1:].isdigit():
            return None
        if len(_NON_DIGIT.sub("", ar)) > MAX_DIGITS:
            return None
        if ar.startswith("0") and not ar.startswith("0."):
            return None
    if prev in _RANGE_MARKS or (
        prev in "至到"
        and before[-2:-1]
        and (before[-2].isdigit() or before[-2] in "元人名个家万亿千百十")
    ):
        return None
    if (not hb and prev == "第") or (prev == "前" and before[-2:-1] not in tuple(_NOT_RANK)):
        return None
    h1, h2, mul = m.group("h1"), m.group("h2"), m.group("mul")
    after = text[m.end() :]
    # the number runs on (12.5万元~13万元 is a range; 3年 is not read at all)
    nxt = after[:1] or " "
    if nxt in _RANGE_MARKS or (nxt in "至到" and _RANGE_TO.match(after)):
        return None
    if _NOT_AFTER_UNIT.match(after) or _UNIT_WORDS.match(text, m.start("unit")):
        return None
    approx = bool(h1 or h2 or (hb and hb != "上"))
    if (hb in ("超过", "超") and prev == "不") or (hb == "约" and prev in "节制签预契公条"):
        approx = bool(h1 or h2)  # 不超过 is a cap; 节约, 签约 are words, not hedges
    if ar:
        value = Decimal(ar.replace(",", ""))
        if mul:
            for ch in mul:
                value *= _MULT[ch]
            if mul == "十" or mul == "百":
                return None  # 3十 is not how figures are written
        if hb == "上":
            approx = bool(h1 or h2)  # 上 hedges only a bare 万/亿 (上亿); 上3家 is not one
    else:
        assert cn is not None
        if not any(ch in cn for ch in "千万亿"):
            return None  # Chinese-only numerals without 万/亿/千 are not facts
        if prev in _CN or prev in "数几":
            return None
        bare = cn in ("万", "亿", "千", "千万", "百万", "十万")
        if cn in ("万", "亿", "千") and not (hb or h2):
            return None  # 万家灯火, 千家万户: a bare 万/亿/千 needs a hedge
        parsed = chinese_numeral(cn)
        if parsed is None or parsed == 0:
            return None
        if cn[0] in "千万亿" and len(cn) > 1 and not bare:
            return None  # 千万 (by all means), 万一: words, not figures
        if cn.startswith("千万") and not (hb or h2):
            return None
        value = Decimal(parsed)
        if hb == "上" and cn not in ("万", "亿"):
            return None
        approx = bool(hb or h2)
    kind, norm_unit = _classify(unit)
    end = m.end()
    for tail in _HEDGE_AFTER_UNIT:
        if after.startswith(tail):
            approx = True
            end += len(tail)
            break
    start = m.start("hb") if hb else num_start
    if hb == "上" and ar:
        start = num_start
    if value <= 0:
        return None
    return Quantity(
        start,
        end,
        _whole(value),
        norm_unit,
        kind,
        approx,
        text[start:end],
        m.start("unit"),
        m.end("unit"),
    )


def _classify(unit: str) -> tuple[str, str]:
    if unit in _CURRENCIES:
        return "money", unit
    if unit == "人次":
        return "people", "人次"
    if unit in _PEOPLE:
        return "people", "人"
    return "count", unit
