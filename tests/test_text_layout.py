"""Article splitting, column-break repair and sentences (kg.text.layout)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.model import Article, Document
from kg.text import normalize, read_documents, split_articles

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLDEN = Path(__file__).parent / "golden" / "articles" / "seeds.json"
DATA = Path(__file__).parent / "data" / "text"

GOLD: dict[str, list[dict[str, object]]] = json.loads(GOLDEN.read_text(encoding="utf-8"))


def _doc(text: str, name: str = "page.txt") -> Document:
    return Document(doc_id=name, path=name, text=text)


def _summary(arts: list[Article]) -> list[dict[str, object]]:
    return [
        {
            "kind": a.kind,
            "title": a.title,
            "subtitles": a.subtitles,
            "byline": a.byline,
            "dateline": a.dateline,
        }
        for a in arts
    ]


def _seed(name: str) -> Document:
    [doc] = read_documents(SEEDS / name)
    return doc


def _sentences(doc: Document) -> list[str]:
    return [s.text for a in split_articles(doc) for s in a.sentences]


# --------------------------------------------------------------------------- seeds


def test_golden_covers_all_seeds() -> None:
    assert sorted(GOLD) == sorted(p.name for p in SEEDS.glob("*.txt"))


@pytest.mark.parametrize("name", sorted(GOLD))
def test_seed_articles_match_golden(name: str) -> None:
    arts = split_articles(_seed(name))
    expected = GOLD[name]
    assert [a["title"] for a in _summary(arts)] == [e["title"] for e in expected]
    assert _summary(arts) == expected


@pytest.mark.parametrize("name", sorted(GOLD))
def test_seed_offsets_are_consistent(name: str) -> None:
    doc = _seed(name)
    norm = normalize(doc.text)
    arts = split_articles(doc)
    prev_end = 0
    for k, art in enumerate(arts):
        assert art.index == k
        assert art.article_id == f"{name}#a{k}"
        assert prev_end <= art.start < art.end <= len(doc.text)
        prev_end = art.end
        if art.title_span is not None:
            s, e = art.title_span
            assert norm[s:e] == art.title
        for j, sent in enumerate(art.sentences):
            assert sent.index == j
            assert art.start <= sent.start < sent.end <= art.end
            assert sent.text.strip() == sent.text and sent.text
            # every view character is the normalised original character
            for i, ch in enumerate(sent.text):
                assert norm[sent.view.orig_index(i)] == ch
            assert sent.view.to_original(0, len(sent.text)) == (sent.start, sent.end)
        starts = [s.start for s in art.sentences]
        assert starts == sorted(starts)


def test_titles_are_sentences_of_their_own() -> None:
    for name in GOLD:
        for art in split_articles(_seed(name)):
            if art.title and art.title_span is not None:
                assert art.title in [s.text for s in art.sentences]


def test_furniture_is_dropped_and_bylines_are_not_sentences() -> None:
    sents = [s for n in GOLD for s in _sentences(_seed(n))]
    assert not [s for s in sents if s.startswith(("责任编辑", "E-mail"))]
    assert not [s for s in sents if s.startswith(("本报记者", "本报通讯员", "本报讯", "□"))]
    assert not [s for s in sents if s.endswith(" 摄")]


def test_lead_sentence_starts_after_dateline_and_byline() -> None:
    [first, *_] = split_articles(_seed("000_20dd1265d34bf7f5.txt"))
    texts = [s.text for s in first.sentences]
    assert texts[2].startswith("累计发出“一函两书”5800余份")
    assert first.byline == ["黄洪涛"] and first.dateline == "本报讯"


def test_section_headings_do_not_start_articles() -> None:
    arts = split_articles(_seed("003_feb8af84f43498c4.txt"))
    [heze] = [a for a in arts if a.title.startswith("菏泽市总工会")]
    texts = [s.text for s in heze.sentences]
    for heading in ("多元协同聚合力", "源头化解风险点", "精准赋能强本领"):
        assert heading in texts
    md = split_articles(_seed("001_774858ee6b01c4fa.txt"))
    [coal] = [a for a in md if a.title.startswith("58家")]
    assert "助推创新成果涌现" in [s.text for s in coal.sentences]


def test_continuation_after_marker() -> None:
    arts = split_articles(_seed("002_084ac2eb1db53316.txt"))
    cont = arts[-1]
    assert cont.kind == "continuation" and cont.title == ""
    assert cont.sentences[0].text.startswith("“我们通过管理标准化")


# --------------------------------------------------------------------------- column breaks

SEED_BREAKS = [
    ("000_20dd1265d34bf7f5.txt", "累计深入1.7万余家企业开展劳动用工监督评估"),
    ("001_774858ee6b01c4fa.txt", "累计深入1.8万余家企业开展劳动用工监督评估"),
    ("000_20dd1265d34bf7f5.txt", "列为监督重点,开展实地检查。"),
    ("000_20dd1265d34bf7f5.txt", "有效破解监督力量不足、覆盖面不广的难题。"),
    ("000_20dd1265d34bf7f5.txt", "这些占地20平方米的智能驿站,采用集装箱式可移动结构"),
    ("000_20dd1265d34bf7f5.txt", "联合开展“中国工人大思政课”“机械大讲堂”等"),
    # a heading printed inside a broken paragraph is skipped over
    ("000_20dd1265d34bf7f5.txt", "总书记的关怀始终如一。"),
    ("003_feb8af84f43498c4.txt", "拖欠工资差额且被违法解除劳动合同后"),
    ("003_feb8af84f43498c4.txt", "2026年中国机械冶金建材工会计划在15个省"),
]


@pytest.mark.parametrize(("name", "joined"), SEED_BREAKS)
def test_seed_column_breaks_are_repaired(name: str, joined: str) -> None:
    doc = _seed(name)
    hits = [
        s
        for a in split_articles(doc)
        for s in a.sentences
        if joined in s.text  # the sentence comes out whole
    ]
    assert len(hits) == 1, joined
    sent = hits[0]
    # the view skips the break; the original range still spans it
    assert len(sent.view.text) < sent.end - sent.start
    between = doc.text[sent.start : sent.end]
    assert "\n" in between
    at = sent.text.index(joined)
    o_start, o_end = sent.view.to_original(at, at + len(joined))
    original = normalize(doc.text[o_start:o_end])
    if "关怀始终" in joined:  # a section heading sits inside the break
        assert "汲取奋进力量" in original
    else:  # only the break's whitespace lies between the pieces
        assert "".join(original.split()) == joined


INVENTED = (
    "市总工会职工服务中心开业\n"
    "\n"
    "本报讯(记者王小明 通讯员李红)近日,某市总工会在高新区建成职工服务中心,\n"
    "\n"
    "为园区3.5\n"
    "\n"
    "万名职工提供法律咨询、技能培训等服务。中心实行“一站式”\n"
    "\n"
    "办理。\n"
    "\n"
    "服务项目持续扩容\n"
    "\n"
    "中心负责人介绍,今后将联合人社部门开展“技能\n"
    "\n"
    "提升月”活动。\n"
)


def test_invented_page_column_breaks() -> None:
    doc = _doc(INVENTED)
    [art] = split_articles(doc)
    assert art.title == "市总工会职工服务中心开业"
    assert art.byline == ["王小明", "李红"]
    assert [s.text for s in art.sentences] == [
        "市总工会职工服务中心开业",
        "近日,某市总工会在高新区建成职工服务中心,为园区3.5万名职工提供法律咨询、技能培训等服务。",
        "中心实行“一站式”办理。",
        "服务项目持续扩容",
        "中心负责人介绍,今后将联合人社部门开展“技能提升月”活动。",
    ]
    number = art.sentences[1]
    at = number.text.index("3.5万")
    s, e = number.view.to_original(at, at + 4)
    assert doc.text[s:e] == "3.5\n\n万"


def test_headline_is_not_joined_to_the_body() -> None:
    text = (
        "工会驿站暖人心\n\n冬日送温暖 服务不打烊\n\n本报记者 张三\n\n"
        "近日,某区总工会新建驿站10家。\n"
    )
    [art] = split_articles(_doc(text))
    assert [s.text for s in art.sentences] == [
        "工会驿站暖人心",
        "冬日送温暖 服务不打烊",
        "近日,某区总工会新建驿站10家。",
    ]
    assert art.subtitles == ["冬日送温暖 服务不打烊"] and art.byline == ["张三"]


# --------------------------------------------------------------------------- page shapes


def test_photo_caption_is_its_own_article() -> None:
    text = (
        "某市总工会召开全委会\n\n本报讯(记者甲乙)近日,某市总工会召开全委会。\n\n"
        "技能比武展风采\n\n5月9日,某公司职工在比赛中操作设备。\n\n本报通讯员 丙丁 摄\n\n"
        "某县工会开展培训\n\n本报讯(记者戊己)近日,某县总工会开展培训。\n"
    )
    arts = split_articles(_doc(text))
    assert [(a.kind, a.title) for a in arts] == [
        ("news", "某市总工会召开全委会"),
        ("caption", "技能比武展风采"),
        ("news", "某县工会开展培训"),
    ]
    assert arts[1].byline == ["丙丁"] and arts[1].captions


def test_dateline_with_place_and_source_line() -> None:
    text = (
        "某省总工会发布白皮书\n\n本报长沙5月20日电(记者王五)今天,某省总工会发布白皮书。\n\n"
        "(上接第1版)\n\n文章继续。\n\n(新华社北京10月20日电)\n"
    )
    arts = split_articles(_doc(text))
    assert arts[0].dateline == "本报长沙5月20日电" and arts[0].byline == ["王五"]
    assert arts[1].kind == "continuation" and arts[1].dateline == "新华社北京10月20日电"
    assert [s.text for s in arts[1].sentences] == ["文章继续。"]


def test_commentary_author_and_note() -> None:
    text = "学习心得\n\n□张三\n\n我们要努力工作。\n\n(作者系某市总工会干部)\n"
    [art] = split_articles(_doc(text))
    assert art.kind == "commentary" and art.byline == ["张三"]
    assert art.sentences[-1].text == "(作者系某市总工会干部)"


def test_traditional_article() -> None:
    doc = read_documents(DATA / "traditional.txt")[0]
    [art] = split_articles(doc)
    assert art.title == "台湾省总工会举办劳工权益讲座"
    assert art.dateline == "本报讯" and art.byline == ["陈大文"]
    texts = [s.text for s in art.sentences]
    # full-width digits become half width; Chinese punctuation (，) is kept
    assert texts[1].startswith("近日，台湾省总工会与劳动部门联合举办劳工权益讲座")
    assert "为300余名职工提供咨询服务。" in texts[1]
    # offsets point at the traditional original
    s = art.sentences[1]
    at = s.text.index("台湾省总工会")
    o, e = s.view.to_original(at, at + 6)
    assert doc.text[o:e] == "臺灣省總工會"


def test_jsonl_record_without_head_uses_record_title() -> None:
    doc = Document("x.jsonl#1", "x.jsonl", "某市总工会开展活动。职工参与。", title="活動標題")
    [art] = split_articles(doc)
    assert art.title == "活动标题" and art.title_span is None
    assert [s.text for s in art.sentences] == ["某市总工会开展活动。", "职工参与。"]


def test_sentence_split_keeps_closing_quotes() -> None:
    text = "他说:“工会太给力了。”随后离开!真的吗?是的……好\n"
    [art] = split_articles(_doc(text))
    assert [s.text for s in art.sentences] == [
        "他说:“工会太给力了。”",
        "随后离开!",
        "真的吗?",
        "是的……",
        "好",
    ]


def test_no_split_on_semicolon_or_comma() -> None:
    text = "第一项工作,已经完成;第二项工作,正在推进。\n"
    [art] = split_articles(_doc(text))
    assert len(art.sentences) == 1


@pytest.mark.parametrize("text", ["", "\n\n  \n", "——\n\n■\n"])
def test_empty_pages_give_no_articles(text: str) -> None:
    assert split_articles(_doc(text)) == []


def test_crlf_and_indented_paragraphs() -> None:
    text = "工会新闻标题\r\n\r\n\u3000\u3000本报讯(记者张三)近日,工会开展活动。\r\n"
    [art] = split_articles(_doc(text))
    assert art.title == "工会新闻标题"
    assert [s.text for s in art.sentences][1] == "近日,工会开展活动。"


def test_words_cut_by_a_break_are_rejoined_but_headings_stay() -> None:
    text = (
        "某市工会召开会议\n\n本报记者 张三\n\n"
        "近日,某市总工会会同市医疗保障局召开联\n\n席会议,研究部署工作。\n\n"
        "服务职工有新招\n\n工会推出新举措。\n\n"
        "会议由市总工会主办\n\n的“惠工码”同步上线。\n"
    )
    [art] = split_articles(_doc(text))
    assert [s.text for s in art.sentences] == [
        "某市工会召开会议",
        "近日,某市总工会会同市医疗保障局召开联席会议,研究部署工作。",
        "服务职工有新招",
        "工会推出新举措。",
        "会议由市总工会主办的“惠工码”同步上线。",
    ]


def test_urls_do_not_end_sentences_and_fullwidth_forms_normalise() -> None:
    text = "详见 http://x.com/a.php?id=3 网页!好吗?３～５年内完成（试点）：是的！？对。\n"
    [art] = split_articles(_doc(text))
    assert [s.text for s in art.sentences] == [
        "详见 http://x.com/a.php?id=3 网页!",
        "好吗?",
        "3~5年内完成(试点):是的！？",
        "对。",
    ]


def test_traditional_page_with_several_articles() -> None:
    [doc] = read_documents(DATA / "traditional_page.txt")
    first, second = split_articles(doc)
    assert first.title == "香港工联会推动职业安全培训"
    assert first.subtitles == ["地盘工人学习防暑知识"]
    assert first.byline == ["陈大文", "李小明"] and first.dateline == "本报讯"
    texts = [s.text for s in first.sentences]
    assert "工联会负责人表示:「我们会继续与政府部门合作，保障工人健康。」" in texts
    assert "部分工人表示，讲座内容实用，希望今后多举办类似活动。" in texts  # column break
    assert "安全培训走进社区" in texts  # a section heading, not an article
    assert not [t for t in texts if "责任编辑" in t]
    assert (second.title, second.byline) == ("台湾省总工会举办劳资协商研习", ["黄志强"])
    assert len(second.captions) == 1  # the closing photo credit
