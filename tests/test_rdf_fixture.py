"""A small hand-made set of DocResults for the RDF tests (and tests of it).

Two documents about two provinces; names and texts are invented for the tests
but follow the GUIDELINES conventions.  Other ``test_rdf_*`` modules import
:func:`make_results` from here.
"""

from __future__ import annotations

from kg.model import Article, DocResult, Document, Entity, Evidence, Mention, Relation


def _ev(
    doc: str,
    art: int,
    sent: int,
    text: str,
    s: str,
    o: str,
    extractor: str,
    conf: float,
    trigger: str | None = None,
    base: int = 0,
) -> Evidence:
    s_start = text.index(s) if s in text else 0
    o_start = text.index(o) if o in text else 0
    t_start = text.index(trigger) if trigger and trigger in text else None
    return Evidence(
        doc_id=doc,
        article=art,
        sentence=sent,
        sentence_start=base,
        sentence_end=base + len(text),
        text=text,
        s_start=base + s_start,
        s_end=base + s_start + len(s),
        o_start=base + o_start,
        o_end=base + o_start + len(o),
        extractor=extractor,
        confidence=conf,
        trigger=trigger,
        trigger_start=None if t_start is None else base + t_start,
        trigger_end=None if t_start is None or trigger is None else base + t_start + len(trigger),
    )


def _ent(type_: str, name: str, **kw: object) -> Entity:
    return Entity(type_, name, **kw)  # type: ignore[arg-type]


def make_results() -> list[DocResult]:
    """Two DocResults with every kind of node and relation."""
    d1 = "jsdoc.txt"
    s1 = "省总工会与省检察院签订协作意见，联合开展“一函两书”工作。"
    s2 = "高邮市总工会与市检察院协同推动专项治理，扬州市总工会为外卖骑手开通服务热线。"
    s3 = "中华全国总工会参与了“一函两书”推广。"
    text1 = "江苏工会动态\n" + s1 + s2 + "\n全总要闻\n" + s3
    b1 = text1.index(s1)
    b2 = text1.index(s2)
    b3 = text1.index(s3)
    ents1 = {
        e.key: e
        for e in [
            _ent(
                "UnionBody",
                "江苏省总工会",
                aliases={"江苏省总"},
                kind="provincial",
                level="provincial",
                region_code="320000",
                region_name="江苏省",
            ),
            _ent(
                "PartnerAgency",
                "江苏省人民检察院",
                aliases={"江苏省检察院"},
                implicit=True,
                kind="procuratorate",
                level="provincial",
                region_code="320000",
                region_name="江苏省",
            ),
            _ent(
                "UnionBody",
                "高邮市总工会",
                kind="county",
                level="county",
                region_code="321084",
                region_name="高邮市",
            ),
            _ent(
                "PartnerAgency",
                "高邮市人民检察院",
                implicit=True,
                kind="procuratorate",
                level="county",
                region_code="321084",
                region_name="高邮市",
            ),
            _ent(
                "UnionBody",
                "扬州市总工会",
                kind="prefectural",
                level="prefectural",
                region_code="321000",
                region_name="扬州市",
            ),
            _ent(
                "UnionBody", "中华全国总工会", aliases={"全总"}, kind="national", level="national"
            ),
            _ent("Program", "一函两书", aliases={"一函两书制度"}),
            _ent("Program", "服务热线"),
            _ent("WorkerGroup", "外卖骑手", aliases={"骑手"}),
        ]
    }
    rels1 = [
        Relation(
            "UnionBody:江苏省总工会",
            "cooperatesWith",
            "PartnerAgency:江苏省人民检察院",
            [_ev(d1, 0, 0, s1, "省总工会", "省检察院", "cooperation", 0.9, "签订", b1)],
        ),
        Relation(
            "UnionBody:江苏省总工会",
            "runs",
            "Program:一函两书",
            [_ev(d1, 0, 0, s1, "省总工会", "一函两书", "program", 0.8, "开展", b1)],
        ),
        Relation(
            "UnionBody:高邮市总工会",
            "cooperatesWith",
            "PartnerAgency:高邮市人民检察院",
            [_ev(d1, 0, 1, s2, "高邮市总工会", "市检察院", "cooperation", 0.85, "协同", b2)],
        ),
        Relation(
            "UnionBody:扬州市总工会",
            "runs",
            "Program:服务热线",
            [_ev(d1, 0, 1, s2, "扬州市总工会", "服务热线", "program", 0.7, "开通", b2)],
        ),
        Relation(
            "Program:服务热线",
            "serves",
            "WorkerGroup:外卖骑手",
            [_ev(d1, 0, 1, s2, "服务热线", "外卖骑手", "serves", 0.75, None, b2)],
        ),
        Relation(
            "UnionBody:中华全国总工会",
            "participatesIn",
            "Program:一函两书",
            [_ev(d1, 1, 0, s3, "中华全国总工会", "一函两书", "program", 0.6, "参与", b3)],
        ),
    ]
    ments1 = [
        Mention("UnionBody:江苏省总工会", b1, b1 + 4, text1[b1 : b1 + 4], 0, 0),
        Mention(
            "PartnerAgency:江苏省人民检察院",
            b1 + 5,
            b1 + 9,
            text1[b1 + 5 : b1 + 9],
            0,
            0,
            implicit=True,
        ),
        Mention("UnionBody:中华全国总工会", b3, b3 + 7, text1[b3 : b3 + 7], 1, 0),
    ]
    arts1 = [
        Article(d1, 0, 0, b3 - 6, "江苏工会动态", date="2025-05-20"),
        Article(d1, 1, b3 - 5, len(text1), "全总要闻"),
    ]
    doc1 = Document(d1, "seeds/" + d1, text1, date="2025-05-20")

    d2 = "gddoc.jsonl#7"
    s4 = "广东省总工会联合省人社厅为快递员开展“暖心驿站”建设，江苏省总工会派员参加。"
    text2 = s4
    ents2 = {
        e.key: e
        for e in [
            _ent(
                "UnionBody",
                "广东省总工会",
                kind="provincial",
                level="provincial",
                region_code="440000",
                region_name="广东省",
            ),
            _ent(
                "PartnerAgency",
                "广东省人力资源和社会保障厅",
                aliases={"广东省人社厅"},
                implicit=True,
                kind="hrss",
                level="provincial",
                region_code="440000",
            ),
            _ent("Program", "暖心驿站"),
            _ent("WorkerGroup", "快递员", aliases={"快递小哥"}),
            _ent(
                "UnionBody",
                "江苏省总工会",
                kind="provincial",
                level="provincial",
                region_code="320000",
                region_name="江苏省",
            ),
        ]
    }
    rels2 = [
        Relation(
            "UnionBody:广东省总工会",
            "cooperatesWith",
            "PartnerAgency:广东省人力资源和社会保障厅",
            [_ev(d2, 0, 0, s4, "广东省总工会", "省人社厅", "cooperation", 0.9, "联合")],
        ),
        Relation(
            "UnionBody:广东省总工会",
            "runs",
            "Program:暖心驿站",
            [_ev(d2, 0, 0, s4, "广东省总工会", "暖心驿站", "program", 0.8, "开展")],
        ),
        Relation(
            "Program:暖心驿站",
            "serves",
            "WorkerGroup:快递员",
            [_ev(d2, 0, 0, s4, "暖心驿站", "快递员", "serves", 0.8)],
        ),
        Relation(
            "UnionBody:江苏省总工会",
            "participatesIn",
            "Program:暖心驿站",
            [_ev(d2, 0, 0, s4, "江苏省总工会", "暖心驿站", "program", 0.5, "参加")],
        ),
    ]
    doc2 = Document(
        d2,
        "data/gddoc.jsonl",
        text2,
        title="广东暖心驿站",
        date="2024-12-01",
        url="https://example.org/news/7",
    )
    arts2 = [Article(d2, 0, 0, len(text2), "")]
    return [
        DocResult(doc1, arts1, ents1, ments1, rels1),
        DocResult(doc2, arts2, ents2, [], rels2),
    ]


def test_fixture_offsets_are_consistent() -> None:
    for res in make_results():
        for rel in res.relations:
            for ev in rel.evidence:
                assert res.doc.text[ev.sentence_start : ev.sentence_end] == ev.text
                assert ev.sentence_start <= ev.s_start < ev.s_end <= ev.sentence_end
                assert ev.sentence_start <= ev.o_start < ev.o_end <= ev.sentence_end
        for m in res.mentions:
            assert res.doc.text[m.start : m.end] == m.text
