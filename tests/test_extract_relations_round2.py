"""Unit tests of the second round of the relation extractors: speed structures and
more constructions of news prose.

Every sentence here is invented for the test (other provinces, agencies and worker
groups than the seed pages); articles are built by hand with
:func:`test_extract_relations.build`, so the tests do not depend on mention
recognition.  The cue scanner is checked against a plain scan by property tests.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from test_extract_relations import PR, G, P, U, build, check_evidence, rels, run_all

from kg.extract.relations._context import skip_adverbials, split_clauses
from kg.extract.relations._lexicon import Hit, parse_table
from kg.extract.relations.serves import ServesExtractor

# --------------------------------------------------------------------------
# the cue scanner: one automaton scan per text gives what a plain scan gives

_CUES = ["开展", "组织开展", "开展活动", "展", "工会", "会同"]
_TABLE = parse_table(
    ["cue\trole\tconfidence", *(f"{c}\trun\t0.8" for c in _CUES), "会开\tfalse\t0"],
    "demo.tsv",
)


def _plain(text: str, start: int, end: int) -> list[Hit]:
    out = []
    for pos in range(max(0, start), end):
        for cue in sorted(_CUES, key=len, reverse=True):
            if pos + len(cue) <= end and text.startswith(cue, pos):
                out.append(Hit(pos, pos + len(cue), cue, "run", 0.8))
    return out


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="开展组织工会同活动甲,", max_size=30),
    st.integers(min_value=0, max_value=32),
    st.integers(min_value=0, max_value=32),
)
def test_find_is_a_plain_scan(text: str, a: int, b: int) -> None:
    start, end = min(a, b), min(max(a, b), len(text))
    assert list(_TABLE.find(text, "run", start, end)) == _plain(text, start, end)
    # asked again (remembered hits), the answer is the same
    assert list(_TABLE.find(text, "run", start, end)) == _plain(text, start, end)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="开展组织工会同活动甲", max_size=12), st.integers(0, 12))
def test_starts_at_is_starts_with_on_the_slice(text: str, pos: int) -> None:
    for end in (None, len(text) - 1, pos + 2):
        sliced = text[pos:end]
        assert _TABLE.starts_at(text, pos, "run", end) == _TABLE.starts_with(sliced, "run")


def test_unknown_role_has_no_hits() -> None:
    assert list(_TABLE.find("工会开展活动", "host")) == []
    assert _TABLE.all_hits("工会开展活动", "host") == ()


def test_skip_adverbials_runs_of_time_and_quantity() -> None:
    text = "近日, 2024年5月全市12家工会开展"
    assert text[skip_adverbials(text, 0, len(text)) :].startswith(",")
    at = text.index(" ")
    assert text[skip_adverbials(text, at, len(text)) :].startswith("工会")
    assert skip_adverbials(text, 3, 3) == 3


def test_split_clauses_keeps_quoted_and_named_commas() -> None:
    text = "某工会推出“安心,暖心”服务,惠及职工。"
    clauses = split_clauses(text, [])
    assert [text[c.start : c.end] for c in clauses] == ["某工会推出“安心,暖心”服务,", "惠及职工。"]
    plain = "甲,乙;丙"
    assert [(c.start, c.end) for c in split_clauses(plain, [])] == [(0, 2), (2, 4), (4, 5)]


# --------------------------------------------------------------------------
# constructions


def test_co_builders_both_run_what_they_build() -> None:
    aa = build(
        ["兰州市总工会与兰州市劳动人事争议仲裁院共建“劳动争议速裁”工作室,为职工提供一站式服务。"],
        [
            ("兰州市总工会", U, "兰州市总工会"),
            ("兰州市劳动人事争议仲裁院", P, "兰州市劳动人事争议仲裁院"),
            ("“劳动争议速裁”工作室", PR, "劳动争议速裁工作室"),
        ],
    )
    triples = run_all(aa)
    check_evidence(aa, triples)
    got = rels(triples)
    assert ("兰州市总工会", "runs", "劳动争议速裁工作室") in got
    assert ("兰州市劳动人事争议仲裁院", "runs", "劳动争议速裁工作室") in got
    assert ("兰州市劳动人事争议仲裁院", "cooperatesWith", "兰州市总工会") in got


def test_bare_head_anaphor_prefers_the_program_named_for_it() -> None:
    # 平台 stands for the platform launched first, not for a program only written
    # next to the word 平台 later on
    aa = build(
        [
            "青岛港口职工服务平台正式成立。",
            "平台还上线“一码通”查询平台,方便职工办事。",
            "平台将聚焦码头装卸工实际需求,开展技能培训。",
        ],
        [
            ("青岛港口职工服务平台", PR, "青岛港口职工服务平台"),
            ("“一码通”查询平台", PR, "一码通"),
            ("码头装卸工", G, "码头装卸工"),
        ],
    )
    got = rels(list(ServesExtractor()(aa)))
    assert ("青岛港口职工服务平台", "serves", "码头装卸工") in got
    assert ("一码通", "serves", "码头装卸工") not in got
