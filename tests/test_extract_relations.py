"""Unit tests of the relation extractors (kg/extract/relations/).

Every sentence here is invented for the test (other provinces, other bodies);
none is taken from the seed pages.  The articles are built by hand with
:func:`build`, so the tests do not depend on mention recognition.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import DataError
from kg.extract import registry
from kg.extract.base import AnalyzedArticle
from kg.extract.relations._lexicon import parse_table
from kg.extract.relations.cooperation import CooperationExtractor
from kg.extract.relations.participation import ParticipationExtractor
from kg.extract.relations.runs import RunsExtractor
from kg.extract.relations.serves import ServesExtractor
from kg.model import Article, Document, Entity, Mention, Sentence, TextView, Triple

U, P, PR, G = "UnionBody", "PartnerAgency", "Program", "WorkerGroup"


def build(
    paragraphs: list[list[str]] | list[str],
    entities: list[tuple[str, str, str]],
) -> AnalyzedArticle:
    """An analysed article from sentences and ``(surface, type, canonical)`` entries.

    ``paragraphs`` is a list of paragraphs (each a list of sentences), or a flat
    list of sentences (one paragraph).  Every occurrence of a surface form in a
    sentence becomes a mention (longest surface first, no overlaps).
    """
    if paragraphs and isinstance(paragraphs[0], str):
        paras: list[list[str]] = [list(paragraphs)]  # type: ignore[arg-type]
    else:
        paras = paragraphs  # type: ignore[assignment]
    text = ""
    sentences: list[Sentence] = []
    spans: list[tuple[int, int]] = []
    for para in paras:
        if text:
            text += "\n\n"
        for s in para:
            start = len(text)
            text += s
            spans.append((start, len(text)))
    doc = Document("test.txt", "test.txt", text)
    ents: dict[str, Entity] = {}
    by_surface: list[tuple[str, str]] = []
    for surface, etype, name in entities:
        ent = ents.setdefault(f"{etype}:{name}", Entity(etype, name))
        if surface != name:
            ent.aliases.add(surface)
        by_surface.append((surface, ent.key))
    by_surface.sort(key=lambda x: -len(x[0]))
    mentions: dict[int, list[Mention]] = {}
    for idx, (a, b) in enumerate(spans):
        sentences.append(Sentence(idx, a, b, TextView.from_pieces([(text[a:b], a)])))
        taken: list[tuple[int, int]] = []
        found: list[Mention] = []
        for surface, key in by_surface:
            pos = text.find(surface, a, b)
            while pos != -1:
                end = pos + len(surface)
                if not any(x < end and pos < y for x, y in taken):
                    taken.append((pos, end))
                    found.append(Mention(key, pos, end, surface, 0, idx))
                pos = text.find(surface, pos + 1, b)
        mentions[idx] = sorted(found, key=lambda m: m.start)
    article = Article("test.txt", 0, 0, len(text), "", sentences=sentences)
    return AnalyzedArticle(doc, article, ents, mentions)


def rels(triples: list[Triple]) -> set[tuple[str, str, str]]:
    """``(s name, p, o name)`` of triples, cooperation pairs sorted."""
    out = set()
    for t in triples:
        s, o = t.s.split(":", 1)[1], t.o.split(":", 1)[1]
        if t.p == "cooperatesWith":
            s, o = sorted((s, o))
        out.add((s, t.p, o))
    return out


def run_all(aa: AnalyzedArticle) -> list[Triple]:
    out: list[Triple] = []
    for ex in (
        CooperationExtractor(),
        RunsExtractor(),
        ParticipationExtractor(),
        ServesExtractor(),
    ):
        out.extend(ex(aa))
    return out


def check_evidence(aa: AnalyzedArticle, triples: list[Triple]) -> None:
    """Every evidence offset pair slices the original text to its mention's text.

    The subject's range is exactly a mention of the subject entity (or a short
    form of a program's name, read as a reference to it); so is the object's,
    except for a worker group read inside a program's name, whose range lies
    inside that program's mention.
    """
    text = aa.doc.text
    mentions = [m for ms in aa.mentions.values() for m in ms]
    exact = {(m.entity, m.start, m.end): m for m in mentions}
    for t in triples:
        ev = t.evidence
        subj = exact.get((t.s, ev.s_start, ev.s_end))
        if subj is not None:
            assert text[ev.s_start : ev.s_end] == subj.text, t
        else:  # a short form of a program's name (智能驿站 for …工会智能驿站)
            short = text[ev.s_start : ev.s_end]
            assert len(short) >= 2, t
            assert any(m.entity == t.s and m.text.strip("“”").endswith(short) for m in mentions), t
        obj = exact.get((t.o, ev.o_start, ev.o_end))
        if obj is not None:
            assert text[ev.o_start : ev.o_end] == obj.text, t
        else:
            assert t.p == "serves" and ev.o_start < ev.o_end, t
            assert any(
                m.entity == t.s and m.start <= ev.o_start and ev.o_end <= m.end for m in mentions
            ), t
        # an end may be an antecedent in an earlier sentence (carried subject, 该平台)
        assert ev.s_start < ev.s_end <= ev.sentence_end and ev.o_end <= ev.sentence_end, t
        if ev.trigger is not None:
            assert ev.trigger_start is not None and ev.trigger_end is not None
            assert text[ev.trigger_start : ev.trigger_end] == ev.trigger, t
        assert 0.0 <= ev.confidence <= 1.0
        assert ev.text == aa.article.sentences[ev.sentence].text
        assert ev.extractor in {"cooperation", "runs", "participation", "serves"}


# --------------------------------------------------------------------------
# cooperation


def test_cooperation_coordination_gives_one_relation_per_partner() -> None:
    aa = build(
        [
            "甘肃省总工会牵头,联合省高院、省检察院、省司法厅、省人社厅制定《关于保障劳动者权益的意见》。"
        ],
        [
            ("甘肃省总工会", U, "甘肃省总工会"),
            ("省高院", P, "甘肃省高级人民法院"),
            ("省检察院", P, "甘肃省人民检察院"),
            ("省司法厅", P, "甘肃省司法厅"),
            ("省人社厅", P, "甘肃省人力资源和社会保障厅"),
        ],
    )
    got = rels(list(CooperationExtractor()(aa)))
    partners = [
        "甘肃省高级人民法院",
        "甘肃省人民检察院",
        "甘肃省司法厅",
        "甘肃省人力资源和社会保障厅",
    ]
    assert got == {
        (min("甘肃省总工会", p), "cooperatesWith", max("甘肃省总工会", p)) for p in partners
    }
    assert len(got) == 4


def test_cooperation_with_list_and_agreement() -> None:
    aa = build(
        ["绵阳市总工会与市法律援助中心签订职工维权合作协议。"],
        [("绵阳市总工会", U, "绵阳市总工会"), ("市法律援助中心", P, "绵阳市法律援助中心")],
    )
    got = rels(list(CooperationExtractor()(aa)))
    assert got == {("绵阳市总工会", "cooperatesWith", "绵阳市法律援助中心")}


def test_cooperation_host_list_is_pairwise_among_co_equal_hosts() -> None:
    # GUIDELINES: co-equal hosts (A、B、C联合主办) cooperate pairwise; this test read a
    # star from the first host before the rule was followed
    aa = build(
        ["本次竞赛由福建省总工会、省教育厅、省科技厅主办。"],
        [
            ("福建省总工会", U, "福建省总工会"),
            ("省教育厅", P, "福建省教育厅"),
            ("省科技厅", P, "福建省科学技术厅"),
        ],
    )
    got = rels(list(CooperationExtractor()(aa)))
    assert got == {
        ("福建省总工会", "cooperatesWith", "福建省教育厅"),
        ("福建省总工会", "cooperatesWith", "福建省科学技术厅"),
        ("福建省教育厅", "cooperatesWith", "福建省科学技术厅"),
    }


def test_no_cooperation_from_mere_cooccurrence() -> None:
    aa = build(
        [
            "德州市总工会干部走访了德州市人民法院附近的企业。",
            "德州市总工会和德州市人民检察院分别开展了调研。",
        ],
        [
            ("德州市总工会", U, "德州市总工会"),
            ("德州市人民法院", P, "德州市人民法院"),
            ("德州市人民检察院", P, "德州市人民检察院"),
        ],
    )
    assert list(CooperationExtractor()(aa)) == []


# --------------------------------------------------------------------------
# runs / participatesIn


def test_runs_trigger_and_object() -> None:
    aa = build(
        ["泉州市总工会推出“工友加油站”小程序,上线“云端课堂”。"],
        [
            ("泉州市总工会", U, "泉州市总工会"),
            ("工友加油站", PR, "工友加油站"),
            ("云端课堂", PR, "云端课堂"),
        ],
    )
    got = rels(list(RunsExtractor()(aa)))
    assert got == {("泉州市总工会", "runs", "工友加油站"), ("泉州市总工会", "runs", "云端课堂")}


def test_co_actors_both_run_and_partners_take_part() -> None:
    aa = build(
        [
            "大连市总工会与市人社局联合建立“劳动争议速裁”机制。",
            "柳州市总工会协同市司法局开展“法律进工地”活动。",
        ],
        [
            ("大连市总工会", U, "大连市总工会"),
            ("市人社局", P, "大连市人力资源和社会保障局"),
            ("劳动争议速裁", PR, "劳动争议速裁"),
            ("柳州市总工会", U, "柳州市总工会"),
            ("市司法局", P, "柳州市司法局"),
            ("法律进工地", PR, "法律进工地"),
        ],
    )
    triples = run_all(aa)
    got = rels(triples)
    assert ("大连市总工会", "runs", "劳动争议速裁") in got
    assert ("大连市人力资源和社会保障局", "runs", "劳动争议速裁") in got
    assert ("大连市人力资源和社会保障局", "cooperatesWith", "大连市总工会") in got
    assert ("柳州市总工会", "runs", "法律进工地") in got
    assert ("柳州市司法局", "participatesIn", "法律进工地") in got
    assert ("柳州市司法局", "runs", "法律进工地") not in got
    check_evidence(aa, triples)


def test_dropped_subject_is_carried_at_lower_confidence() -> None:
    aa = build(
        [
            "昆明市总工会打造“春城职工驿站”。",
            "同时开通“职工心声”热线,为环卫工人提供免费体检。",
        ],
        [
            ("昆明市总工会", U, "昆明市总工会"),
            ("春城职工驿站", PR, "春城职工驿站"),
            ("职工心声", PR, "职工心声热线"),
            ("环卫工人", G, "环卫工人"),
        ],
    )
    runs = list(RunsExtractor()(aa))
    got = rels(runs)
    assert ("昆明市总工会", "runs", "职工心声热线") in got
    direct = next(t for t in runs if t.o == "Program:春城职工驿站")
    carried = next(t for t in runs if t.o == "Program:职工心声热线")
    assert carried.evidence.confidence < direct.evidence.confidence
    assert carried.evidence.sentence == 1
    assert aa.doc.text[carried.evidence.s_start : carried.evidence.s_end] == "昆明市总工会"
    serves = rels(list(ServesExtractor()(aa)))
    assert serves == {("职工心声热线", "serves", "环卫工人")}
    check_evidence(aa, run_all(aa))


def test_dropped_subject_not_carried_into_other_subject() -> None:
    aa = build(
        ["昆明市总工会打造“春城职工驿站”。", "记者开通“职工心声”热线。"],
        [
            ("昆明市总工会", U, "昆明市总工会"),
            ("春城职工驿站", PR, "春城职工驿站"),
            ("职工心声", PR, "职工心声热线"),
        ],
    )
    assert ("昆明市总工会", "runs", "职工心声热线") not in rels(list(RunsExtractor()(aa)))


def test_pair_anaphor_both_run() -> None:
    aa = build(
        ["中国海员建设工会与中国船东协会召开联席会议。", "双方共同开展“平安航行”竞赛。"],
        [
            ("中国海员建设工会", U, "中国海员建设工会"),
            ("中国船东协会", P, "中国船东协会"),
            ("平安航行", PR, "平安航行竞赛"),
        ],
    )
    got = rels(run_all(aa))
    assert ("中国海员建设工会", "runs", "平安航行竞赛") in got
    assert ("中国船东协会", "runs", "平安航行竞赛") in got
    assert ("中国海员建设工会", "cooperatesWith", "中国船东协会") in got


def test_use_and_possessor() -> None:
    aa = build(
        ["区总工会借助全总“网上工会”平台办理案件。"],
        [
            ("区总工会", U, "某区总工会"),
            ("全总", U, "中华全国总工会"),
            ("网上工会", PR, "网上工会"),
        ],
    )
    got = rels(list(RunsExtractor()(aa)) + list(ParticipationExtractor()(aa)))
    assert got == {
        ("中华全国总工会", "runs", "网上工会"),
        ("某区总工会", "participatesIn", "网上工会"),
    }


def test_support_frame_takes_part() -> None:
    aa = build(
        ["在省交通运输厅的支持下,赣州市总工会建成“司机之家”。"],
        [
            ("省交通运输厅", P, "江西省交通运输厅"),
            ("赣州市总工会", U, "赣州市总工会"),
            ("司机之家", PR, "司机之家"),
        ],
    )
    got = rels(list(RunsExtractor()(aa)) + list(ParticipationExtractor()(aa)))
    assert ("江西省交通运输厅", "participatesIn", "司机之家") in got
    assert ("赣州市总工会", "runs", "司机之家") in got


# --------------------------------------------------------------------------
# serves


def test_serves_enumeration_gives_one_relation_per_group() -> None:
    aa = build(
        ["成都市总工会为快递员、外卖配送员、网约车司机等新就业形态劳动者发放“清凉包”。"],
        [
            ("成都市总工会", U, "成都市总工会"),
            ("快递员", G, "快递员"),
            ("外卖配送员", G, "外卖骑手"),
            ("网约车司机", G, "网约车司机"),
            ("新就业形态劳动者", G, "新就业形态劳动者"),
            ("清凉包", PR, "清凉包"),
        ],
    )
    triples = run_all(aa)
    got = rels(triples)
    groups = ["快递员", "外卖骑手", "网约车司机", "新就业形态劳动者"]
    assert {r for r in got if r[1] == "serves"} == {("清凉包", "serves", g) for g in groups}
    check_evidence(aa, triples)


def test_serves_org_when_no_program() -> None:
    aa = build(
        ["贵州省总工会针对农民工、困难职工开展免费技能培训。"],
        [("贵州省总工会", U, "贵州省总工会"), ("农民工", G, "农民工"), ("困难职工", G, "困难职工")],
    )
    assert rels(list(ServesExtractor()(aa))) == {
        ("贵州省总工会", "serves", "农民工"),
        ("贵州省总工会", "serves", "困难职工"),
    }


def test_serves_by_program_name() -> None:
    aa = build(
        ["太原市总工会建成“货车司机服务站”12个。", "货车司机在这里可以歇脚。"],
        [
            ("太原市总工会", U, "太原市总工会"),
            ("货车司机服务站", PR, "货车司机服务站"),
            ("货车司机", G, "货车司机"),
        ],
    )
    triples = list(ServesExtractor()(aa))
    assert rels(triples) == {("货车司机服务站", "serves", "货车司机")}
    ev = triples[0].evidence
    assert aa.doc.text[ev.o_start : ev.o_end] == "货车司机"
    check_evidence(aa, triples)


def test_no_serves_without_cue() -> None:
    aa = build(
        ["银川市总工会召开会议,环卫工人代表出席。"],
        [("银川市总工会", U, "银川市总工会"), ("环卫工人", G, "环卫工人")],
    )
    assert list(ServesExtractor()(aa)) == []


# --------------------------------------------------------------------------
# contract, registry, data


def test_registered_and_follow_the_contract() -> None:
    from kg.extract.base import Extractor

    for name in ("cooperation", "runs", "participation", "serves"):
        ex = registry.get(name)
        assert isinstance(ex, Extractor)
        assert ex.name == name


def test_traditional_view_maps_offsets_back() -> None:
    # original text in traditional characters, view in simplified
    orig = "廣州市總工會推出「工友驛站」。"
    view_text = "广州市总工会推出“工友驿站”。"
    doc = Document("t.txt", "t.txt", orig)
    sent = Sentence(0, 0, len(orig), TextView.from_pieces([(view_text, 0)]))
    ents = {
        "UnionBody:广州市总工会": Entity(U, "广州市总工会"),
        "Program:工友驿站": Entity(PR, "工友驿站"),
    }
    mentions = {
        0: [
            Mention("UnionBody:广州市总工会", 0, 6, orig[0:6], 0, 0),
            Mention("Program:工友驿站", 9, 13, orig[9:13], 0, 0),
        ]
    }
    aa = AnalyzedArticle(
        doc, Article("t.txt", 0, 0, len(orig), "", sentences=[sent]), ents, mentions
    )
    triples = list(RunsExtractor()(aa))
    assert rels(triples) == {("广州市总工会", "runs", "工友驿站")}
    ev = triples[0].evidence
    assert orig[ev.s_start : ev.s_end] == "廣州市總工會"
    assert orig[ev.o_start : ev.o_end] == "工友驛站"
    assert orig[ev.trigger_start : ev.trigger_end] == "推出"  # type: ignore[misc]


def test_broken_trigger_file_is_a_data_error() -> None:
    with pytest.raises(DataError, match="header"):
        parse_table(["word\trole"], "triggers_runs.tsv")
    with pytest.raises(DataError, match="unknown role"):
        parse_table(["cue\trole\tconfidence", "开展\tfoo\t0.5"], "triggers_runs.tsv")
    with pytest.raises(DataError, match="outside"):
        parse_table(["cue\trole\tconfidence", "开展\trun\t1.5"], "triggers_runs.tsv")


def test_empty_article_yields_nothing() -> None:
    aa = build([""], [])
    assert run_all(aa) == []


_names = st.sampled_from(
    [
        "A市总工会",
        "B区人社局",
        "C县法院",
        "D行动",
        "E驿站",
        "快递员",
        "农民工",
        "该平台",
        "双方",
        "中心",
    ]
)
_types = {
    "A市总工会": U,
    "B区人社局": P,
    "C县法院": P,
    "D行动": PR,
    "E驿站": PR,
    "快递员": G,
    "农民工": G,
}
_glue = st.sampled_from(
    [
        "与",
        "联合",
        "开展",
        "为",
        "、",
        ",",
        "依托",
        "由",
        "主办",
        "的",
        "。",
        "在",
        "支持",
        "下",
        "以",
        "为载体",
        "参加",
        "组织",
        ";",
        "“",
        "”",
        "+",
        "2025年",
        "全省3家",
        "驿站",
        "该院",
    ]
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(st.one_of(_names, _glue), min_size=1, max_size=14), min_size=1, max_size=3)
)
def test_any_text_gives_well_formed_evidence(paragraph: list[list[str]]) -> None:
    aa = build(["".join(parts) for parts in paragraph], [(n, t, n) for n, t in _types.items()])
    triples = run_all(aa)
    check_evidence(aa, triples)
    for t in triples:
        s_type, o_type = t.s.split(":")[0], t.o.split(":")[0]
        if t.p == "cooperatesWith":
            assert {s_type, o_type} <= {U, P}
        elif t.p in ("runs", "participatesIn"):
            assert s_type in (U, P) and o_type == PR
        else:
            assert t.p == "serves" and o_type == G and s_type in (U, P, PR)


# --------------------------------------------------------------------------
# constructions added while iterating (sentences invented, not from the seeds)


def test_host_phrase_with_a_long_quoted_title() -> None:
    aa = build(
        ["5月8日,由某市委网信办、某市总工会主办的“守护网络家园——某市职工网络安全知识竞赛”举行。"],
        [
            ("某市委网信办", P, "某市委网络安全和信息化委员会办公室"),
            ("某市总工会", U, "某市总工会"),
            ("某市职工网络安全知识竞赛", PR, "某市职工网络安全知识竞赛"),
        ],
    )
    got = rels(run_all(aa))
    assert ("某市总工会", "runs", "某市职工网络安全知识竞赛") in got
    assert ("某市委网络安全和信息化委员会办公室", "runs", "某市职工网络安全知识竞赛") in got
    assert ("某市委网络安全和信息化委员会办公室", "cooperatesWith", "某市总工会") in got


def test_embedded_subject_in_a_relative_clause() -> None:
    aa = build(
        ["得益于泸州市总工会与市司法局建立的“工会调解+司法确认”机制,纠纷化解更快了。"],
        [
            ("泸州市总工会", U, "泸州市总工会"),
            ("市司法局", P, "泸州市司法局"),
            ("工会调解+司法确认", PR, "工会调解+司法确认"),
        ],
    )
    got = rels(run_all(aa))
    assert ("泸州市总工会", "runs", "工会调解+司法确认") in got
    assert ("泸州市司法局", "runs", "工会调解+司法确认") in got
    assert ("泸州市司法局", "cooperatesWith", "泸州市总工会") in got


def test_anaphoric_platform_takes_its_host_and_supporter() -> None:
    aa = build(
        [
            "厦门港口服务平台正式上线。",
            "该平台由厦门海事局联合多家企业共同发起,在厦门市总工会的支持下运行。",
        ],
        [
            ("厦门港口服务平台", PR, "厦门港口服务平台"),
            ("厦门海事局", P, "厦门海事局"),
            ("厦门市总工会", U, "厦门市总工会"),
        ],
    )
    triples = run_all(aa)
    check_evidence(aa, triples)
    got = rels(triples)
    assert ("厦门海事局", "runs", "厦门港口服务平台") in got
    assert ("厦门市总工会", "participatesIn", "厦门港口服务平台") in got


def test_program_subject_serves_across_its_clauses() -> None:
    aa = build(
        ["全市32家“暖心驿站”已累计服务快递员3万人次,帮助外卖配送员解决就餐难。"],
        [("暖心驿站", PR, "暖心驿站"), ("快递员", G, "快递员"), ("外卖配送员", G, "外卖骑手")],
    )
    assert rels(list(ServesExtractor()(aa))) == {
        ("暖心驿站", "serves", "快递员"),
        ("暖心驿站", "serves", "外卖骑手"),
    }


def test_joined_body_does_not_stay_joined_after_semicolon() -> None:
    aa = build(
        ["南宁市总工会与市人社局建立“欠薪速办”机制;在市工人文化宫设立“劳动仲裁庭”。"],
        [
            ("南宁市总工会", U, "南宁市总工会"),
            ("市人社局", P, "南宁市人力资源和社会保障局"),
            ("欠薪速办", PR, "欠薪速办"),
            ("劳动仲裁庭", PR, "劳动仲裁庭"),
        ],
    )
    got = rels(list(RunsExtractor()(aa)))
    assert ("南宁市总工会", "runs", "劳动仲裁庭") in got
    assert ("南宁市人力资源和社会保障局", "runs", "劳动仲裁庭") not in got
    assert ("南宁市人力资源和社会保障局", "runs", "欠薪速办") in got


def test_carrier_and_instrument() -> None:
    aa = build(
        ["济南市总工会以“安薪行动”为抓手,以“一企一策”督促整改。"],
        [
            ("济南市总工会", U, "济南市总工会"),
            ("安薪行动", PR, "安薪行动"),
            ("一企一策", PR, "一企一策"),
        ],
    )
    assert rels(list(RunsExtractor()(aa))) == {
        ("济南市总工会", "runs", "安薪行动"),
        ("济南市总工会", "runs", "一企一策"),
    }


def test_subject_of_a_separate_action_is_not_joined() -> None:
    aa = build(
        ["厦门市总工会和厦门市人社局分别开展了“春风行动”。"],
        [
            ("厦门市总工会", U, "厦门市总工会"),
            ("厦门市人社局", P, "厦门市人力资源和社会保障局"),
            ("春风行动", PR, "春风行动"),
        ],
    )
    assert [t for t in CooperationExtractor()(aa)] == []


def test_module_doctests() -> None:
    import doctest

    from kg.extract.relations import _lexicon, programs

    for mod in (_lexicon, programs):
        result = doctest.testmod(mod)
        assert result.failed == 0, mod.__name__


def test_quoted_speech_takes_no_carried_subject() -> None:
    aa = build(
        [
            "丽水市总工会打造“山区职工驿站”。",
            "“通过这个平台,我们开展了“技能夜校”。”站长说。",
        ],
        [
            ("丽水市总工会", U, "丽水市总工会"),
            ("山区职工驿站", PR, "山区职工驿站"),
            ("技能夜校", PR, "技能夜校"),
        ],
    )
    got = rels(list(RunsExtractor()(aa)))
    assert ("丽水市总工会", "runs", "山区职工驿站") in got
    assert ("丽水市总工会", "runs", "技能夜校") not in got


def test_carried_subject_does_not_reach_arbitrarily_far() -> None:
    from kg.extract.relations._context import MAX_CARRY_SENTENCES

    filler = ["天气晴朗。"] * (MAX_CARRY_SENTENCES + 1)
    aa = build(
        [["九江市总工会打造“江城驿站”。", *filler], ["推出“云上课堂”。"]],
        [
            ("九江市总工会", U, "九江市总工会"),
            ("江城驿站", PR, "江城驿站"),
            ("云上课堂", PR, "云上课堂"),
        ],
    )
    got = rels(list(RunsExtractor()(aa)))
    assert ("九江市总工会", "runs", "江城驿站") in got
    assert ("九江市总工会", "runs", "云上课堂") not in got


def test_bodies_joined_by_plus_in_a_program_name() -> None:
    aa = build(
        ["绍兴市总工会搭建“工会+法院+人社”调解平台。"],
        [
            ("绍兴市总工会", U, "绍兴市总工会"),
            ("“工会+法院+人社”调解平台", PR, "工会+法院+人社调解平台"),
        ],
    )
    # the recogniser also reports the bodies inside the name (nested mentions)
    text = aa.doc.text
    for surface, key in (
        ("法院", "PartnerAgency:绍兴市人民法院"),
        ("人社", "PartnerAgency:绍兴市人力资源和社会保障局"),
    ):
        aa.entities[key] = Entity(P, key.split(":", 1)[1])
        at = text.index(surface)
        aa.mentions[0].append(Mention(key, at, at + len(surface), surface, 0, 0, implicit=True))
    aa.mentions[0].sort(key=lambda m: m.start)
    triples = run_all(aa)
    got = rels(triples)
    assert ("绍兴市总工会", "runs", "工会+法院+人社调解平台") in got
    assert ("绍兴市人民法院", "participatesIn", "工会+法院+人社调解平台") in got
    assert ("绍兴市人力资源和社会保障局", "participatesIn", "工会+法院+人社调解平台") in got
    assert ("绍兴市人民法院", "cooperatesWith", "绍兴市总工会") in got
    check_evidence(aa, triples)


def test_take_part_cue_governs_a_later_run_cue() -> None:
    aa = build(
        ["桂林市总工会配合开展“安康杯”竞赛。"],
        [("桂林市总工会", U, "桂林市总工会"), ("安康杯", PR, "安康杯竞赛")],
    )
    got = rels(list(RunsExtractor()(aa)) + list(ParticipationExtractor()(aa)))
    assert got == {("桂林市总工会", "participatesIn", "安康杯竞赛")}


def test_traditional_trigger_offsets_point_at_the_original_word() -> None:
    orig = "臺中市總工會開展「工友驛站」。"
    view_text = "台中市总工会开展“工友驿站”。"
    doc = Document("t.txt", "t.txt", orig)
    sent = Sentence(0, 0, len(orig), TextView.from_pieces([(view_text, 0)]))
    ents = {
        "UnionBody:台中市总工会": Entity(U, "台中市总工会"),
        "Program:工友驿站": Entity(PR, "工友驿站"),
    }
    mentions = {
        0: [
            Mention("UnionBody:台中市总工会", 0, 6, orig[0:6], 0, 0),
            Mention("Program:工友驿站", 9, 13, orig[9:13], 0, 0),
        ]
    }
    art = Article("t.txt", 0, 0, len(orig), "", sentences=[sent])
    ev = next(iter(RunsExtractor()(AnalyzedArticle(doc, art, ents, mentions)))).evidence
    assert ev.trigger == "开展"  # the normalised cue …
    assert orig[ev.trigger_start : ev.trigger_end] == "開展"  # … at the original's offsets


def test_group_nested_in_a_program_mention_is_served() -> None:
    aa = build(
        ["嘉兴市总工会实施“快递员权益护航”行动。"],
        [("嘉兴市总工会", U, "嘉兴市总工会"), ("快递员权益护航", PR, "快递员权益护航行动")],
    )
    at = aa.doc.text.index("快递员")
    aa.entities["WorkerGroup:快递员"] = Entity(G, "快递员")
    aa.mentions[0].append(Mention("WorkerGroup:快递员", at, at + 3, "快递员", 0, 0))
    aa.mentions[0].sort(key=lambda m: m.start)
    triples = list(ServesExtractor()(aa))
    assert rels(triples) == {("快递员权益护航行动", "serves", "快递员")}
    check_evidence(aa, triples)
    assert triples[0].evidence.trigger == "权益"


def test_co_host_after_the_host_phrase() -> None:
    aa = build(
        ["本届大赛由湖州市总工会主办、湖州市技师学院承办的“湖州工匠杯”技能大赛开幕。"],
        [
            ("湖州市总工会", U, "湖州市总工会"),
            ("湖州市技师学院", P, "湖州市技师学院"),
            ("湖州工匠杯", PR, "湖州工匠杯技能大赛"),
        ],
    )
    triples = run_all(aa)
    got = rels(triples)
    assert ("湖州市总工会", "runs", "湖州工匠杯技能大赛") in got
    # GUIDELINES: a co-organiser that is not the lead (承办) takes part; this test read
    # runs for the co-host before the rule was followed
    assert ("湖州市技师学院", "participatesIn", "湖州工匠杯技能大赛") in got
    assert ("湖州市技师学院", "runs", "湖州工匠杯技能大赛") not in got
    assert ("湖州市总工会", "cooperatesWith", "湖州市技师学院") in got
    check_evidence(aa, triples)


def test_organisation_anaphor_takes_the_body_named_before() -> None:
    aa = build(
        [
            "鞍山市法律援助中心负责人介绍了情况。",
            "该中心还建立了“农民工欠薪快办”机制。",
        ],
        [
            ("鞍山市法律援助中心", P, "鞍山市法律援助中心"),
            ("农民工欠薪快办", PR, "农民工欠薪快办"),
        ],
    )
    triples = list(RunsExtractor()(aa))
    assert rels(triples) == {("鞍山市法律援助中心", "runs", "农民工欠薪快办")}
    check_evidence(aa, triples)


def test_body_at_the_head_of_a_program_name_runs_it() -> None:
    aa = build(
        ["每周三,“营口市总工会职工之家驿站”开放法律咨询。"],
        [("营口市总工会职工之家驿站", PR, "营口市总工会职工之家驿站")],
    )
    at = aa.doc.text.index("营口市总工会")
    aa.entities["UnionBody:营口市总工会"] = Entity(U, "营口市总工会")
    aa.mentions[0].append(Mention("UnionBody:营口市总工会", at, at + 6, "营口市总工会", 0, 0))
    aa.mentions[0].sort(key=lambda m: m.start)
    triples = list(RunsExtractor()(aa))
    assert rels(triples) == {("营口市总工会", "runs", "营口市总工会职工之家驿站")}
    check_evidence(aa, triples)


def test_groups_sent_to_a_program_are_served() -> None:
    aa = build(
        ["今年计划组织600名劳模、先进工作者和一线职工参加“职工健康休养”。"],
        [
            ("劳模", G, "劳动模范"),
            ("一线职工", G, "一线职工"),
            ("职工健康休养", PR, "职工健康休养"),
        ],
    )
    triples = list(ServesExtractor()(aa))
    assert rels(triples) == {
        ("职工健康休养", "serves", "劳动模范"),
        ("职工健康休养", "serves", "一线职工"),
    }
    check_evidence(aa, triples)


def test_short_form_of_a_program_named_elsewhere_is_the_clause_subject() -> None:
    aa = build(
        [
            "自去年运营以来,全市20个暖心驿站已累计服务环卫工人1万人次。",
            "这些“滨海工会暖心驿站”由滨海市总工会建设。",
        ],
        [
            ("滨海工会暖心驿站", PR, "滨海工会暖心驿站"),
            ("环卫工人", G, "环卫工人"),
            ("滨海市总工会", U, "滨海市总工会"),
        ],
    )
    triples = run_all(aa)
    got = rels(triples)
    assert ("滨海工会暖心驿站", "serves", "环卫工人") in got
    check_evidence(aa, triples)


def test_time_expression_after_a_comma_is_skipped() -> None:
    aa = build(
        ["据悉,2025年8月底,漳州市总工会推出“工会夜校”。"],
        [("漳州市总工会", U, "漳州市总工会"), ("工会夜校", PR, "工会夜校")],
    )
    triples = list(RunsExtractor()(aa))
    assert rels(triples) == {("漳州市总工会", "runs", "工会夜校")}
    assert triples[0].evidence.confidence >= 0.8  # the named subject, not a carried one
