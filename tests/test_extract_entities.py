"""Entity recognition and resolution on invented sentences (none from the seeds).

Each test builds a one-article document by hand, so it does not depend on the
page layout code; the traditional-character test normalises with kg.text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract import extract_document, merge_triples
from kg.model import Article, DocResult, Document, Evidence, Sentence, TextView, Triple


def _doc(*sentences: str, normalise: bool = False) -> tuple[Document, list[Article]]:
    text = "".join(sentences)
    doc = Document("t.txt", "t.txt", text)
    sents = []
    pos = 0
    for i, s in enumerate(sentences):
        view_text = s
        if normalise:
            from kg.text import normalize

            view_text = normalize(s)
        sents.append(Sentence(i, pos, pos + len(s), TextView.from_pieces([(view_text, pos)])))
        pos += len(s)
    return doc, [Article("t.txt", 0, 0, len(text), "", sentences=sents)]


def _extract(*sentences: str, normalise: bool = False) -> DocResult:
    doc, arts = _doc(*sentences, normalise=normalise)
    # the recognisers' own confidences (calibration: tests/test_calibration.py)
    return extract_document(doc, arts, extractors=[], calibrated=False)


def _names(result: DocResult, type_: str) -> set[str]:
    return {e.name for e in result.entities.values() if e.type == type_}


def _check_offsets(result: DocResult) -> None:
    for m in result.mentions:
        assert m.text == result.doc.text[m.start : m.end]
        assert m.entity in result.entities
        assert 0.0 <= m.confidence <= 1.0


# --- union bodies -------------------------------------------------------------


def test_region_chain_union_keeps_the_city_of_a_district() -> None:
    r = _extract("广东省深圳市南山区总工会为快递员送去清凉。")
    assert _names(r, "UnionBody") == {"深圳市南山区总工会"}
    ent = r.entities["UnionBody:深圳市南山区总工会"]
    assert "广东省深圳市南山区总工会" in ent.aliases
    assert ent.level == "county" and not ent.implicit
    _check_offsets(r)


def test_short_region_form_and_autonomous_prefecture() -> None:
    r = _extract("甘孜州总工会联合州人社局开展“技能培训进牧区”活动。")
    assert "甘孜藏族自治州总工会" in _names(r, "UnionBody")
    assert "甘孜藏族自治州人力资源和社会保障局" in _names(r, "PartnerAgency")


def test_provincial_short_form_sheng_zong() -> None:
    r = _extract("四川省总工会召开会议。", "会上,省总负责人介绍了经验。")
    assert _names(r, "UnionBody") == {"四川省总工会"}
    assert len([m for m in r.mentions if m.entity == "UnionBody:四川省总工会"]) == 2


def test_national_federation_by_name_and_short_form() -> None:
    r = _extract("全总与人社部联合印发通知。")
    assert "中华全国总工会" in _names(r, "UnionBody")
    assert "人力资源和社会保障部" in _names(r, "PartnerAgency")


def test_enterprise_and_industrial_unions_by_grammar() -> None:
    r = _extract(
        "中国建设银行广州分行工会与广东省交通运输工会签订协议,",
        "中国海员建设工会派员参加。",
    )
    names = _names(r, "UnionBody")
    assert "中国建设银行广州分行工会" in names
    assert "广东省交通运输工会" in names
    assert "中国海员建设工会" in names


def test_generic_union_words_are_not_entities() -> None:
    r = _extract("各地工会和基层工会积极行动,企业工会也参与其中。")
    assert _names(r, "UnionBody") == set()


def test_joint_union_with_free_text_name() -> None:
    r = _extract("成都市武侯区科华街道商圈联合工会日前成立。")
    assert any(n.endswith("商圈联合工会") for n in _names(r, "UnionBody"))


# --- partner agencies -------------------------------------------------------------


def test_courts_and_procuratorates_take_renmin() -> None:
    r = _extract("四川省高级人民法院、成都市中级人民法院和杭州市西湖区检察院出席。")
    names = _names(r, "PartnerAgency")
    assert "四川省高级人民法院" in names
    assert "成都市中级人民法院" in names
    assert "杭州市西湖区人民检察院" in names


def test_level_word_takes_the_acting_bodys_region() -> None:
    r = _extract("绵阳市总工会与市检察院建立协作机制。")
    assert "绵阳市人民检察院" in _names(r, "PartnerAgency")
    ent = r.entities["PartnerAgency:绵阳市人民检察院"]
    assert ent.implicit
    m = next(m for m in r.mentions if m.entity == ent.key)
    assert m.text == "市检察院" and m.implicit and m.confidence < 1.0


def test_provincial_high_court_short_form() -> None:
    r = _extract("湖南省总工会联合省高院发布典型案例。")
    assert "湖南省高级人民法院" in _names(r, "PartnerAgency")


def test_bare_generic_agencies_resolve_to_the_acting_region() -> None:
    r = _extract("福建省总工会持续深化与法院、人社等部门的协作。")
    names = _names(r, "PartnerAgency")
    assert "福建省高级人民法院" in names
    assert "福建省人力资源和社会保障厅" in names
    for m in r.mentions:
        if m.entity.startswith("PartnerAgency:"):
            assert m.implicit and 0.5 <= m.confidence <= 0.7


def test_party_organ_and_association_and_college() -> None:
    r = _extract(
        "中共厦门市委宣传部、厦门市律师协会、中国纺织工业联合会和",
        "厦门城市职业学院共同举办活动。",
    )
    names = _names(r, "PartnerAgency")
    assert "厦门市委宣传部" in names
    assert "厦门市律师协会" in names
    assert "中国纺织工业联合会" in names
    assert "厦门城市职业学院" in names


def test_program_college_is_not_an_agency() -> None:
    r = _extract("该集团打造“新能源工匠学院”,培养技能人才。")
    assert _names(r, "PartnerAgency") == set()


def test_regions_listed_before_a_designation_share_it() -> None:
    r = _extract("苏州市吴中区、相城区总工会联合开展培训。")
    names = _names(r, "UnionBody")
    assert "苏州市吴中区总工会" in names
    assert any(n.endswith("相城区总工会") for n in names)
    _check_offsets(r)


def test_township_unions_are_read_as_free_text() -> None:
    r = _extract("杭州市余杭区仓前街道总工会、城关镇总工会和各乡镇总工会参加。")
    names = _names(r, "UnionBody")
    assert "杭州市余杭区仓前街道总工会" in names
    assert "城关镇总工会" in names
    assert not any(n.startswith("各") for n in names)


def test_references_point_back_to_the_body_named_before() -> None:
    r = _extract("记者从中国海员建设工会获悉,", "该工会联合浙江省交通运输厅启动船员关爱计划。")
    refs = [m for m in r.mentions if m.recogniser == "org.reference"]
    assert [(m.text, m.entity) for m in refs] == [("该工会", "UnionBody:中国海员建设工会")]
    assert not r.entities["UnionBody:中国海员建设工会"].implicit


def test_youth_league_committee_with_its_level_word() -> None:
    r = _extract("石家庄市总工会、石家庄市妇联和团市委共同参与。")
    names = _names(r, "PartnerAgency")
    assert {"石家庄市妇女联合会", "共青团石家庄市委员会"} <= names


def test_a_region_the_context_cannot_place_keeps_its_written_name() -> None:
    r = _extract("朝阳区总工会开展活动。")
    assert _names(r, "UnionBody") == {"朝阳区总工会"}
    assert r.entities["UnionBody:朝阳区总工会"].region_code is None


def test_dateline_place_gives_level_words_their_region() -> None:
    text = "近日,市总工会联合市人社局开展活动。"
    doc = Document("d.txt", "d.txt", text)
    sent = Sentence(0, 0, len(text), TextView.from_pieces([(text, 0)]))
    art = Article("d.txt", 0, 0, len(text), "", dateline="本报南宁5月20日电", sentences=[sent])
    r = extract_document(doc, [art], extractors=[])
    assert _names(r, "UnionBody") == {"南宁市总工会"}
    assert _names(r, "PartnerAgency") == {"南宁市人力资源和社会保障局"}
    assert r.entities["UnionBody:南宁市总工会"].implicit


def test_short_enterprise_name_is_the_same_union_as_the_full_one() -> None:
    r = _extract("中国工商银行广东省分行工会成立服务队,", "工行广东省分行工会负责人介绍。")
    assert _names(r, "UnionBody") == {"中国工商银行广东省分行工会"}


def test_compound_abbreviation_names_several_agencies() -> None:
    r = _extract("南宁市总工会会同公检法等部门,", "建立欠薪联合处置机制。")
    names = _names(r, "PartnerAgency")
    assert {"南宁市公安局", "南宁市人民检察院", "南宁市人民法院"} <= names


def test_union_of_an_agency_and_union_sub_bodies() -> None:
    r = _extract(
        "宁波海事局工会牵头成立服务队。",
        "温州市鹿城区总工会职工法律援助中心为职工提供咨询。",
    )
    names = _names(r, "UnionBody")
    assert "宁波海事局工会" in names
    assert "温州市鹿城区总工会职工法律援助中心" in names
    assert "温州市鹿城区总工会" in names
    assert _names(r, "PartnerAgency") == set()


def test_bare_agency_joins_the_explicit_one_of_its_region() -> None:
    r = _extract("南昌市总工会与南昌市中级人民法院签订协议,", "今后工会与法院将定期会商。")
    assert _names(r, "PartnerAgency") == {"南昌市中级人民法院"}


# --- programs --------------------------------------------------------------------------


def test_quoted_program_with_cue_word() -> None:
    r = _extract("成都市总工会打造“幸福驿站”,为户外劳动者提供歇脚服务。")
    assert "幸福驿站" in _names(r, "Program")


def test_quoted_program_drops_generic_head_and_carrier() -> None:
    r = _extract(
        "浙江省总工会推行“两书一函”制度,",
        "并开通“浙工之家”微信小程序。",
    )
    names = _names(r, "Program")
    assert "两书一函" in names
    assert "浙工之家" in names


def test_quoted_slogan_and_speech_are_not_programs() -> None:
    r = _extract("他说:“工会真是职工的娘家人。”", "让职工维权“零跑腿”。")
    assert _names(r, "Program") == set()


def test_program_names_merge_to_the_most_complete_form() -> None:
    r = _extract(
        "广西壮族自治区总工会开展劳动用工体检专项服务行动,",
        "劳动用工体检覆盖2000家企业。",
        "开展“劳动用工体检”。",
    )
    progs = _names(r, "Program")
    assert "劳动用工体检专项服务行动" in progs
    assert "劳动用工体检" not in progs


# --- worker groups ----------------------------------------------------------------------


def test_worker_groups_take_canonical_names() -> None:
    r = _extract("为外卖小哥、快递小哥、网约车司机和环卫工送去清凉。")
    assert _names(r, "WorkerGroup") == {"外卖骑手", "快递员", "网约车司机", "环卫工人"}


def test_bare_worker_words_are_not_groups() -> None:
    r = _extract("工会维护职工和劳动者的合法权益,关心工人。")
    assert _names(r, "WorkerGroup") == set()


# --- traditional characters ---------------------------------------------------------------


def test_traditional_characters_are_recognised_with_original_offsets() -> None:
    text = "廣東省總工會與廣州市中級人民法院攜手,為外賣騎手開展「法律服務進站點」活動。"
    r = _extract(text, normalise=True)
    assert "广东省总工会" in _names(r, "UnionBody")
    assert "广州市中级人民法院" in _names(r, "PartnerAgency")
    assert "外卖骑手" in _names(r, "WorkerGroup")
    m = next(m for m in r.mentions if m.entity == "UnionBody:广东省总工会")
    assert m.text == "廣東省總工會"
    _check_offsets(r)


# --- relations merging --------------------------------------------------------------------


def _ev(sentence: int) -> Evidence:
    return Evidence("d", 0, sentence, 0, 5, "x", 0, 1, 2, 3, "test", 0.8)


def test_symmetric_relations_are_merged_once_per_pair() -> None:
    triples = [
        Triple("UnionBody:A", "cooperatesWith", "PartnerAgency:B", _ev(0)),
        Triple("PartnerAgency:B", "cooperatesWith", "UnionBody:A", _ev(1)),
        Triple("UnionBody:A", "runs", "Program:P", _ev(2)),
        Triple("UnionBody:A", "runs", "Program:P", _ev(2)),
    ]
    rels = merge_triples(triples)
    assert [(r.p, len(r.evidence)) for r in rels] == [("cooperatesWith", 2), ("runs", 1)]


def test_unknown_extractor_is_a_usage_error() -> None:
    from kg.errors import UsageError

    doc, arts = _doc("四川省总工会。")
    with pytest.raises(UsageError):
        extract_document(doc, arts, extractors=["no-such-extractor"])


def test_output_is_deterministic() -> None:
    sents = ("重庆市渝中区总工会与区法院、区检察院签订协议,", "为货车司机开通“司机之家”。")
    a, b = _extract(*sents), _extract(*sents)
    assert list(a.entities) == list(b.entities)
    assert [(m.start, m.end, m.entity) for m in a.mentions] == [
        (m.start, m.end, m.entity) for m in b.mentions
    ]


# --- property: never fails, offsets always slice the original ---------------------------------

_ALPHABET = st.sampled_from(
    [
        *"省市区县总工会法院检察人社局与和、,。“”《》「」驿站平台行动骑手司机中国集团公司",
        *[
            "江苏",
            "成都",
            "朝阳区",
            "全总",
            "省总",
            "外卖小哥",
            "高院",
            "工会",
            "\n",
            " ",
            "A",
            "1",
        ],
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(st.text(min_size=0, max_size=30), st.lists(_ALPHABET, max_size=25).map("".join)),
        min_size=1,
        max_size=4,
    )
)
def test_extraction_never_fails_and_offsets_slice_the_text(pieces: list[str]) -> None:
    r = _extract(*[p for p in pieces if p] or ["。"])
    _check_offsets(r)
    for m in r.mentions:
        assert m.start < m.end


_PAGE_PIECES = st.sampled_from(
    [
        *"廣東省總工會與法院,。“”「」ＡＢ１２\n ",
        "江苏省总工会",
        "外卖小哥",
        "市检察院",
        "“法治体检”平台",
    ]
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=60), st.lists(_PAGE_PIECES, max_size=30).map("".join)))
def test_whole_pages_never_fail_and_offsets_slice_the_text(text: str) -> None:
    from kg.text import split_articles

    doc = Document("h.txt", "h.txt", text)
    r = extract_document(doc, split_articles(doc), extractors=[])
    _check_offsets(r)


# --- shipped data ---------------------------------------------------------------------------


def test_broken_word_list_is_a_data_error(tmp_path: Path) -> None:
    from kg.errors import DataError
    from kg.lexicon.tables import read_tsv

    bad = tmp_path / "x.tsv"
    bad.write_text("# c\nwrong\theader\nverb\t开展\n", encoding="utf-8")
    with pytest.raises(DataError, match="header"):
        read_tsv(bad, ("kind", "word"))
    bad.write_text("kind\tword\nverb\t开展\textra\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"x\.tsv:2"):
        read_tsv(bad, ("kind", "word"))


def test_lexicons_load_and_hold_kinds_not_names() -> None:
    from kg.lexicon.orgs import org_lexicon
    from kg.lexicon.programs import program_cues
    from kg.lexicon.worker_groups import worker_groups

    lex = org_lexicon()
    assert lex.designations["总工会"].type == "UnionBody"
    assert lex.national["全总"].name == "中华全国总工会"
    assert "开展" in program_cues().verbs
    vocab = worker_groups()
    assert vocab.canonical("骑手") == "外卖骑手"
    assert all(g.english for g in vocab.groups)
    for bare in ("职工", "劳动者", "工人"):
        assert vocab.canonical(bare) is None


@pytest.mark.parametrize(
    "module", ["", ".scan", ".context", ".regions", ".orgs", ".programs", ".groups"]
)
def test_mentions_doctests(module: str) -> None:
    import doctest
    import importlib

    mod = importlib.import_module("kg.extract.mentions" + module)
    assert doctest.testmod(mod).failed == 0, mod.__name__
