"""Page shapes beyond the seeds: web copies, full-width text, hard wraps, markdown."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.model import Article, Document
from kg.text import read_documents, split_articles
from kg.text.layout import byline_names

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _arts(text: str) -> list[Article]:
    return split_articles(Document("p.txt", "p.txt", text))


def _texts(art: Article) -> list[str]:
    return [s.text for s in art.sentences]


def test_full_width_web_copy() -> None:
    text = (
        "某省总工会推进劳动法律监督\n"
        "　　本报讯（记者 张三 通讯员 李四）近日，某省总工会召开会议，"
        "部署２０２６年劳动法律监督工作。会议要求，各级工会要发出“一函两书”。（下转第２版）\n"
        "责任编辑：王五\n"
        "（上接第１版）\n"
        "　　会议还通报了典型案例。\n"
    )
    first, cont = _arts(text)
    assert first.title == "某省总工会推进劳动法律监督"
    assert first.byline == ["张三", "李四"] and first.dateline == "本报讯"
    assert _texts(first)[1:] == [
        "近日，某省总工会召开会议，部署2026年劳动法律监督工作。",
        "会议要求，各级工会要发出“一函两书”。",
    ]
    assert cont.kind == "continuation" and _texts(cont) == ["会议还通报了典型案例。"]


def test_web_page_furniture_and_closing_byline() -> None:
    text = (
        "原标题：旧的标题\n\n"
        "某市工会开展培训\n\n"
        "来源：工人日报\n\n"
        "【字体：大 中 小】\n\n"
        "近日，某市总工会开展技能培训。\n\n"
        "（记者 张三）\n\n"
        "【打印】\n\n"
        "另一篇文章的标题\n\n"
        "作者：李四\n\n"
        "某区总工会慰问职工。\n"
    )
    first, second = _arts(text)
    assert first.title == "某市工会开展培训" and first.byline == ["张三"]
    assert _texts(first) == ["某市工会开展培训", "近日，某市总工会开展技能培训。"]
    assert second.title == "另一篇文章的标题" and second.byline == ["李四"]


@pytest.mark.parametrize("heading", ["记者节快乐", "通讯员培训班开班", "记者走基层"])
def test_headlines_that_open_with_a_role_word_are_not_bylines(heading: str) -> None:
    [art] = _arts(f"{heading}\n\n本报讯(记者张三)近日,工会开展活动。\n")
    assert art.title == heading and art.byline == ["张三"]


def test_lead_byline_without_brackets() -> None:
    [art] = _arts("标题在此\n\n本报讯 记者张三 通讯员李四 近日,工会开展活动。\n")
    assert art.byline == ["张三", "李四"]
    assert _texts(art)[1] == "近日,工会开展活动。"


@pytest.mark.parametrize(
    ("lead", "dateline"),
    [
        ("中工网讯(记者张三)", "中工网讯"),
        ("新华社北京5月1日电(记者张三)", "新华社北京5月1日电"),
        ("人民网上海10月2日电(记者张三)", "人民网上海10月2日电"),
        ("本报讯 (记者张三)", "本报讯"),
    ],
)
def test_datelines(lead: str, dateline: str) -> None:
    [art] = _arts(f"标题\n\n{lead}近日,工会开展活动。\n")
    assert art.dateline == dateline and art.byline == ["张三"]
    assert _texts(art)[1] == "近日,工会开展活动。"


def test_markdown_bold_heading_and_image() -> None:
    text = (
        "**某县工会成立**\n\n![图片](a.jpg)\n\n本报讯(记者张三)近日,某县总工会成立。\n\n"
        "**服务职工有新招**\n\n工会推出新举措。\n"
    )
    [art] = _arts(text)
    assert art.title == "某县工会成立"
    assert _texts(art) == [
        "某县工会成立",
        "近日,某县总工会成立。",
        "服务职工有新招",
        "工会推出新举措。",
    ]


def test_headline_with_question_mark_is_one_sentence() -> None:
    [art] = _arts("奖金为何加码?答案在这里\n\n本报记者 张三\n\n近日,工会开展活动。\n")
    assert _texts(art)[0] == "奖金为何加码?答案在这里"


def test_hard_wrapped_copy_gives_the_same_sentences() -> None:
    [doc] = read_documents(SEEDS / "003_feb8af84f43498c4.txt")
    arts = split_articles(doc)
    art = next(a for a in arts if a.title.startswith("庆祝湖南省总工会"))
    paras = [p.strip() for p in doc.text[art.start : art.end].split("\n") if p.strip()]
    width = 30
    wrapped = "\n".join("\n".join(p[i : i + width] for i in range(0, len(p), width)) for p in paras)
    [copy] = _arts(wrapped)
    assert copy.title == art.title and copy.byline == art.byline
    assert _texts(copy) == _texts(art)


def test_byline_names() -> None:
    assert byline_names("本报通讯员 王智 本报记者 祝盼 毛浓颖") == ["王智", "祝盼", "毛浓颖"]
    assert byline_names("记者 阿不都·热合曼") == ["阿不都·热合曼"]
    assert byline_names("记者从市总工会获悉") is None


@pytest.mark.parametrize(
    ("lead", "dateline", "byline"),
    [
        ("（中央社記者陳大文台北1日電）", "中央社记者陈大文台北1日电", []),
        ("【記者陳大文／台北報導】", "记者陈大文/台北报导", ["陈大文"]),
    ],
)
def test_traditional_bracketed_leads(lead: str, dateline: str, byline: list[str]) -> None:
    [art] = _arts(f"臺灣勞工講座舉行\n\n{lead}臺灣省總工會今天舉辦講座。\n")
    assert art.title == "台湾劳工讲座举行"
    assert art.dateline == dateline and art.byline == byline
    assert _texts(art)[1] == "台湾省总工会今天举办讲座。"


def test_a_body_line_is_not_a_dateline() -> None:
    [art] = _arts("标题\n\n据人社部门5月1日电话通知,职工可以报名。\n")
    assert art.dateline is None
    assert _texts(art)[1] == "据人社部门5月1日电话通知,职工可以报名。"


def test_carriage_returns_form_feeds_and_marked_kickers() -> None:
    [art] = _arts("标题\r第一段。\r\r■记者手记\r第二段。\f第三段。")
    assert _texts(art) == ["标题", "第一段。", "■记者手记", "第二段。", "第三段。"]
    assert art.byline == [] and art.kind == "news"


def test_page_header_lines_join_the_first_head() -> None:
    text = (
        "工人日报\n\n2026年1月22日 星期四\n\n某市总工会召开全委会\n\n"
        "本报讯(记者张三)近日,某市总工会召开会议。\n"
    )
    [art] = _arts(text)
    assert art.title == "某市总工会召开全委会" and art.subtitles == ["工人日报"]
    assert art.byline == ["张三"]


def test_a_section_heading_may_open_a_markdown_page() -> None:
    [art] = _arts("#### 小标题开头\n\n正文第一段。\n\n#### 第二节\n\n正文。\n")
    assert art.title == "小标题开头"
    assert _texts(art) == ["小标题开头", "正文第一段。", "第二节", "正文。"]


def test_credit_at_the_end_of_a_caption_paragraph() -> None:
    text = (
        "某市总工会召开全委会\n\n本报讯(记者张三)近日,某市总工会召开会议。\n\n"
        "农活大比拼\n\n10月18日,村民在泥塘间展开比赛。图为比赛现场。 本报通讯员 赵平 李梦月 摄\n\n"
        "另一篇\n\n本报讯(记者李四)近日,工会开展活动。\n"
    )
    news, caption, other = _arts(text)
    assert (caption.kind, caption.title, caption.byline) == (
        "caption",
        "农活大比拼",
        ["赵平", "李梦月"],
    )
    assert _texts(caption)[-1] == "图为比赛现场。"
    assert news.byline == ["张三"] and other.title == "另一篇"


def test_end_mark_closes_the_article() -> None:
    text = "标题一\n\n本报讯(记者张三)近日,工会开展活动。(完)\n\n标题二\n\n正文二。\n"
    first, second = _arts(text)
    assert _texts(first) == ["标题一", "近日,工会开展活动。"]
    assert second.title == "标题二" and _texts(second) == ["标题二", "正文二。"]


def test_plain_headed_article_before_a_markdown_one_stays_apart() -> None:
    text = (
        "### 第一篇\n\n本报讯(记者甲乙)近日,工会开展活动。\n\n"
        "普通标题\n\n本报记者 张三\n\n正文第一段。\n\n"
        "### 第三篇\n\n本报讯(记者丙丁)近日,工会开展活动。\n"
    )
    assert [a.title for a in _arts(text)] == ["第一篇", "普通标题", "第三篇"]


def test_continuation_may_open_with_a_section_heading() -> None:
    [cont] = _arts("(上接第1版)\n\n双轨转化 打通壁垒\n\n工匠学院开辟通道。\n")
    assert cont.kind == "continuation" and cont.title == ""
    assert _texts(cont) == ["双轨转化 打通壁垒", "工匠学院开辟通道。"]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("■本报记者 张三", "news"),
        ("□张三", "commentary"),
        ("文/图 张三", "news"),
        ("作者:张三", "news"),
        ("记者 张三 报道", "news"),
    ],
)
def test_byline_shapes(line: str, kind: str) -> None:
    [art] = _arts(f"标题\n\n{line}\n\n正文。\n")
    assert art.byline == ["张三"] and art.kind == kind
    assert _texts(art) == ["标题", "正文。"]


def test_credit_with_text_and_picture_words() -> None:
    text = (
        "图片标题\n\n图为职工比赛现场。\n\n本报记者 张三 文/图\n\n"
        "标题二\n\n本报讯(记者李四)正文。\n"
    )
    photo, news = _arts(text)
    assert (photo.kind, photo.byline) == ("caption", ["张三"])
    assert (news.title, news.byline) == ("标题二", ["李四"])


def test_role_only_bylines() -> None:
    [opinion] = _arts("让劳动者共享发展成果\n\n本报评论员\n\n劳动创造幸福。\n")
    assert opinion.kind == "commentary" and opinion.subtitles == []
    assert _texts(opinion) == ["让劳动者共享发展成果", "劳动创造幸福。"]
    [news] = _arts("某市工会开展活动\n\n本报记者 张三 本报特约记者\n\n近日,工会开展活动。\n")
    assert news.kind == "news" and news.byline == ["张三"]


def test_heading_inside_a_broken_paragraph_does_not_split_the_article() -> None:
    text = (
        "普通标题\n\n本报记者 张三\n\n"
        "第一段很长很长的文字,说明工会开展了许多活动,并且在各个方面都取得了显著的成效和进展,继续\n\n"
        "### 插入的标题\n\n推进各项工作。\n"
    )
    [art] = _arts(text)
    assert art.title == "插入的标题" and art.subtitles == ["普通标题"]
    assert _texts(art)[1].endswith("继续推进各项工作。")


def test_articles_never_overlap_after_a_heading_skip() -> None:
    text = (
        "第一篇标题\n\n本报记者 张三\n\n"
        "第一段很长很长的文字,说明工会开展了许多活动,并且在各个方面都取得了显著的成效和进展,继续\n\n"
        "小标题\n\n推进各项工作。\n\n第二篇标题\n\n本报记者 李四\n\n第二篇正文。\n"
    )
    first, second = _arts(text)
    assert first.end <= second.start
    assert _texts(first) == [
        "第一篇标题",
        "第一段很长很长的文字,说明工会开展了许多活动,并且在各个方面都取得了显著的成效和进展,继续推进各项工作。",
        "小标题",
    ]
    assert second.title == "第二篇标题" and second.byline == ["李四"]
