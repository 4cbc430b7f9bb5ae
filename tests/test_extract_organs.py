"""The naming grammar of public bodies: generated organ designations, shared
region prefixes, national organs, institutions and their sub-bodies.

Sentences are invented for these tests (none from the seeds or web sets).
"""

from __future__ import annotations

import pytest

from tests.test_extract_entities import _extract, _names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("湖北省科技厅与省总工会座谈。", "湖北省科学技术厅"),
        ("长沙市发改委参加会议。", "长沙市发展和改革委员会"),
        ("甘肃省文旅厅发布通知。", "甘肃省文化和旅游厅"),
        ("宜宾市工商局到会。", "宜宾市工商行政管理局"),
        ("绍兴市医保局介绍情况。", "绍兴市医疗保障局"),
        ("南昌市水利局派员参加。", "南昌市水利局"),
        ("吉林省交通厅到会。", "吉林省交通厅"),  # an older official name is kept
    ],
)
def test_organ_abbreviations_expand_to_the_official_name(text: str, expected: str) -> None:
    assert expected in _names(_extract(text), "PartnerAgency")


def test_a_region_prefix_is_shared_by_an_enumeration() -> None:
    r = _extract("山西省人社厅、公安厅、住建厅、国资委、总工会五部门联合下发通知。")
    assert {
        "山西省人力资源和社会保障厅",
        "山西省公安厅",
        "山西省住房和城乡建设厅",
        "山西省国有资产监督管理委员会",
    } <= _names(r, "PartnerAgency")
    assert "山西省总工会" in _names(r, "UnionBody")
    listed = r.entities["PartnerAgency:山西省公安厅"]
    assert listed.implicit


def test_a_level_word_prefix_is_shared_by_an_enumeration() -> None:
    r = _extract("泉州市总工会牵头，市人大、政法委、法院、司法局等部门参与。")
    assert {
        "泉州市人民代表大会",
        "泉州市委政法委员会",
        "泉州市人民法院",
        "泉州市司法局",
    } <= _names(r, "PartnerAgency")


def test_a_district_name_shared_by_two_cities_places_later_level_words() -> None:
    r = _extract("普陀区总工会举办活动。", "区法院、区检察院到场。")
    assert "普陀区总工会" in _names(r, "UnionBody")
    assert {"普陀区人民法院", "普陀区人民检察院"} <= _names(r, "PartnerAgency")


def test_guo_jia_and_an_organ_is_a_national_organ() -> None:
    r = _extract("国家林草局与国家医疗保障局联合调研。")
    assert {"国家林业和草原局", "国家医疗保障局"} <= _names(r, "PartnerAgency")


def test_institutions_named_by_a_region_alone_or_with_a_name() -> None:
    r = _extract("东莞市第三人民医院、安溪县医院和厦门海关走访一线。")
    assert {"东莞市第三人民医院", "安溪县医院", "厦门海关"} <= _names(r, "PartnerAgency")


def test_an_institution_right_after_its_body_is_its_sub_body() -> None:
    r = _extract("国家林业和草原局林业工作站管理总站派员参加。")
    names = _names(r, "PartnerAgency")
    assert "国家林业和草原局林业工作站管理总站" in names
    assert "国家林业和草原局" in names


def test_a_generated_department_word_resolves_to_the_acting_region() -> None:
    r = _extract("湖北省总工会会同财政部门开展检查。")
    assert "湖北省财政厅" in _names(r, "PartnerAgency")


def test_a_department_of_a_union_is_a_union_body() -> None:
    r = _extract("全国总工会权益保障部、中国职工发展基金会联合发起项目。")
    assert "中华全国总工会权益保障部" in _names(r, "UnionBody")


def test_an_office_of_a_union_federation_belongs_to_the_union() -> None:
    r = _extract("香港工会联合会深圳办事处负责人出席。")
    assert "香港工会联合会深圳办事处" in _names(r, "UnionBody")


def test_regions_listed_before_deng_share_the_designation() -> None:
    r = _extract("西藏自治区总工会与上海、江苏、浙江等3省市工会签订协议。")
    assert {"上海市总工会", "江苏省总工会", "浙江省总工会"} <= _names(r, "UnionBody")


def test_a_level_word_and_an_industry_federation_of_unions() -> None:
    r = _extract("宜昌市总工会召开会议。市交通运输行业工会联合会参加。")
    assert "宜昌市交通运输行业工会联合会" in _names(r, "UnionBody")


def test_party_department_short_forms() -> None:
    r = _extract("南通市总工会召开会议。市委社工部、团市委有关负责人参加。")
    assert {"南通市委社会工作部", "共青团南通市委员会"} <= _names(r, "PartnerAgency")


def test_a_body_written_with_a_guessed_district_keeps_one_name() -> None:
    r = _extract("普陀区总工会召开会议。区总工会与区法院签订协议。普陀区工会表示支持。")
    assert _names(r, "UnionBody") == {"普陀区总工会"}


def test_a_congress_named_in_a_persons_title_is_not_an_actor() -> None:
    r = _extract("绍兴市总工会举行仪式，市人大常委会副主任、市总工会主席某某出席。")
    assert not any("人大" in n for n in _names(r, "PartnerAgency"))
    r = _extract("绍兴市人大常委会到市总工会调研厂务公开工作。")
    assert "绍兴市人大常委会" in _names(r, "PartnerAgency")


def test_level_words_before_the_article_names_its_place() -> None:
    r = _extract("市总工会举办培训，市司法局派员授课。", "会上发布了《嘉兴市工会法律援助办法》。")
    assert "嘉兴市司法局" in _names(r, "PartnerAgency")
