"""The faster text layer and writer give exactly what the plain code gives.

* ``kg.jsonl.doc_line`` writes each record straight from the result: its bytes are
  ``json.dumps(doc_record(result), ensure_ascii=False) + "\\n"``, whatever the values.
* ``kg.text.layout._line_spans`` (``str.splitlines``) gives the spans of
  ``_LINE.finditer``; ``kg.text.norm.to_simplified`` converts around lone
  surrogates as it did when it searched for them first.
* ``kg.text.sentences.sentence_ends`` finds where ``_SENT_END.finditer`` ends its
  matches; ``kg.text.layout._final_end`` is ``_FINAL_END.search``; the line-end
  tests that guard the layout patterns are true wherever the pattern matches.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.jsonl import doc_line, doc_record, write_extraction
from kg.model import (
    Article,
    DocResult,
    Document,
    Entity,
    Evidence,
    Fact,
    Mention,
    Relation,
    Sentence,
    TextView,
)
from kg.text import layout, norm
from kg.text.sentences import _SENT_END, sentence_ends

ROOT = Path(__file__).resolve().parent.parent

# the patterns the text layer used before (references for the code that replaced them)
_LINE = re.compile(r"[^\n\r\f\v\x1c-\x1e\x85\u2028\u2029]+")
_FINAL_END = re.compile(r"(?:[。！？!?]|……|…)[”’\"'」』)）\]】》]*$")
_NAME = re.compile(r"^[\u4e00-\u9fff·•]{2,8}$")
_HAS_TEXT = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")


def _reference(result: DocResult) -> str:
    return json.dumps(doc_record(result), ensure_ascii=False) + "\n"


# -- doc_line ------------------------------------------------------------------

_ODD = st.sampled_from(
    ["", '引号"和\\反斜杠', "控制\x00\x1f\x7f字符", "换行\n\t", "é😀", "\u2028\u2029", "工会"]
)
_WORD = st.one_of(_ODD, st.text(max_size=8))
_CONF = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1.0, 0.85, 0.123456789, 1e-7, 1e21]),
    st.integers(min_value=-2, max_value=2),  # an int where a float is meant: json writes "1"
)


_VALUES: list[int | Decimal] = [1200000, Decimal("1.5"), Decimal("3"), 0, -7]


def _result(data: st.DataObject) -> DocResult:
    text = "某市总工会联合人社局开展“暖心行动”服务快递员。"
    doc = Document(data.draw(_WORD), "p", text)
    sent = Sentence(0, 0, len(text), TextView.from_pieces([(text, 0)]))
    art = Article(doc.doc_id, 0, 0, len(text), "", sentences=[sent])
    n = data.draw(st.integers(min_value=0, max_value=5))
    names = data.draw(st.lists(_WORD, min_size=n, max_size=n, unique=True))
    entities: dict[str, Entity] = {}
    for k, name in enumerate(names):
        ent = Entity(
            data.draw(st.sampled_from(["UnionBody", "Program", "类型"])),
            name,
            set(data.draw(st.lists(_WORD, max_size=3))) | ({name} if k % 2 else set()),
            implicit=data.draw(st.booleans()),
            kind=data.draw(st.none() | _WORD),
            level=data.draw(st.none() | _WORD),
            region_code=data.draw(st.none() | _WORD),
            region_name=data.draw(st.none() | _WORD),
        )
        entities[ent.key] = ent
    keys = [*entities, "Program:没有的实体"]  # a mention of an entity not emitted
    mentions = [
        Mention(
            data.draw(st.sampled_from(keys)),
            data.draw(st.integers(0, 30)),
            data.draw(st.integers(0, 30)),
            data.draw(_WORD),
            data.draw(st.integers(0, 2)),
            data.draw(st.integers(0, 2)),
            implicit=data.draw(st.booleans()),
            confidence=data.draw(_CONF),
            recogniser=data.draw(_WORD),
        )
        for _ in range(data.draw(st.integers(0, 8)))
    ]
    relations = []
    for _ in range(data.draw(st.integers(0, 4))):
        evidence = []
        for _ in range(data.draw(st.integers(0, 3))):
            trigger = data.draw(st.none() | _WORD)
            evidence.append(
                Evidence(
                    doc.doc_id,
                    data.draw(st.integers(0, 2)),
                    data.draw(st.integers(0, 2)),
                    0,
                    len(text),
                    data.draw(_WORD),
                    data.draw(st.integers(0, 9)),
                    5,
                    data.draw(st.integers(0, 9)),
                    12,
                    data.draw(_WORD),
                    data.draw(_CONF),
                    trigger,
                    None if trigger is None else data.draw(st.none() | st.integers(0, 9)),
                    None if trigger is None else 9,
                )
            )
        relations.append(
            Relation(
                data.draw(st.sampled_from(keys)),
                data.draw(st.sampled_from(["runs", "serves"])),
                data.draw(st.sampled_from(keys)),
                evidence,
            )
        )
    facts = [
        Fact(
            "money",
            data.draw(st.sampled_from(_VALUES)),
            "元",
            data.draw(st.booleans()),
            data.draw(_WORD),
            data.draw(st.none() | st.sampled_from(keys)),
            data.draw(st.none() | st.sampled_from(keys)),
            0,
            0,
            1,
            3,
            0,
            9,
            data.draw(_WORD),
            "facts",
            data.draw(_CONF),
        )
        for _ in range(data.draw(st.integers(0, 2)))
    ]
    return DocResult(doc, [art], entities, mentions, relations, facts)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_doc_line_is_json_dumps_of_doc_record(data: st.DataObject) -> None:
    result = _result(data)
    assert doc_line(result) == _reference(result)


def test_doc_line_writes_non_finite_and_int_confidences_as_json_does() -> None:
    text = "工会。"
    doc = Document("d", "d", text)
    ent = Entity("UnionBody", "工会")
    confs: list[float] = [math.nan, math.inf, -math.inf, 1, 0.30000000000000004, 0.0, -0.0]
    confs += [-0.0, 0.0, 0.85, 0.85, 1e300, -1e-300]  # repeated: the texts are remembered
    for k, conf in enumerate(confs):
        start = [0, 4095, 4096, 10**20, -1, -4097][k % 6]  # offsets past the small numbers
        m = Mention(ent.key, start, 2, "工会", 0, 0, confidence=conf)
        result = DocResult(doc, [], {ent.key: ent}, [m])
        assert doc_line(result) == _reference(result)


def test_seed_lines_are_the_reference_bytes(tmp_path: Path) -> None:
    from kg.pipeline import extract_paths

    results = extract_paths([ROOT / "seeds"])
    assert results
    out = tmp_path / "extraction.jsonl"
    assert write_extraction(results, out) == len(results)
    assert out.read_text("utf-8") == "".join(_reference(r) for r in results)


@pytest.mark.parametrize("conf", [0.5, 1.0])
def test_doc_line_keeps_the_guidelines_key_order(conf: float) -> None:
    text = "工会。"
    doc = Document("d", "d", text)
    ent = Entity("UnionBody", "工会", {"总工会"}, level="county")
    m = Mention(ent.key, 0, 2, "工会", 0, 0, confidence=conf, recogniser="r")
    rec = json.loads(doc_line(DocResult(doc, [], {ent.key: ent}, [m])))
    assert list(rec) == ["doc", "entities", "relations", "facts"]
    assert list(rec["entities"][0]) == [
        "id",
        "type",
        "name",
        "aliases",
        "level",
        "confidence",
        "mentions",
    ]


# -- sentence ends and line ends -------------------------------------------------

_MARKS = st.lists(
    st.one_of(
        st.sampled_from(list("。！？!?…”’\"'」』)）]】》a1=/.%-_&工 \n")),
        st.sampled_from(["……", "?!", "。”", "php?id=3", "好!", "\n"]),
        st.text(max_size=3),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_MARKS)
def test_sentence_ends_are_the_pattern_matches(text: str) -> None:
    assert sentence_ends(text) == [m.end() for m in _SENT_END.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(_MARKS)
def test_final_end_is_the_pattern(text: str) -> None:
    assert layout._final_end(text) == bool(_FINAL_END.search(text))


def _cue_pieces() -> list[str]:
    c = layout.cues()
    words = [*c.credit_words, *c.photo_words, *c.report_words]
    return [
        *words,
        *c.author_marks,
        "本报记者",
        "记者",
        "(",
        ")",
        "）",
        "【",
        "[",
        "完",
        "下转第2版",
        "(下转第2版)",
        "(完)",
        "上接第1版)",
        "作者系",
        "新华社北京10月20日电)",
        "责任编辑",
        "来源",
        ":",
        "：",
        "2024年5月1日 星期三",
        "第3版",
        " ",
        "\n",
        "。",
        "张三",
    ]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_line_end_guards_never_hide_a_match(data: st.DataObject) -> None:
    pieces = _cue_pieces()
    text = "".join(
        data.draw(st.lists(st.one_of(st.sampled_from(pieces), st.text(max_size=3)), max_size=12))
    )
    c = layout.cues()
    if c.credit.match(text):
        assert layout._ends_with(text, c.credit_words, ")")
    if c.credit_tail.search(text):
        assert layout._ends_with(text, c.photo_words, ")）")
    if c.reported.search(text):
        assert layout._ends_with(text, c.report_words)
    if c.jump.search(text) or c.the_end.search(text):
        assert layout._ends_with(text, layout._PAREN)
    if c.furniture.match(text):
        assert ":" in text or "：" in text
    if layout._PAGE_HEADER.match(text):
        assert "年" in text or "版" in text
    if c.continued.match(text) or c.source.match(text) or c.note.match(text):
        assert text.startswith("(")
    if c.author.match(text):
        assert text[:1] in c.author_marks
    if c.lead_bracketed.match(text):
        assert text[:1] in layout._BRACKET_OPEN


def test_line_end_guards_on_lines_of_each_kind() -> None:
    c = layout.cues()
    credit, photo, report = c.credit_words[0], c.photo_words[0], c.report_words[0]
    lines = [
        f"本报记者 王某 {credit}",
        f"(本报记者 王某 {credit})",
        f"职工在比赛现场。本报记者 王某 {photo}",
        f"职工在比赛现场。本报记者 王某 {photo})",
        f"记者 王某 {report}",
        "职工在现场领取物资。(完)",
        "职工在现场领取物资。(下转第2版)",
        f"本报记者 王某 {credit}\n",
    ]
    for text in lines:
        assert (
            c.credit.match(text)
            or c.credit_tail.search(text)
            or c.reported.search(text)
            or c.jump.search(text)
            or c.the_end.search(text)
        ), text
        assert (
            layout._ends_with(text, c.credit_words, ")")
            or layout._ends_with(text, c.photo_words, ")）")
            or layout._ends_with(text, c.report_words)
            or layout._ends_with(text, layout._PAREN)
        ), text


_BREAKY = st.lists(
    st.one_of(
        st.sampled_from(list("\n\r\f\v\x1c\x1d\x1e\x85\u2028\u2029 工a\t\u3000")),
        st.sampled_from(["\r\n", "\n\r", "\r\r\n", "工会\n"]),
        st.text(max_size=3),
    ),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_BREAKY)
def test_line_spans_are_the_line_pattern_spans(text: str) -> None:
    assert layout._line_spans(text) == [m.span() for m in _LINE.finditer(text)]


def _searched_first(text: str) -> str:
    """``to_simplified`` as it was: lone surrogates looked for before converting."""
    sur = norm._SURROGATE
    if text.isascii():
        return text
    if sur.search(text):
        safe = _searched_first(sur.sub("\ufffd", text))
        return "".join(t if sur.match(t) else o for o, t in zip(safe, text, strict=True))
    out: str = norm._converter().convert(text)
    if len(out) == len(text):
        return out
    return "".join(norm._t2s_char(ch) if ord(ch) > 0x2E7F else ch for ch in text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["臺灣省總工會", "\ud800", "\udfff", "發展", "a", "。"]),
            st.text(max_size=3),
        ),
        max_size=12,
    ).map("".join)
)
def test_to_simplified_around_surrogates(text: str) -> None:
    assert norm.to_simplified(text) == _searched_first(text)


def _wrap_width_as_was(lines: list[layout._Line]) -> int:
    lens = [len(ln.text) for ln in lines if ln.cls in (layout.BODY, layout.SHORT)]
    lens = [k for k in lens if k >= 12]
    if len(lens) < 8:
        return 0
    counts = Counter(lens)
    width, hits = max(
        ((w, counts[w - 1] + counts[w] + counts[w + 1]) for w in counts), key=lambda x: x[1]
    )
    return width - 1 if hits >= 0.4 * len(lens) else 0


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.sampled_from([layout.BODY, layout.SHORT, layout.LEAD])),
        max_size=40,
    )
)
def test_wrap_width_as_it_was(shape: list[tuple[int, str]]) -> None:
    lines = [layout._Line(0, n, "工" * n, cls) for n, cls in shape]
    assert layout._wrap_width(lines) == _wrap_width_as_was(lines)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from([*"张三·•\n\u4dff\u4e00\u9fff\ua000a9 ", "\u3400", "—"]),
            st.text(max_size=2),
        ),
        max_size=10,
    ).map("".join)
)
def test_name_and_text_tests_are_the_patterns(text: str) -> None:
    assert layout._is_name(text) == bool(_NAME.match(text))
    assert layout._has_text(text) == bool(_HAS_TEXT.search(text))
