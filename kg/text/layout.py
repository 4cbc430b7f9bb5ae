"""Page layout: lines -> paragraphs (column breaks repaired) -> articles.

How a newspaper page is read
----------------------------
1. Every non-blank line is classified on its normalised text: headline-like
   (short, no sentence-final punctuation), markdown heading (``#``-``###``
   title, ``####`` section), lead paragraph opening with a dateline
   (``本报讯(记者…)``, ``本报长沙5月20日电``, ``【记者…/台北报导】``), byline
   (``本报记者 … 本报通讯员 …``, ``作者:…``, a closing ``(记者 …)``), photo credit
   (``… 摄``), commentary author (``□某某``), source line
   (``(新华社北京10月20日电)``), author note (``(作者系…)``), continuation
   marker (``(上接第1版)``), page or web furniture (``责任编辑:…``, ``来源:…``,
   ``【打印】``, page headers; dropped) or body text.  The words behind these
   classes are data: ``ontology/lexicon/layout_cues.tsv``.
2. Lines broken by page columns are rejoined (:func:`_fragment`): a line that
   does not end a sentence continues into the next body line when it ends
   mid-clause (a comma, an open quote, a dangling function word, a number cut
   before its unit), when it is long, when the next line opens with
   punctuation or a particle, when a dictionary word runs across the break
   (jieba log-probabilities), or when the text is hard-wrapped at a fixed
   width.  A long broken line may continue past one in-between heading.
3. A run of headline-like lines starts a new article when a lead, byline or
   author line follows, when it holds a markdown title, a kicker (``阅读提示``)
   or a ``——`` over-line, when it comes right after the end of another article
   (source line, author note, photo credit, closing byline, furniture after
   body text), or when it is the title of a photo caption (a few short
   paragraphs closed by a credit).  Otherwise it is an in-article section
   heading.  The title is the first head line that is not an over-line
   (``…——``, ``广西:``), a column label (``…·巡礼``) or a short column name above
   a longer line; the other head lines are subtitles.

Headlines and section headings are sentences of their own; body paragraphs are
split by :func:`kg.text.sentences.split_paragraph`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from kg.errors import DataError
from kg.model import Article, Document, Sentence
from kg.text.norm import normalize
from kg.text.sentences import line_sentences, split_paragraph

# line classes
BODY = "body"
SHORT = "short"  # headline-like
MD_TITLE = "md_title"  # '#', '##', '###'
MD_SECTION = "md_section"  # '####' and deeper
LEAD = "lead"
BYLINE = "byline"
CREDIT = "credit"
AUTHOR = "author"
SOURCE = "source"
NOTE = "note"
CONT = "continued"
FURN = "furniture"

_HEADS = frozenset({SHORT, MD_TITLE})

SHORT_MAX = 64  # a headline-like line has at most this many characters
WORD_CUT_MARGIN = 3.0  # log-probability lost by splitting a word at a break (cuts lose 6+)
COLUMN_MAX = 4  # a first head line this short ("工会新闻"), above a longer one, names a column
# a line ends a sentence when it ends with one of these, then any closers (_final_end)
_SENTENCE_FINAL = "。！？!?…"
_FINAL_CLOSERS = "”’\"'」』)）]】》"
_PAREN = (")",)  # what the jump and end markers end with
_BRACKET_OPEN = "(【["  # what a bracketed lead opens with
_INNER_PUNCT = re.compile(r"[，、；：,;:。！？!?]")
_NAME_SPLIT = re.compile(r"[\s、,，/]+")
_SLASH = re.compile(r"[/／]")
_OPEN_CLOSE = (("“", "”"), ("(", ")"), ("（", "）"), ("《", "》"), ("「", "」"), ("『", "』"))
# what may follow a number cut by a line break: more digits, units, counters
_CLOSERS = "”’\"'」』)）]】》"
_CONTINUING_START = "。，、；：,;:！？!?”’」』)）》】…"
_COLUMN_LABEL = re.compile(r"·[\u4e00-\u9fff]{1,4}$")


@dataclass(frozen=True, slots=True)
class Cues:
    """Compiled layout cues (see ``ontology/lexicon/layout_cues.tsv``)."""

    role: re.Pattern[str]  # a reporter role with optional outlet/modifier
    strong_role: re.Pattern[str]  # a role with an outlet or a modifier ("本报记者")
    lead: re.Pattern[str]  # dateline at the start of a lead paragraph
    lead_byline: re.Pattern[str]  # "本报讯 记者某某 通讯员某某 近日…" (no brackets)
    lead_bracketed: re.Pattern[str]  # "(中央社记者某某台北1日电)", "【记者某某/台北报导】"
    source: re.Pattern[str]  # "(新华社北京10月20日电)"
    note: re.Pattern[str]  # "(作者系…)"
    author: re.Pattern[str]  # "□郭平伟"
    label: re.Pattern[str]  # "作者:某某", "文/某某"
    credit: re.Pattern[str]  # "… 摄" at the end
    credit_tail: re.Pattern[str]  # "…。本报记者 某某 摄" ending a body line
    furniture: re.Pattern[str]
    end_words: frozenset[str]
    continued: re.Pattern[str]
    jump: re.Pattern[str]  # "(下转第2版)" ending a line
    kickers: frozenset[str]
    openers: tuple[str, ...]
    dangling: frozenset[str]
    no_start: frozenset[str]
    commentary_role: re.Pattern[str]  # "评论员": the byline of an opinion piece
    reported: re.Pattern[str]  # " 报道" closing a byline
    the_end: re.Pattern[str]  # "(完)" closing an article
    number_start: re.Pattern[str]  # what may follow a number cut by a break
    # the words that end a line of a kind: a line ending otherwise cannot match the
    # corresponding pattern, so the pattern is tried only on lines that do
    credit_words: tuple[str, ...]  # "摄": what ``credit`` ends with
    photo_words: tuple[str, ...]  # what ``credit_tail`` ends with
    report_words: tuple[str, ...]  # what ``reported`` ends with
    author_marks: str  # what ``author`` opens with


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _load_cues() -> dict[str, list[str]]:
    from kg.resources import data_path

    raw = data_path("lexicon", "layout_cues.tsv").read_text(encoding="utf-8")
    kinds: dict[str, list[str]] = {}
    header_seen = False
    for lineno, line in enumerate(raw.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if not header_seen:
            header_seen = True
            if parts[:2] == ["kind", "cue"]:
                continue
        if len(parts) != 2 or not parts[1]:
            raise DataError(
                f"ontology/lexicon/layout_cues.tsv line {lineno}: "
                f"expected 'kind<TAB>cue', got {line!r}",
                hint="fix the line or restore the file from the repository",
            )
        kinds.setdefault(parts[0], []).append(parts[1])
    need = (
        "outlet",
        "role",
        "role_mod",
        "lead",
        "telegraph",
        "credit",
        "furniture",
        "continued",
        "jump",
        "note",
        "author_mark",
    )
    for kind in need:
        if kind not in kinds:
            raise DataError(
                f"ontology/lexicon/layout_cues.tsv has no '{kind}' rows",
                hint="restore the file from the repository",
            )
    return kinds


@cache
def cues() -> Cues:
    """Load and compile ``ontology/lexicon/layout_cues.tsv`` (once)."""
    kinds = _load_cues()
    outlet = _alt(kinds["outlet"])
    # an outlet is a listed one, or a name ending like one (…网, …报, …社, …台, …刊)
    suffix = "".join(re.escape(x) for x in kinds.get("outlet_suffix", ["报"]))
    outlet_like = rf"(?:{outlet}|[\u4e00-\u9fff]{{1,8}}?[{suffix}])"
    mods = _alt(kinds["role_mod"])
    roles = _alt(kinds["role"] + kinds.get("commentary_role", []))
    role = rf"(?:{outlet})?(?:{mods})?(?:{roles})"
    strong_role = rf"(?:(?:{outlet})(?:{mods})?|(?:{mods}))(?:{roles})"
    tele = _alt(kinds["telegraph"])
    place = rf"(?:(?!{roles})[\u4e00-\u9fff]){{0,10}}?"
    date = r"\d{1,2}月\d{1,2}日"
    after = r"(?=[\s(,，:：]|$)"  # a generic dateline is followed by a bracket, space or comma
    lead = (
        rf"^(?P<dl>(?:{_alt(kinds['lead'])})"
        rf"|{outlet_like}(?:{tele}){after}|{outlet_like}{place}{date}(?:{tele}){after})"
        rf"\s*(?:\((?P<by>[^()]{{1,80}})\))?"
    )
    name = r"[\u4e00-\u9fff·]{2,5}"
    lead_byline = rf"\s*(?P<by>(?:{role})\s*{name}(?:[\s、]+(?:(?:{role})\s*)?{name})*)\s+"
    source_prefix = _alt(kinds.get("source_prefix", ["据"]))
    source_label = _alt(kinds.get("source_label", ["来源"]))
    source = (
        rf"^\((?:{source_prefix})?{outlet_like}[^()]{{0,24}}(?:{tele})\)$"
        rf"|^\((?:{source_label})[:：][^()]{{1,40}}\)$"
    )
    report = _alt(kinds.get("report", ["报道"]))
    photo = _alt(kinds.get("photo", ["摄"]))
    page = r"第?\s*[0-9一二三四五六七八九十百A-Z]+\s*版\)"
    marks = "".join(re.escape(m) for m in kinds["author_mark"])
    labels = _alt(kinds.get("byline_label", ["作者"]))
    return Cues(
        role=re.compile(role),
        strong_role=re.compile(strong_role),
        lead=re.compile(lead),
        lead_byline=re.compile(lead_byline),
        lead_bracketed=re.compile(
            rf"^(?:\((?P<a>[^()]{{2,40}}?\d{{1,2}}日(?:{tele}))\)"
            rf"|[【\[](?P<b>(?:{role})[^】\]]{{1,30}}?(?:{report}|{tele}))[】\]])"
        ),
        source=re.compile(source),
        note=re.compile(rf"^\((?:{_alt(kinds['note'])})"),
        author=re.compile(rf"^[{marks}]\s*(?P<names>[^\s{marks}].{{0,30}})$"),
        label=re.compile(rf"^(?:{labels})(?:\s*[:：/]\s*|\s+)(?P<names>.{{2,40}})$"),
        credit=re.compile(
            rf"^\(?(?:(?P<who>.{{1,60}}?)\s+|(?P<rwho>(?:{role}).{{1,30}}?))"
            rf"(?:{_alt(kinds['credit'])})\)?$"
        ),
        credit_tail=re.compile(
            rf"(?<=[。！？!?”’)）])[\s(（]*(?P<who>(?:{role})[^()（）。！？!?]{{1,30}}?)"
            rf"\s*(?:{photo})[)）]?$"
        ),
        furniture=re.compile(rf"^[【\[]?(?:{_alt(kinds['furniture'])})\s*[:：]", re.IGNORECASE),
        end_words=frozenset(kinds.get("end_word", [])),
        continued=re.compile(rf"^\((?:{_alt(kinds['continued'])}){page}"),
        jump=re.compile(rf"\((?:{_alt(kinds['jump'])}){page}$"),
        kickers=frozenset(kinds.get("kicker", [])),
        openers=tuple(kinds.get("opener", [])),
        dangling=frozenset(kinds.get("dangling", [])),
        no_start=frozenset(kinds.get("no_start", [])),
        commentary_role=re.compile(_alt(kinds.get("commentary_role", ["评论员"]))),
        reported=re.compile(rf"\s+(?:{report})$"),
        the_end=re.compile(rf"\s*\((?:{_alt(kinds.get('end_word', ['完']))})\)$", re.IGNORECASE),
        number_start=re.compile(rf"^(?:[0-9.]|{_alt(kinds.get('unit', ['万']))})"),
        credit_words=tuple(kinds["credit"]),
        photo_words=tuple(kinds.get("photo", ["摄"])),
        report_words=tuple(kinds.get("report", ["报道"])),
        author_marks="".join(kinds["author_mark"]),
    )


def _ends_with(text: str, words: tuple[str, ...], closers: str = "") -> bool:
    """Whether ``text`` ends (as a pattern's ``$`` reads the end: at the end of the
    string or before a final newline) with one of ``words``, followed by at most one
    of ``closers``.  A pattern ending so cannot match elsewhere, and this test costs
    a fraction of a pattern search (which tries every position of a long line)."""
    if text.endswith("\n"):
        text = text[:-1]
    if text.endswith(words):
        return True
    return text != "" and text[-1] in closers and text[:-1].endswith(words)


def _final_end(text: str) -> bool:
    r"""Whether the text ends a sentence: 。！？!?… (or ……) then any closing quotes and
    brackets, at the end or before a final newline (the pattern
    ``(?:[。！？!?]|……|…)[”’"'」』)）\]】》]*$``, read from the end)."""
    if _ends_sentence(text):
        return True
    return text.endswith("\n") and _ends_sentence(text[:-1])


def _ends_sentence(text: str) -> bool:
    rest = text.rstrip(_FINAL_CLOSERS)
    return rest != "" and rest[-1] in _SENTENCE_FINAL


def _is_name(tok: str) -> bool:
    """2 to 8 Han characters or name dots (``^[\u4e00-\u9fff·•]{2,8}$``)."""
    if tok.endswith("\n"):  # where ``$`` matches too
        tok = tok[:-1]
    if not 2 <= len(tok) <= 8:
        return False
    for ch in tok:  # noqa: SIM110 (a loop: all() over a generator is slower compiled)
        if not ("\u4e00" <= ch <= "\u9fff" or ch == "·" or ch == "•"):
            return False
    return True


def _has_text(text: str) -> bool:
    """Whether ``text`` holds a digit, a Latin letter or a Han character."""
    for ch in text:
        if "\u3400" <= ch <= "\u9fff" or "0" <= ch <= "9" or "a" <= ch <= "z" or "A" <= ch <= "Z":
            return True
    return False


def _name_tokens(text: str, max_len: int = 5) -> list[str] | None:
    toks = [t for t in _NAME_SPLIT.split(text) if t]
    for tok in toks:
        if not _is_name(tok) or (len(tok) > max_len and "·" not in tok):
            return None
    return toks or None


def byline_names(text: str) -> list[str] | None:
    """Names in a byline such as ``本报记者 李丰 本报见习记者 田程``.

    Returns ``None`` when ``text`` is not a byline (it must open with a role
    word and hold nothing but roles and names).

    >>> byline_names("本报记者 李丰 本报见习记者 田程")
    ['李丰', '田程']
    >>> byline_names("记者郝亚章通讯员马芳")
    ['郝亚章', '马芳']
    >>> byline_names("记者近日从市总工会获悉") is None
    True
    """
    c = cues()
    text = text.strip()
    m = c.role.match(text)
    if not m:
        return None
    names: list[str] = []
    for chunk in c.role.split(text[m.end() :]):
        toks = _name_tokens(chunk)
        if toks is None:
            if chunk.strip():
                return None
            continue
        names.extend(toks)
    return names or None


def _standalone_byline(text: str) -> list[str] | None:
    """A byline standing on a line of its own; stricter than in a lead's brackets.

    The role must carry an outlet or modifier (``本报记者``), be followed by a
    space, or be one of several roles, so that a headline such as ``记者节快乐``
    is not taken for a byline.
    """
    c = cues()
    if _ends_with(text, c.report_words):
        text = c.reported.sub("", text)  # "记者 某某 报道"
    names = byline_names(text)
    if names is None:
        return None
    m = c.role.match(text)
    assert m is not None
    if (
        c.strong_role.match(text)
        or text[m.end() : m.end() + 1].isspace()
        or len(c.role.findall(text)) > 1
    ):
        return names
    return None


@dataclass(slots=True)
class _Line:
    start: int  # original offsets of the content (markers/prefix excluded)
    end: int
    text: str  # normalised content
    cls: str
    kicker: bool = False
    names: list[str] = field(default_factory=list)
    dateline: str | None = None
    body_start: int = 0  # LEAD/CONT: where the body text begins
    line_start: int = 0  # the whole stripped line (for article extents)
    closes: bool = False  # the line ends its article ("(下转第2版)", a closing byline)
    credit: tuple[int, int] | None = None  # a photo credit cut off the end of a body line
    inside: bool = False  # a heading printed inside a paragraph broken by a column break


# lines end at \n, \r, form feeds (page breaks of pdftotext) and Unicode separators:
# exactly the characters at which str.splitlines breaks (see _line_spans)
_BREAKS = "\n\r\f\v\x1c\x1d\x1e\x85\u2028\u2029"
_STRIP = " \t\r\f\v\u3000\xa0\ufeff"
_PAGE_HEADER = re.compile(
    r"^\d{4}年\d{1,2}月\d{1,2}日\s*(?:星期|周)[一二三四五六日天]|^第?\s*\d{1,3}\s*版(?:[:：\s]|$)"
)


def _skip(text: str) -> int:
    return len(text) - len(text.lstrip(_STRIP))


def _classify(norm: str, start: int, end: int) -> _Line:
    c = cues()
    text = norm[start:end]
    line = _Line(start, end, text, BODY, line_start=start)
    if not _has_text(text) or text.startswith("!["):
        line.cls = FURN
        return line
    if text.startswith("#"):
        hashes = len(text) - len(text.lstrip("#"))
        rest = text[hashes:]
        line.start = start + hashes + _skip(rest)
        line.text = norm[line.start : end]
        line.kicker = line.text.strip("【】[]") in c.kickers
        line.cls = MD_TITLE if hashes <= 3 and not line.kicker else MD_SECTION
        return line
    if len(text) > 4 and text.startswith(("**", "__")) and text.endswith(text[:2]):
        inner = text[2:-2]  # a markdown bold line: classify what it holds
        s2 = start + 2 + _skip(inner)
        e2 = end - 2 - (len(inner) - len(inner.rstrip(_STRIP)))
        if s2 < e2:
            inner_line = _classify(norm, s2, e2)
            inner_line.line_start = start
            return inner_line
    # each pattern below is tried only on lines holding a character that every
    # match of it holds (a colon, an opening bracket, ...): the same classes, with
    # far fewer pattern calls on body lines
    if (
        ((":" in text or "：" in text) and c.furniture.match(text))
        or text.strip("【】[]()（） ") in c.end_words
        or (("年" in text or "版" in text) and _PAGE_HEADER.match(text))
    ):
        line.cls = FURN
        return line
    m = (c.jump.search(text) or c.the_end.search(text)) if _ends_with(text, _PAREN) else None
    if m:  # "…(下转第2版)", "…(完)": the article goes on elsewhere, or ends
        line.closes = True
        rest = text[: m.start()]
        line.end = start + len(rest.rstrip(_STRIP))
        line.text = norm[start : line.end]
        if not line.text:
            line.cls = FURN
            return line
        text = line.text
    if text.startswith("("):  # what the continued, source and note patterns open with
        m = c.continued.match(text)
        if m:
            line.cls = CONT
            line.body_start = start + m.end() + _skip(text[m.end() :])
            return line
        if c.source.match(text):
            line.cls = SOURCE
            return line
        if c.note.match(text):
            line.cls = NOTE
            return line
    m = c.author.match(text) if text[:1] in c.author_marks else None
    if m and m.group("names").strip("【】[] ") in c.kickers:
        line.cls = SHORT  # "■记者手记": a kicker behind a mark
        line.kicker = True
        return line
    if m:
        who = str(m.group("names"))
        reporters = byline_names(who)  # "■本报记者 某某": a marked byline
        authors = reporters or _name_tokens(who, 4)
        if authors:
            line.cls = BYLINE if reporters else AUTHOR
            line.names = authors
            return line
    if len(text) <= 80:
        names = _credit_names(text)
        if names:
            line.cls = CREDIT
            line.names = names
            return line
        names = _standalone_byline(text)
        if names is None and text.startswith("(") and text.endswith(")"):
            names = byline_names(text[1:-1])  # "(记者 某某)" closing an article
            line.closes = names is not None
        if names is None:
            m = c.label.match(text)
            names = _name_tokens(m.group("names"), 4) if m else None
        if names:
            line.cls = BYLINE
            line.names = names
            return line
        if c.strong_role.fullmatch(text):  # "本报评论员", "本报特约记者": a role, no name
            line.cls = AUTHOR if c.commentary_role.search(text) else BYLINE
            return line
    m = c.lead_bracketed.match(text) if text[:1] in _BRACKET_OPEN else None
    if m and m.end() < len(text):
        inner = m.group("a") or m.group("b")
        line.cls = LEAD
        line.dateline = inner
        rm = c.role.search(inner)
        if rm:  # the names run from the role to the place, or to a slash
            tail = _SLASH.split(inner[rm.start() :])[0]
            line.names = byline_names(tail) or []
        line.body_start = start + m.end() + _skip(text[m.end() :])
        return line
    m = c.lead.match(text)
    if m:
        line.cls = LEAD
        line.dateline = m.group("dl")
        by = m.group("by")
        body = m.end()
        if by:
            line.names = byline_names(by) or []
        else:
            mb = c.lead_byline.match(text, m.end())
            names = byline_names(mb.group("by")) if mb else None
            if mb and names:
                line.names = names
                body = mb.end()
        line.body_start = start + body + _skip(text[body:])
        return line
    if (
        len(text) <= SHORT_MAX
        and not _final_end(text)
        and not text.endswith(("，", "、", "；", ",", ";"))
        and "。" not in text
    ):
        line.cls = SHORT
        line.kicker = text.strip("【】[]") in c.kickers
        return line
    m = c.credit_tail.search(text) if _ends_with(text, c.photo_words, ")）") else None
    if m:
        names = byline_names(m.group("who"))
        if names:
            line.credit = (start + m.start("who"), end)
            line.names = names
            line.end = start + m.start()
            line.text = norm[start : line.end]
    return line


def _credit_names(text: str) -> list[str] | None:
    """Names of a photo credit line (``本报记者 董鲁豫 摄``), else ``None``."""
    c = cues()
    m = c.credit.match(text) if _ends_with(text, c.credit_words, ")") else None
    if not m:
        return None
    who = (m.group("who") or m.group("rwho") or "").strip().strip("()")
    return byline_names(who) or _name_tokens(who, 4)


def _unbalanced(text: str) -> bool:
    return any(text.count(o) > text.count(c) for o, c in _OPEN_CLOSE)


def _fragment(a: _Line, b: _Line, md_doc: bool = False, wrap: int = 0) -> int:
    """How surely line ``a`` continues into line ``b``: 0 no, 1 likely, 2 surely.

    In a markdown page (``md_doc``) headings carry ``#`` marks, so a plain
    short line with inner punctuation before body text is a broken line.  In a
    hard-wrapped text (``wrap`` > 0) a line as long as the wrap width goes on.
    """
    if a.cls not in (BODY, SHORT) or a.kicker or b.cls not in (BODY, SHORT) or b.kicker:
        return 0
    c = cues()
    t = a.text
    if _final_end(t) or t.endswith("——"):
        return 0
    last = t[-1]
    if last in "，、；,;":
        return 2
    if last in ":：" and len(t) > 12:
        return 2
    if _unbalanced(t):
        return 2
    if last.isdigit() or last == ".":
        return 2 if c.number_start.match(b.text) else 1
    if b.text[0] in _CONTINUING_START or b.text[0] in c.no_start:
        return 2  # "。李娜表示…", "的“惠工码”": B opens with the end of A's sentence
    if wrap and len(t) >= wrap:
        return 2
    if a.cls == BODY:  # long, or holding a full stop, yet not ending a sentence
        return 1
    inner = list(_INNER_PUNCT.finditer(t))
    if inner and len(t) - inner[-1].end() <= 2:
        return 1
    if last in c.dangling:
        return 1
    if inner and t.startswith(c.openers):
        return 1
    if inner and (len(t) >= 40 or md_doc):
        return 1
    if _word_across(t, b.text):  # "召开联" / "席会议": a word cut in two
        return 1
    return 0


def _word_across(a: str, b: str) -> bool:
    """Whether a dictionary word runs across the break between ``a`` and ``b``.

    Compares the log-probability of the best segmentation (jieba's dictionary,
    read by :mod:`kg.text.words`; no HMM) of a few characters either side of the
    break with the best segmentation that must split there.  A word cut by a
    column break (``召开联`` / ``席会议``) loses a lot when forced apart; a heading
    followed by its first paragraph loses nothing.
    """
    if not ("\u3400" <= a[-1] <= "\u9fff" and "\u3400" <= b[0] <= "\u9fff"):
        return False
    tail, head = a[-6:], b[:6]
    return _logprob(tail + head) - _logprob(tail) - _logprob(head) > WORD_CUT_MARGIN


def _logprob(text: str) -> float:
    from kg.text.words import word_table

    return word_table().logprob(text)


def _line_spans(text: str) -> list[tuple[int, int]]:
    """The spans of the non-empty runs between line breaks (the matches of
    ``[^\n\r\f\v\x1c-\x1e\x85\u2028\u2029]+``), read with ``str.splitlines``, which
    breaks at exactly these characters, in C."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for piece in text.splitlines(True):
        start = pos
        pos += len(piece)
        end = pos
        if piece.endswith("\r\n"):
            end -= 2
        elif piece[-1] in _BREAKS:
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def _lines(doc: Document, norm: str) -> list[_Line]:
    out: list[_Line] = []
    for s, e in _line_spans(doc.text):
        seg = norm[s:e]
        ls = len(seg) - len(seg.lstrip(_STRIP))
        rs = len(seg.rstrip(_STRIP))
        if rs <= ls:
            continue
        out.append(_classify(norm, s + ls, s + rs))
    # a long headline is still a headline when a lead, byline or author follows
    for k in range(len(out) - 1):
        a = out[k]
        if (
            a.cls == BODY
            and out[k + 1].cls in (LEAD, BYLINE, AUTHOR)
            and len(a.text) <= 2 * SHORT_MAX
            and not _final_end(a.text)
            and "。" not in a.text
            and (k == 0 or out[k - 1].cls != BODY or _final_end(out[k - 1].text))
        ):
            a.cls = SHORT
    return out


@dataclass(slots=True)
class _Para:
    lines: list[_Line]

    @property
    def first(self) -> _Line:
        return self.lines[0]

    @property
    def cls(self) -> str:
        cls = self.lines[0].cls
        return cls if len(self.lines) == 1 or cls in (LEAD, CONT) else BODY


def _wrap_width(lines: list[_Line]) -> int:
    """The width of a hard-wrapped text (0 when lines are not wrapped).

    A text is hard-wrapped when at least 40% of its text lines of 12 or more
    characters have (within one) the same length; lines that long continue.
    """
    counts: dict[int, int] = {}  # line length -> lines (in order of first appearance)
    total = 0
    for ln in lines:
        k = len(ln.text)
        if k >= 12 and (ln.cls == BODY or ln.cls == SHORT):
            counts[k] = counts.get(k, 0) + 1
            total += 1
    if total < 8:
        return 0
    width = hits = 0
    for w, n in counts.items():  # the first length with the most lines within one
        near = counts.get(w - 1, 0) + n + counts.get(w + 1, 0)
        if near > hits:
            width, hits = w, near
    return width - 1 if hits >= 0.4 * total else 0


def _paragraphs(lines: list[_Line]) -> list[_Para]:
    """Group lines into paragraphs, rejoining lines broken by column breaks."""
    md_doc = any(ln.cls in (MD_TITLE, MD_SECTION) for ln in lines)
    wrap = _wrap_width(lines)
    paras: list[_Para] = []
    used = [False] * len(lines)
    n = len(lines)
    for i in range(n):
        if used[i]:
            continue
        used[i] = True
        para = _Para([lines[i]])
        paras.append(para)
        if lines[i].cls not in (BODY, SHORT, LEAD, CONT):
            continue
        j = i + 1
        while j < n and not used[j]:
            a = para.lines[-1]
            if a.cls in (LEAD, CONT):  # its body part decides
                a = _Line(a.body_start, a.end, a.text[a.body_start - a.start :], BODY)
                if not a.text:
                    break
            b = lines[j]
            strength = _fragment(a, b, md_doc, wrap)
            if strength and (b.cls == BODY or strength == 2):
                para.lines.append(b)
                used[j] = True
                j += 1
                continue
            # a broken line may continue past an in-between heading: one plain
            # heading after a long line, up to two marked ones in a markdown page
            if a.cls in (BODY, SHORT) and not a.kicker:
                k = j
                limit = 2 if md_doc else 1
                while k < n and k - j < limit and lines[k].cls in (SHORT, MD_TITLE, MD_SECTION):
                    k += 1
                if (
                    k > j
                    and k < n
                    and not used[k]
                    and lines[k].cls == BODY
                    and (len(a.text) >= 40 or (md_doc and lines[j].cls != SHORT))
                    and a.text[-1] not in _CLOSERS
                    and _fragment(a, lines[k], md_doc, wrap)
                ):
                    para.lines.append(lines[k])
                    used[k] = True
                    for skipped in lines[j:k]:
                        skipped.inside = True
                    j = k + 1
                    continue
            break
    return paras


def _label(line: _Line) -> bool:
    """A head line that labels rather than titles: kicker, column label, over-line."""
    t = line.text
    return line.kicker or bool(_COLUMN_LABEL.search(t)) or t.endswith(("——", ":", "："))


class _Builder:
    def __init__(self, doc: Document, norm: str) -> None:
        self.doc = doc
        self.norm = norm
        self.articles: list[Article] = []
        self.cur: Article | None = None
        self.title_source = ""  # "md" | "plain" | ""
        self.paras_in_cur = 0
        self.boundary = True  # the next head starts an article
        self.body_spans: list[tuple[int, int]] = []  # body paragraphs of the current article
        self.head_lines: list[_Line] = []  # headline lines of the current article

    # -- articles -----------------------------------------------------------
    def new(self, start: int, kind: str = "news") -> Article:
        art = Article(
            doc_id=self.doc.doc_id,
            index=len(self.articles),
            start=start,
            end=start,
            title="",
            date=self.doc.date,
            kind=kind,
        )
        self.articles.append(art)
        self.cur = art
        self.title_source = ""
        self.paras_in_cur = 0
        self.boundary = False
        self.body_spans = []
        self.head_lines = []
        return art

    def ensure(self, start: int) -> Article:
        if self.cur is None:
            art = self.new(start)
            if self.doc.title:
                art.title = normalize(self.doc.title).strip()
            return art
        return self.cur

    def extend(self, end: int) -> None:
        if self.cur is not None and end > self.cur.end:
            self.cur.end = end

    def add_sentences(self, pieces: list[tuple[int, int]]) -> None:
        art = self.cur
        assert art is not None
        sents = split_paragraph(self.norm, pieces, len(art.sentences))
        art.sentences.extend(sents)
        if pieces:
            self.extend(pieces[-1][1])

    def add_line_sentence(self, line: _Line) -> None:
        """A headline or section heading: one sentence, whatever punctuation it holds
        (several only past :data:`~kg.text.sentences.MAX_SENTENCE_CHARS`)."""
        art = self.cur
        assert art is not None
        sents = line_sentences(self.norm, line.start, line.end, len(art.sentences))
        if sents:
            art.sentences.extend(sents)
            self.extend(line.end)

    def credit(self, span: tuple[int, int], names: list[str]) -> None:
        """A photo credit: it closes a caption (or an untitled photo's text)."""
        art = self.cur
        assert art is not None
        if (
            art.kind == "news"
            and art.dateline is None
            and not art.byline
            and 0 < len(self.body_spans) <= 3
        ):
            art.kind = "caption"  # a titled photo with its caption text
            art.captions.extend(self.body_spans)
        art.byline.extend(x for x in names if x not in art.byline)
        art.captions.append(span)
        self.extend(span[1])
        self.boundary = True

    # -- head blocks ----------------------------------------------------------
    def set_title(self, heads: list[_Line], replace: bool = False) -> None:
        art = self.cur
        assert art is not None
        cands = [h for h in heads if not h.kicker]
        title_line: _Line | None = None
        for k, h in enumerate(cands):
            over = (
                h.text.endswith(("——", ":", "："))
                or bool(_COLUMN_LABEL.search(h.text))
                # a column name ("工会新闻") above a longer headline
                or (
                    len(h.text) <= COLUMN_MAX
                    and k + 1 < len(cands)
                    and len(cands[k + 1].text) > len(h.text)
                )
            )
            if not over or k == len(cands) - 1:
                title_line = h
                break
        old_title = art.title if replace and art.title else None
        if title_line is not None:
            art.title = title_line.text
            art.title_span = (title_line.start, title_line.end)
        subs = [h.text for h in heads if h is not title_line and not h.kicker]
        self.head_lines = list(heads) if not replace else self.head_lines + list(heads)
        if replace:
            art.subtitles = ([old_title] if old_title else []) + art.subtitles + subs
        else:
            art.subtitles = subs

    def head_block(self, heads: list[_Line], paras: list[_Para], j: int) -> None:
        """Decide what the head lines ending before ``paras[j]`` are."""
        nxt = paras[j] if j < len(paras) else None
        has_md = any(h.cls == MD_TITLE for h in heads)
        marker_next = nxt is not None and nxt.cls in (LEAD, BYLINE, AUTHOR)
        headish = any(h.kicker for h in heads) or heads[0].text.endswith("——")
        start = heads[0].line_start
        if self.cur is not None and all(h.inside for h in heads):
            # printed inside the current article's text (a broken paragraph runs on
            # after it): a section heading, or the headline of an article whose
            # head so far was plain label lines
            if has_md and self.title_source == "plain" and self.cur.dateline is None:
                self.set_title(heads, replace=True)
                self.title_source = "md"
        elif (
            self.cur is not None
            and self.cur.kind == "continuation"
            and not self.body_spans
            and not has_md
            and not marker_next
        ):
            pass  # "(上接第1版)" then a section heading: the continued text goes on
        elif (
            has_md
            and self.cur is not None
            and self.title_source == "plain"
            and self.paras_in_cur <= 10
            and self.cur.dateline is None
            and any(_label(h) for h in self.head_lines)
        ):
            # a markdown page whose article head came as plain label lines first
            # (a column name, 阅读提示), the marked headline only after the lead
            self.set_title(heads, replace=True)
            self.title_source = "md"
        elif (
            self.cur is None
            or self.boundary
            or has_md
            or marker_next
            or (headish and len(heads) >= 2)
            or (not self.cur.sentences and not self.cur.byline)
        ):
            cur = self.cur
            if cur is not None and not cur.sentences and self.title_source == "":
                art = cur  # an article opened by a marker, still untitled
                self.set_title(heads)
            elif (
                cur is not None
                and self.title_source == "plain"
                and not self.body_spans
                and not cur.byline
                and cur.dateline is None
                and cur.kind == "news"
            ):
                art = cur  # head lines parted by furniture (a picture, a page label)
                self.set_title(self.head_lines + heads)
            else:
                art = self.new(start)
                self.set_title(heads)
            self.title_source = "md" if has_md else "plain"
            art.start = min(art.start, start)
        elif self._caption_follows(paras, j):
            self.new(start, kind="caption")
            self.set_title(heads)
            self.title_source = "plain"
        for h in heads:
            self.add_line_sentence(h)
            self.paras_in_cur += 1

    @staticmethod
    def _caption_follows(paras: list[_Para], j: int) -> bool:
        for k, p in enumerate(paras[j : j + 4]):
            if p.cls == CREDIT:
                return k > 0
            if p.cls != BODY or len(p.lines) > 1 or p.first.end - p.first.start > 300:
                return False
            if p.first.credit is not None:  # the credit ends the caption text itself
                return True
        return False

    # -- main loop ----------------------------------------------------------
    def run(self, paras: list[_Para]) -> list[Article]:
        i = 0
        n = len(paras)
        while i < n:
            p = paras[i]
            cls = p.cls
            opening = self.cur is None or self.boundary  # a '####' may head a page
            if cls in (SHORT, MD_TITLE) or (cls == MD_SECTION and (p.first.kicker or opening)):
                j = i
                heads: list[_Line] = []
                while (
                    j < n
                    and (
                        paras[j].cls in _HEADS
                        or (paras[j].cls == MD_SECTION and (paras[j].first.kicker or opening))
                    )
                    and paras[j].first.inside == p.first.inside  # in-paragraph heads apart
                ):
                    heads.append(paras[j].first)
                    j += 1
                self.head_block(heads, paras, j)
                i = j
                continue
            line = p.first
            if cls == FURN:
                # furniture after body text ends the article; under a headline
                # (a picture, a "来源:" line) it does not
                if self.body_spans:
                    self.boundary = True
            elif cls == CONT:
                self.new(line.line_start, kind="continuation")
                self.title_source = "cont"
                self.extend(line.end)
                pieces = [(line.body_start, line.end)] + [(ln.start, ln.end) for ln in p.lines[1:]]
                self.add_sentences([pc for pc in pieces if pc[0] < pc[1]])
                if pieces[0][0] < pieces[-1][1]:
                    self.body_spans.append((pieces[0][0], pieces[-1][1]))
            elif cls == MD_SECTION:
                self.ensure(line.line_start)
                self.add_line_sentence(line)
            elif cls in (BYLINE, AUTHOR):
                art = self.ensure(line.line_start)
                if line.closes and not self.body_spans:
                    line.closes = False  # "(记者 某某)" under a headline opens, not closes
                art.byline.extend(x for x in line.names if x not in art.byline)
                if cls == AUTHOR and art.kind == "news":
                    art.kind = "commentary"
                self.extend(line.end)
            elif cls == CREDIT:
                self.ensure(line.line_start)
                self.credit((line.start, line.end), line.names)
            elif cls == SOURCE:
                art = self.ensure(line.line_start)
                if art.dateline is None:
                    art.dateline = line.text.strip("()（）")
                self.extend(line.end)
                self.boundary = True
            elif cls == NOTE:
                self.ensure(line.line_start)
                self.add_line_sentence(line)
                self.boundary = True
            elif cls == LEAD:
                cur = self.cur
                if (
                    cur is None
                    or self.boundary
                    or (cur.sentences and cur.dateline is not None)
                    or (cur.sentences and self.title_source in ("", "cont"))
                ):
                    art = self.new(line.line_start)
                else:
                    art = cur
                art.dateline = line.dateline
                art.byline.extend(x for x in line.names if x not in art.byline)
                pieces = [(line.body_start, line.end)] + [(ln.start, ln.end) for ln in p.lines[1:]]
                self.add_sentences(pieces)
                self.body_spans.append((line.body_start, p.lines[-1].end))
            else:  # BODY
                art = self.ensure(line.line_start)
                self.body_spans.append((line.start, p.lines[-1].end))
                if art.kind == "caption":
                    art.captions.append((line.start, p.lines[-1].end))
                self.add_sentences([(ln.start, ln.end) for ln in p.lines])
                last = p.lines[-1]
                if last.credit is not None:  # "…比赛现场。本报记者 某某 摄"
                    self.credit(last.credit, last.names)
            self.paras_in_cur += 1
            if any(ln.closes for ln in p.lines):
                self.boundary = True
            i += 1
        return [a for a in self.articles if a.sentences or a.title or a.byline]


def split_articles(doc: Document) -> list[Article]:
    """Split a document (a page, or one record) into articles with sentences.

    Every article carries its title (normalised), subtitles, byline names,
    dateline, kind (``news``, ``caption``, ``continuation``, ``commentary``),
    original ``start``/``end``, caption spans and sentences; headline and
    section-heading lines are sentences of their own.  ``captions`` holds the
    original spans of photo-credit lines and, for a ``caption`` article, of its
    caption paragraphs.  Byline, credit, furniture and marker lines are not
    sentences; a lead's dateline and bracketed byline are cut off its first
    sentence.  ``date`` is the document's date (a JSON Lines record's).

    Parameters
    ----------
    doc
        The document; its text is normalised with :func:`kg.text.normalize`
        (same length) and every offset points into ``doc.text``.

    Returns
    -------
    list of Article
        In page order, indexed from 0; sentences sorted by ``start``.

    Examples
    --------
    >>> text = "工会驿站开放\\n\\n本报讯(记者张三)近日,某市总工会开放驿站。职工点赞!\\n"
    >>> [a] = split_articles(Document("d.txt", "d.txt", text))
    >>> a.title, a.byline, a.dateline, [s.text for s in a.sentences]
    ('工会驿站开放', ['张三'], '本报讯', ['工会驿站开放', '近日,某市总工会开放驿站。', '职工点赞!'])
    """
    norm = normalize(doc.text)
    paras = _paragraphs(_lines(doc, norm))
    arts = _Builder(doc, norm).run(paras)
    for k, art in enumerate(arts):
        art.index = k
        art.sentences.sort(key=lambda s: s.start)
        for j, s in enumerate(art.sentences):
            s.index = j
    return arts


def iter_sentences(articles: list[Article]) -> list[tuple[Article, Sentence]]:
    """All ``(article, sentence)`` pairs in document order."""
    return [(a, s) for a in articles for s in a.sentences]
