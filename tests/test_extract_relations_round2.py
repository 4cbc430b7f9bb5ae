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

from kg.extract import extract_document
from kg.extract.relations._context import analyse, skip_adverbials, split_clauses
from kg.extract.relations._lexicon import Hit, parse_table
from kg.extract.relations.cooperation import CooperationExtractor
from kg.extract.relations.serves import ServesExtractor
from kg.model import Document
from kg.text import split_articles

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


def test_group_made_the_target_of_a_body() -> None:
    aa = build(
        [
            "昆明市总工会将新就业形态劳动者列为重点服务对象。",
            "呼和浩特市总工会把全市3万名环卫工人纳入帮扶范围,开展送清凉活动。",
        ],
        [
            ("昆明市总工会", U, "昆明市总工会"),
            ("新就业形态劳动者", G, "新就业形态劳动者"),
            ("呼和浩特市总工会", U, "呼和浩特市总工会"),
            ("环卫工人", G, "环卫工人"),
        ],
    )
    triples = run_all(aa)
    check_evidence(aa, triples)
    got = rels(triples)
    assert ("昆明市总工会", "serves", "新就业形态劳动者") in got
    assert ("呼和浩特市总工会", "serves", "环卫工人") in got


def test_take_without_a_target_verb_is_no_service() -> None:
    # 将 G … without 作为/列为…对象: not the construction
    aa = build(
        ["南宁市总工会将农民工工资问题移交劳动监察部门。"],
        [("南宁市总工会", U, "南宁市总工会"), ("农民工", G, "农民工")],
    )
    assert ("南宁市总工会", "serves", "农民工") not in rels(list(ServesExtractor()(aa)))


def test_contest_training_and_workforce_named_after_a_group_serve_it() -> None:
    aa = build(
        [
            "南昌市总工会举办全市快递员技能竞赛。",
            "太原市总工会推进产业工人队伍建设改革。",
            "拉萨市总工会开办青年电工训练营。",
        ],
        [
            ("南昌市总工会", U, "南昌市总工会"),
            ("全市快递员技能竞赛", PR, "全市快递员技能竞赛"),
            ("快递员", G, "快递员"),
            ("太原市总工会", U, "太原市总工会"),
            ("产业工人队伍建设改革", PR, "产业工人队伍建设改革"),
            ("产业工人", G, "产业工人"),
            ("拉萨市总工会", U, "拉萨市总工会"),
            ("青年电工训练营", PR, "青年电工训练营"),
            ("青年电工", G, "青年电工"),
        ],
    )
    got = rels(run_all(aa))
    assert ("全市快递员技能竞赛", "serves", "快递员") in got
    assert ("产业工人队伍建设改革", "serves", "产业工人") in got
    assert ("青年电工训练营", "serves", "青年电工") in got


def test_traditional_page_through_the_pipeline() -> None:
    # a page in traditional characters: the extractors read the normalised view
    text = (
        "貴陽市總工會加強新就業形態勞動者權益保障\n\n"
        "本報貴陽6月3日電（記者王芳）近日，貴州省貴陽市總工會將快遞員作為普法重點對象，"
        "全年開展專場普法宣傳活動30場次。貴陽市總工會與貴陽市勞動人事爭議仲裁院共建"
        "“裁審銜接”工作站，為外賣騎手提供一站式維權服務。\n"
    )
    doc = Document("trad.txt", "trad.txt", text)
    res = extract_document(doc, split_articles(doc))
    names = {k: e.name for k, e in res.entities.items()}
    got = {(names[r.s], r.p, names[r.o]) for r in res.relations}
    assert ("贵阳市总工会", "serves", "快递员") in got
    assert ("贵阳市总工会", "runs", "裁审衔接") in got
    assert ("贵阳市劳动人事争议仲裁院", "runs", "裁审衔接") in got
    spans = {(m.entity, m.start, m.end) for m in res.mentions}
    for r in res.relations:  # evidence offsets are those of mentions in the original text
        for ev in r.evidence:
            ends = {(r.s, ev.s_start, ev.s_end), (r.o, ev.o_start, ev.o_end)}
            if r.p == "cooperatesWith":  # symmetric: the ends may be stored either way
                swapped = {(r.o, ev.s_start, ev.s_end), (r.s, ev.o_start, ev.o_end)}
                ends = ends if ends <= spans else swapped
            assert ends <= spans, (r, ev)


def test_adverbial_that_says_together_is_a_joint_cue() -> None:
    # 同步 / 共同 are skipped as adverbials before a verb, yet say the bodies act together
    aa = build(
        [
            "温州市鹿城区总工会成立维权工作专班。",
            "依托调解机制,与区人社局、区法院同步固定证据。",
        ],
        [
            ("温州市鹿城区总工会", U, "温州市鹿城区总工会"),
            ("区人社局", P, "温州市鹿城区人力资源和社会保障局"),
            ("区法院", P, "温州市鹿城区人民法院"),
        ],
    )
    got = rels(list(CooperationExtractor()(aa)))
    assert ("温州市鹿城区人力资源和社会保障局", "cooperatesWith", "温州市鹿城区总工会") in got
    assert ("温州市鹿城区人民法院", "cooperatesWith", "温州市鹿城区总工会") in got


def test_bodies_that_join_therein_take_part_in_the_program_just_named() -> None:
    aa = build(
        [
            "大连市总工会发起“海员关爱行动”,大连海事局、大连港集团工会参与其中。",
            "西宁市总工会推出“高原驿站”。",
            "西宁市卫健委也加入进来,为驿站配备急救药品。",
        ],
        [
            ("大连市总工会", U, "大连市总工会"),
            ("“海员关爱行动”", PR, "海员关爱行动"),
            ("大连海事局", P, "大连海事局"),
            ("大连港集团工会", U, "大连港集团工会"),
            ("西宁市总工会", U, "西宁市总工会"),
            ("“高原驿站”", PR, "高原驿站"),
            ("西宁市卫健委", P, "西宁市卫生健康委员会"),
        ],
    )
    triples = run_all(aa)
    check_evidence(aa, triples)
    got = rels(triples)
    assert ("大连海事局", "participatesIn", "海员关爱行动") in got
    assert ("大连港集团工会", "participatesIn", "海员关爱行动") in got
    assert ("大连市总工会", "runs", "海员关爱行动") in got
    assert ("西宁市卫生健康委员会", "participatesIn", "高原驿站") in got


def test_joining_without_a_word_for_the_program_is_not_read() -> None:
    # 参与 + an unnamed activity: nothing to take part in
    aa = build(
        ["大连市总工会发起“海员关爱行动”,大连海事局参与调研。"],
        [
            ("大连市总工会", U, "大连市总工会"),
            ("“海员关爱行动”", PR, "海员关爱行动"),
            ("大连海事局", P, "大连海事局"),
        ],
    )
    assert not any(p == "participatesIn" for _, p, _ in rels(run_all(aa)))


def test_program_in_the_hall_of_a_body_is_its_own() -> None:
    aa = build(
        ["在太原市法律援助中心服务大厅,“农民工维权”绿色窗口格外醒目。"],
        [
            ("太原市法律援助中心", P, "太原市法律援助中心"),
            ("“农民工维权”绿色窗口", PR, "农民工维权绿色窗口"),
        ],
    )
    triples = run_all(aa)
    check_evidence(aa, triples)
    assert ("太原市法律援助中心", "runs", "农民工维权绿色窗口") in rels(triples)


def test_a_hall_clause_followed_by_no_program_reads_nothing() -> None:
    aa = build(
        ["在太原市法律援助中心服务大厅,工作人员正在接待来访职工。"],
        [("太原市法律援助中心", P, "太原市法律援助中心")],
    )
    assert rels(run_all(aa)) == set()


def test_quoted_program_opening_a_sentence_is_its_subject() -> None:
    # the opening quote belongs to the mention: the program acts, nobody speaks
    aa = build(
        ["“石榴籽”微信公众号定时为牧区职工解答维权问题。"],
        [("“石榴籽”微信公众号", PR, "石榴籽微信公众号"), ("牧区职工", G, "牧区职工")],
    )
    ctx = analyse(aa).sentences[0]
    subject = ctx.program_subject_at(0)
    assert subject is not None and subject.key == "Program:石榴籽微信公众号"
    assert ("石榴籽微信公众号", "serves", "牧区职工") in rels(list(ServesExtractor()(aa)))
