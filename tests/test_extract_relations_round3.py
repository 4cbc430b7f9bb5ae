"""Unit tests of the third round of the relation extractors: constructions that
generalise across outlets (issue 14).

Every sentence here is invented for the test (other provinces, agencies, programs
and worker groups than the development articles); articles are built by hand with
:func:`test_extract_relations.build`, so the tests do not depend on mention
recognition.
"""

from __future__ import annotations

from test_extract_relations import PR, G, P, U, build, check_evidence, rels, run_all

from kg.extract.relations._anaphora import _event_start
from kg.extract.relations._context import analyse

# --------------------------------------------------------------------------
# anaphors composed of a determiner and a head noun (本届大赛, 这项活动)


def test_determiner_and_head_make_an_anaphor() -> None:
    assert _event_start("本届大赛由某工会主办") == "大赛"
    assert _event_start("这项活动由某工会发起") == "活动"
    assert _event_start("该平台上线") == "平台"  # an event cue of its own
    assert _event_start("大赛开幕") is None  # no determiner: no anaphor
    assert _event_start("这些职工") is None  # no head noun


def test_host_phrase_of_a_determined_anaphor_runs_the_program() -> None:
    aa = build(
        [
            "5月8日,湖北省第三届职工职业技能大赛在武汉开幕。",
            "本届大赛由湖北省总工会、湖北省人社厅、湖北省科技厅等6家单位联合主办,"
            "武汉市总工会等3家单位承办。",
        ],
        [
            ("湖北省第三届职工职业技能大赛", PR, "湖北省第三届职工职业技能大赛"),
            ("湖北省总工会", U, "湖北省总工会"),
            ("湖北省人社厅", P, "湖北省人力资源和社会保障厅"),
            ("湖北省科技厅", P, "湖北省科学技术厅"),
            ("武汉市总工会", U, "武汉市总工会"),
        ],
    )
    got = rels(run_all(aa))
    for host in ("湖北省总工会", "湖北省人力资源和社会保障厅", "湖北省科学技术厅"):
        assert (host, "runs", "湖北省第三届职工职业技能大赛") in got
    assert ("武汉市总工会", "participatesIn", "湖北省第三届职工职业技能大赛") in got
    assert ("武汉市总工会", "runs", "湖北省第三届职工职业技能大赛") not in got


# --------------------------------------------------------------------------
# a run cue whose object abbreviates a program named before (治理行动)


def test_abbreviated_object_refers_to_the_program_named_before() -> None:
    aa = build(
        [
            "3月2日,河北省保障货车司机休息权益专项行动启动。",
            "河北省交通运输厅、河北省公安厅、河北省总工会等部门联动开展保障行动。",
        ],
        [
            ("河北省保障货车司机休息权益专项行动", PR, "河北省保障货车司机休息权益专项行动"),
            ("河北省交通运输厅", P, "河北省交通运输厅"),
            ("河北省公安厅", P, "河北省公安厅"),
            ("河北省总工会", U, "河北省总工会"),
            ("货车司机", G, "货车司机"),
        ],
    )
    triples = run_all(aa)
    got = rels(triples)
    for body in ("河北省交通运输厅", "河北省公安厅", "河北省总工会"):
        assert (body, "runs", "河北省保障货车司机休息权益专项行动") in got
    # the evidence points at the abbreviation in the sentence that reads it
    ev = next(t.evidence for t in triples if t.p == "runs")
    assert aa.doc.text[ev.o_start : ev.o_end] == "保障行动"
    assert ev.sentence == 1


def test_a_word_that_abbreviates_no_program_is_no_object() -> None:
    aa = build(
        [
            "3月2日,河北省保障货车司机休息权益专项行动启动。",
            "河北省总工会同步开展宣传行动,河北省公安厅开展专项检查。",
        ],
        [
            ("河北省保障货车司机休息权益专项行动", PR, "河北省保障货车司机休息权益专项行动"),
            ("河北省公安厅", P, "河北省公安厅"),
            ("河北省总工会", U, "河北省总工会"),
        ],
    )
    got = rels(run_all(aa))
    assert not any(p == "runs" for _, p, _ in got)


# --------------------------------------------------------------------------
# bodies joined to a subject, and bodies that join another's doing


def test_bodies_joined_with_yu_are_partners_of_the_subject_only() -> None:
    aa = build(
        [
            "会上,长沙市总工会与长沙市人社局、长沙市中级人民法院签署合作协议,"
            "此前已与长沙市人民检察院合作。"
        ],
        [
            ("长沙市总工会", U, "长沙市总工会"),
            ("长沙市人社局", P, "长沙市人力资源和社会保障局"),
            ("长沙市中级人民法院", P, "长沙市中级人民法院"),
            ("长沙市人民检察院", P, "长沙市人民检察院"),
        ],
    )
    got = rels(run_all(aa))
    coop = {(s, o) for s, p, o in got if p == "cooperatesWith"}
    assert coop == {
        ("长沙市人力资源和社会保障局", "长沙市总工会"),
        ("长沙市中级人民法院", "长沙市总工会"),
        ("长沙市人民检察院", "长沙市总工会"),
    }


def test_bodies_that_take_part_join_the_actor_carried_in() -> None:
    aa = build(
        [
            "近日,南宁市总工会“护薪”法律服务站揭牌。",
            "南宁市人社局、南宁市司法局、南宁市中级人民法院等多部门参与,共同为职工维权出力。",
        ],
        [
            ("南宁市总工会", U, "南宁市总工会"),
            ("“护薪”法律服务站", PR, "护薪法律服务站"),
            ("南宁市人社局", P, "南宁市人力资源和社会保障局"),
            ("南宁市司法局", P, "南宁市司法局"),
            ("南宁市中级人民法院", P, "南宁市中级人民法院"),
        ],
    )
    got = rels(run_all(aa))
    agencies = ("南宁市人力资源和社会保障局", "南宁市司法局", "南宁市中级人民法院")
    for a in agencies:
        pair = tuple(sorted((a, "南宁市总工会")))
        assert (pair[0], "cooperatesWith", pair[1]) in got
        assert (a, "participatesIn", "护薪法律服务站") in got
    # they join the union's doing: no pairs among themselves
    assert not any(p == "cooperatesWith" and s in agencies and o in agencies for s, p, o in got)


def test_members_of_one_group_cooperate() -> None:
    aa = build(
        [
            "该市成立了以副市长为组长,昆明市人社局、昆明市财政局、昆明市总工会等部门"
            "负责人为成员的欠薪治理工作专班。"
        ],
        [
            ("昆明市人社局", P, "昆明市人力资源和社会保障局"),
            ("昆明市财政局", P, "昆明市财政局"),
            ("昆明市总工会", U, "昆明市总工会"),
        ],
    )
    got = rels(run_all(aa))
    coop = {(s, o) for s, p, o in got if p == "cooperatesWith"}
    assert coop == {
        ("昆明市人力资源和社会保障局", "昆明市总工会"),
        ("昆明市人力资源和社会保障局", "昆明市财政局"),
        ("昆明市总工会", "昆明市财政局"),
    }


# --------------------------------------------------------------------------
# supporters take part


def test_two_supporters_before_xia_both_take_part() -> None:
    aa = build(
        ["在江西省总工会的指导和南昌市人社局的部署下,南昌市总工会实施“技能提升”计划。"],
        [
            ("江西省总工会", U, "江西省总工会"),
            ("南昌市人社局", P, "南昌市人力资源和社会保障局"),
            ("南昌市总工会", U, "南昌市总工会"),
            ("“技能提升”计划", PR, "技能提升计划"),
        ],
    )
    got = rels(run_all(aa))
    assert ("江西省总工会", "participatesIn", "技能提升计划") in got
    assert ("南昌市人力资源和社会保障局", "participatesIn", "技能提升计划") in got
    assert ("南昌市总工会", "runs", "技能提升计划") in got


def test_a_program_that_receives_support_has_its_supporters_take_part() -> None:
    aa = build(
        [
            "合肥市总工会举办“匠心合肥”技能月。",
            "“匠心合肥”技能月得到了合肥市人社局、合肥市科技局和多家企业的大力支持,反响热烈。",
        ],
        [
            ("合肥市总工会", U, "合肥市总工会"),
            ("“匠心合肥”技能月", PR, "匠心合肥技能月"),
            ("合肥市人社局", P, "合肥市人力资源和社会保障局"),
            ("合肥市科技局", P, "合肥市科学技术局"),
        ],
    )
    got = rels(run_all(aa))
    assert ("合肥市人力资源和社会保障局", "participatesIn", "匠心合肥技能月") in got
    assert ("合肥市科学技术局", "participatesIn", "匠心合肥技能月") in got
    assert ("合肥市总工会", "runs", "匠心合肥技能月") in got


# --------------------------------------------------------------------------
# a body that sends people to a program organises it


def test_body_that_sends_people_runs_the_program() -> None:
    aa = build(
        ["今年,济南市总工会组织200名环卫工人参加“清凉一夏”疗养活动。"],
        [
            ("济南市总工会", U, "济南市总工会"),
            ("环卫工人", G, "环卫工人"),
            ("“清凉一夏”疗养活动", PR, "清凉一夏疗养活动"),
        ],
    )
    got = rels(run_all(aa))
    assert ("济南市总工会", "runs", "清凉一夏疗养活动") in got
    assert ("济南市总工会", "participatesIn", "清凉一夏疗养活动") not in got


def test_body_that_takes_part_itself_still_participates() -> None:
    aa = build(
        ["济南市总工会参加“齐鲁工匠”评选活动。"],
        [
            ("济南市总工会", U, "济南市总工会"),
            ("“齐鲁工匠”评选活动", PR, "齐鲁工匠评选活动"),
        ],
    )
    got = rels(run_all(aa))
    assert ("济南市总工会", "participatesIn", "齐鲁工匠评选活动") in got


# --------------------------------------------------------------------------
# serves: the program named in the passage, rather than the body that runs it


def test_group_served_by_the_program_of_the_sentence_not_the_body() -> None:
    aa = build(
        [
            "近期,株洲市总工会为快递员、货车司机购置了500份防暑礼包,职工通过“株洲工惠”小程序即可申领。"
        ],
        [
            ("株洲市总工会", U, "株洲市总工会"),
            ("快递员", G, "快递员"),
            ("货车司机", G, "货车司机"),
            ("“株洲工惠”小程序", PR, "株洲工惠小程序"),
        ],
    )
    got = rels(run_all(aa))
    assert ("株洲工惠小程序", "serves", "快递员") in got
    assert ("株洲工惠小程序", "serves", "货车司机") in got
    assert ("株洲市总工会", "serves", "快递员") not in got


def test_group_served_by_the_body_when_no_program_is_named() -> None:
    aa = build(
        ["近期,株洲市总工会为快递员、货车司机购置了500份防暑用品。"],
        [
            ("株洲市总工会", U, "株洲市总工会"),
            ("快递员", G, "快递员"),
            ("货车司机", G, "货车司机"),
        ],
    )
    got = rels(run_all(aa))
    assert ("株洲市总工会", "serves", "快递员") in got
    assert ("株洲市总工会", "serves", "货车司机") in got


def test_bodies_that_back_unions_take_part_in_what_the_unions_run() -> None:
    aa = build(
        [
            "甘肃省总工会、甘肃省财政厅、甘肃省卫健委近日联合出台意见,"
            "要求各级财政、卫健部门支持工会开展“职工健康体检”活动。"
        ],
        [
            ("甘肃省总工会", U, "甘肃省总工会"),
            ("甘肃省财政厅", P, "甘肃省财政厅"),
            ("甘肃省卫健委", P, "甘肃省卫生健康委员会"),
            ("“职工健康体检”活动", PR, "职工健康体检"),
        ],
    )
    got = rels(run_all(aa))
    assert ("甘肃省总工会", "runs", "职工健康体检") in got
    for agency in ("甘肃省财政厅", "甘肃省卫生健康委员会"):
        assert (agency, "participatesIn", "职工健康体检") in got
        assert (agency, "runs", "职工健康体检") not in got


# --------------------------------------------------------------------------
# a program that opens its clause and is launched there: the actor before runs it


def test_program_launched_in_its_own_clause_is_run_by_the_actor_before() -> None:
    aa = build(
        ["2019年,太原市总工会设立职工法律援助站,2020年,“劳动者之声”宣讲团正式成立。"],
        [
            ("太原市总工会", U, "太原市总工会"),
            ("职工法律援助站", PR, "职工法律援助站"),
            ("“劳动者之声”宣讲团", PR, "劳动者之声宣讲团"),
        ],
    )
    got = rels(run_all(aa))
    assert ("太原市总工会", "runs", "职工法律援助站") in got
    assert ("太原市总工会", "runs", "劳动者之声宣讲团") in got


def test_a_launch_told_as_a_time_is_no_launch() -> None:
    aa = build(
        ["太原市总工会表示,“劳动者之声”宣讲团成立以来,已开展宣讲80场。"],
        [
            ("太原市总工会", U, "太原市总工会"),
            ("“劳动者之声”宣讲团", PR, "劳动者之声宣讲团"),
        ],
    )
    got = rels(run_all(aa))
    assert ("太原市总工会", "runs", "劳动者之声宣讲团") not in got


def test_bodies_attending_one_meeting_meet_the_union() -> None:
    aa = build(
        [
            "会议由市协调劳动关系三方委员会主持,宁波市人社局、宁波市总工会、宁波市工商联"
            "分管领导及相关处室负责人30余人参加会议。"
        ],
        [
            ("宁波市人社局", P, "宁波市人力资源和社会保障局"),
            ("宁波市总工会", U, "宁波市总工会"),
            ("宁波市工商联", P, "宁波市工商业联合会"),
        ],
    )
    got = rels(run_all(aa))
    coop = {(s, o) for s, p, o in got if p == "cooperatesWith"}
    assert coop == {
        ("宁波市人力资源和社会保障局", "宁波市总工会"),
        ("宁波市工商业联合会", "宁波市总工会"),
    }


def test_a_list_goes_on_past_an_item_that_is_no_mention() -> None:
    aa = build(
        [
            "11月3日上午,黄浦区委社会工作部、区物流行业党委、黄浦区总工会及外滩街道办事处,共同举办快递员主题服务日活动。"
        ],
        [
            ("黄浦区委社会工作部", P, "黄浦区委社会工作部"),
            ("黄浦区总工会", U, "黄浦区总工会"),
            ("快递员", G, "快递员"),
        ],
    )
    got = rels(run_all(aa))
    assert ("黄浦区委社会工作部", "cooperatesWith", "黄浦区总工会") in got


def test_relative_clause_names_the_runner_and_its_partner() -> None:
    aa = build(
        ["退休职工王师傅为南通市总工会联合南通市民政局发起的“银发守护”关爱工程点赞。"],
        [
            ("南通市总工会", U, "南通市总工会"),
            ("南通市民政局", P, "南通市民政局"),
            ("“银发守护”关爱工程", PR, "银发守护关爱工程"),
        ],
    )
    got = rels(run_all(aa))
    assert ("南通市总工会", "runs", "银发守护关爱工程") in got
    assert ("南通市民政局", "participatesIn", "银发守护关爱工程") in got
    assert ("南通市总工会", "cooperatesWith", "南通市民政局") in got


def test_program_named_for_a_groups_wages_or_gatherings_serves_it() -> None:
    aa = build(
        [
            "12月1日,江西省保障农民工工资支付专项行动启动。",
            "南昌市总工会举办“情定赣江”青年职工交友联谊活动。",
            "全省农民工和青年职工都将受益。",
        ],
        [
            ("江西省保障农民工工资支付专项行动", PR, "江西省保障农民工工资支付专项行动"),
            ("南昌市总工会", U, "南昌市总工会"),
            ("“情定赣江”青年职工交友联谊活动", PR, "情定赣江青年职工交友联谊活动"),
            ("农民工", G, "农民工"),
            ("青年职工", G, "青年职工"),
        ],
    )
    got = rels(run_all(aa))
    assert ("江西省保障农民工工资支付专项行动", "serves", "农民工") in got
    assert ("情定赣江青年职工交友联谊活动", "serves", "青年职工") in got


def test_program_whose_name_opens_with_a_year_is_the_subject_of_its_clause() -> None:
    aa = build(
        [
            "活动中,合肥市蜀山区总工会与区人社局签署合作协议。",
            "同时,“2024年蜀山区工会维权十佳案例”在活动中发布。",
        ],
        [
            ("合肥市蜀山区总工会", U, "合肥市蜀山区总工会"),
            ("区人社局", P, "合肥市蜀山区人力资源和社会保障局"),
            ("“2024年蜀山区工会维权十佳案例”", PR, "2024年蜀山区工会维权十佳案例"),
        ],
    )
    ctx = analyse(aa).sentences[1]
    assert ctx.program_subject_at(ctx.text.index("在活动中")) is not None
    got = rels(run_all(aa))
    assert ("合肥市蜀山区总工会", "runs", "2024年蜀山区工会维权十佳案例") in got


def test_bodies_joined_for_one_action_do_not_run_what_follows() -> None:
    aa = build(
        ["温州市总工会与温州市人社局、温州市住建局建立信息共享机制,以“护薪”平台为抓手开展监督。"],
        [
            ("温州市总工会", U, "温州市总工会"),
            ("温州市人社局", P, "温州市人力资源和社会保障局"),
            ("温州市住建局", P, "温州市住房和城乡建设局"),
            ("信息共享机制", PR, "信息共享机制"),
            ("“护薪”平台", PR, "护薪平台"),
        ],
    )
    got = rels(run_all(aa))
    assert ("温州市总工会", "runs", "护薪平台") in got
    assert ("温州市人力资源和社会保障局", "runs", "护薪平台") not in got
    pair = tuple(sorted(("温州市人力资源和社会保障局", "温州市住房和城乡建设局")))
    assert (pair[0], "cooperatesWith", pair[1]) not in got


def test_bodies_joined_with_a_co_equal_cue_act_together_on() -> None:
    aa = build(
        ["温州市总工会与温州市人民检察院联合建立线索移送机制,以“工会+检察”协作为核心开展监督。"],
        [
            ("温州市总工会", U, "温州市总工会"),
            ("温州市人民检察院", P, "温州市人民检察院"),
            ("线索移送机制", PR, "线索移送机制"),
            ("“工会+检察”协作", PR, "工会+检察协作"),
        ],
    )
    got = rels(run_all(aa))
    assert ("温州市总工会", "runs", "工会+检察协作") in got
    assert ("温州市人民检察院", "runs", "工会+检察协作") in got


def test_body_holding_an_event_about_a_program_takes_part_in_it() -> None:
    aa = build(
        ["5月6日,长沙市人民政府召开“湘工惠”平台新闻发布会,介绍平台上线情况。"],
        [
            ("长沙市人民政府", P, "长沙市人民政府"),
            ("“湘工惠”平台", PR, "湘工惠平台"),
        ],
    )
    got = rels(run_all(aa))
    assert ("长沙市人民政府", "participatesIn", "湘工惠平台") in got
    assert ("长沙市人民政府", "runs", "湘工惠平台") not in got


def test_a_sentence_opening_with_a_dropped_subject_verb_carries_the_actor() -> None:
    aa = build(
        [
            "近年来,绍兴市柯桥区总工会深化劳动法律监督。",
            "2024年,完成12部法规的意见征询,配合开展“一法一条例”执法检查。",
        ],
        [
            ("绍兴市柯桥区总工会", U, "绍兴市柯桥区总工会"),
            ("“一法一条例”执法检查", PR, "一法一条例执法检查"),
        ],
    )
    got = rels(run_all(aa))
    assert ("绍兴市柯桥区总工会", "participatesIn", "一法一条例执法检查") in got


def test_invited_bodies_take_part_in_the_program_of_the_passage() -> None:
    aa = build(
        [
            "今年,洛阳市总工会开展“工会送健康”活动。",
            "活动中,洛阳市总工会邀请洛阳市中心医院开展义诊,为职工检查身体。",
        ],
        [
            ("洛阳市总工会", U, "洛阳市总工会"),
            ("“工会送健康”活动", PR, "工会送健康"),
            ("洛阳市中心医院", P, "洛阳市中心医院"),
        ],
    )
    triples = run_all(aa)
    check_evidence(aa, triples)
    got = rels(triples)
    assert ("洛阳市中心医院", "participatesIn", "工会送健康") in got
    assert ("洛阳市总工会", "runs", "工会送健康") in got


def test_an_invited_body_takes_part_in_what_it_does() -> None:
    aa = build(
        ["竞赛期间,宜昌市总工会宣教部负责人受邀开展“安全生产”主题宣讲。"],
        [
            ("宜昌市总工会", U, "宜昌市总工会"),
            ("“安全生产”主题宣讲", PR, "安全生产主题宣讲"),
        ],
    )
    got = rels(run_all(aa))
    assert ("宜昌市总工会", "participatesIn", "安全生产主题宣讲") in got
    assert ("宜昌市总工会", "runs", "安全生产主题宣讲") not in got


def test_groups_that_take_part_are_served_by_the_actor() -> None:
    aa = build(
        [
            "活动中,嘉兴市南湖区总工会与区司法局签署合作协议。",
            "当天,工会设立咨询摊位,保洁员、网约车司机等等新就业形态劳动者踊跃参与,气氛热烈。",
        ],
        [
            ("嘉兴市南湖区总工会", U, "嘉兴市南湖区总工会"),
            ("区司法局", P, "嘉兴市南湖区司法局"),
            ("保洁员", G, "保洁员"),
            ("网约车司机", G, "网约车司机"),
            ("新就业形态劳动者", G, "新就业形态劳动者"),
        ],
    )
    got = rels(run_all(aa))
    for group in ("保洁员", "网约车司机", "新就业形态劳动者"):
        assert ("嘉兴市南湖区总工会", "serves", group) in got


def test_giving_play_to_a_programs_role_is_no_running_it() -> None:
    aa = build(
        ["会上,南昌市总工会要求充分发挥“劳模创新工作室”作用,带动职工创新。"],
        [
            ("南昌市总工会", U, "南昌市总工会"),
            ("“劳模创新工作室”", PR, "劳模创新工作室"),
        ],
    )
    got = rels(run_all(aa))
    assert not any(o == "劳模创新工作室" for _, p, o in got if p in ("runs", "participatesIn"))


def test_a_determined_anaphor_takes_no_program_that_only_mentions_its_head() -> None:
    # regression: 本届大赛 was read as a program that only mentions 大赛 (…大赛选拔
    # 竞赛项目), and the figures of the sentence went to it
    aa = build(
        [
            "本届竞赛对标全国职工职业技能大赛,设置6个全国职工职业技能大赛选拔竞赛项目。",
            "本届大赛设个人奖、优秀组织奖和突出贡献奖。",
        ],
        [("全国职工职业技能大赛选拔竞赛项目", PR, "全国职工职业技能大赛选拔竞赛项目")],
    )
    ctx = analyse(aa).sentences[1]
    assert ctx.program_subject_at(0) is None
