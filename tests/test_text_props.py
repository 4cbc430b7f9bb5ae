"""Property tests: offsets always map back into the original text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.model import Document
from kg.text import normalize, split_articles
from kg.text.sentences import split_paragraph

# Text drawn from the characters that matter to the layout rules: CJK (simplified
# and traditional), full-width forms, layout words, punctuation, digits, spaces
# and line breaks -- plus arbitrary code points.
_PIECES = [
    "本报讯",
    "(记者张三)",
    "本报记者 李四",
    "摄",
    "责任编辑:王五",
    "(上接第1版)",
    "□赵六",
    "### ",
    "#### ",
    "——",
    "阅读提示",
    "臺灣省總工會",
    "１２３％",
    "（）：",
    "\u3000",
    "\n",
    "\n\n",
    "\r\n",
    "。",
    "！",
    "？",
    "”",
    "“",
    "，",
    "、",
    "……",
    "1.7",
    "万",
    "工会",
    "的",
    "某市总工会联合人社部门开展专项行动,累计服务职工两万余人次,并在全市推广经验,继续",
    "召开联",
    "席会议",
    "(记者 王五)",
    "(完)",
    "(下转第2版)",
    "本报记者 赵平 摄",
    "**",
]
_text = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.text(max_size=6)),
    max_size=60,
).map("".join)


@given(st.text(max_size=300))
def test_normalize_keeps_length(text: str) -> None:
    out = normalize(text)
    assert len(out) == len(text)
    # ASCII stays as it is (only full-width forms and traditional characters change)
    assert all(o == t for o, t in zip(out, text, strict=True) if t.isascii())
    # (normalising twice is not always a no-op: opencc maps 薴 -> 苧 -> 苎)


@given(_text)
@settings(max_examples=300, deadline=None)
def test_every_sentence_maps_back_inside_the_original(text: str) -> None:
    doc = Document("p.txt", "p.txt", text)
    norm = normalize(text)
    arts = split_articles(doc)
    prev = 0
    for art in arts:
        assert 0 <= art.start <= art.end <= len(text)
        assert prev <= art.start
        prev = art.end
        for sent in art.sentences:
            assert sent.text
            assert art.start <= sent.start < sent.end <= art.end
            assert sent.view.to_original(0, len(sent.text)) == (sent.start, sent.end)
            last = -1
            for i, ch in enumerate(sent.text):
                o = sent.view.orig_index(i)
                assert sent.start <= o < sent.end
                assert o > last  # the view runs forward through the original
                last = o
                assert norm[o] == ch


@given(_text, st.integers(min_value=0, max_value=5))
@settings(max_examples=200, deadline=None)
def test_split_paragraph_covers_its_pieces(text: str, cuts: int) -> None:
    norm = normalize(text)
    step = max(1, len(text) // (cuts + 1))
    pieces = [(i, min(i + step, len(text))) for i in range(0, len(text), step)]
    sents = split_paragraph(norm, pieces)
    covered = "".join(s.text for s in sents)
    # only whitespace between sentences is lost
    assert "".join(covered.split()) == "".join(norm.split())


@given(
    st.lists(
        st.one_of(st.text(max_size=5), st.sampled_from(["\ud800", "\udfff", "臺灣", "１"])),
        max_size=20,
    ).map("".join)
)
def test_normalize_takes_any_string(text: str) -> None:
    # lone surrogates included: opencc cannot encode them, normalize works around
    assert len(normalize(text)) == len(text)
