"""Named queries, ad-hoc SPARQL, parameter binding and errors, on the fixture build."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from test_rdf_fixture import make_results

from kg.errors import InputError, QueryError
from kg.rdf.build import to_dataset, write_graphs
from kg.rdf.query import list_named, run, select
from kg.rdf.reason import reason
from kg.rdf.store import open_build

NAMES = {
    "about",
    "evidence",
    "groups_by_province",
    "money_for_groups",
    "partners",
    "procuratorate_cooperation",
    "program_reach",
    "programs_for_group",
    "union_hierarchy",
}


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("qbuild")
    write_graphs(to_dataset(make_results()), out)
    return out


def _rows(build: Path, name: str, **params: str) -> list[dict[str, str]]:
    return select(build, name, params)


def test_named_queries_have_headers() -> None:
    named = {q.name: q for q in list_named()}
    assert set(named) == NAMES
    for q in named.values():
        assert q.title and q.title != q.name
        assert q.description
        for p in q.params:
            assert p in q.defaults, f"{q.name}: parameter {p} has no default"
            assert q.help[p]


def test_partners(build: Path) -> None:
    rows = _rows(build, "partners", body="江苏省总工会")
    assert [(r["partnerName"], r["sentences"]) for r in rows] == [("江苏省人民检察院", "1")]
    # by alias, and in the other direction (cooperatesWith is symmetric)
    assert _rows(build, "partners", body="江苏省总")[0]["partnerName"] == "江苏省人民检察院"
    rows = _rows(build, "partners", body="江苏省人民检察院")
    assert [r["partnerName"] for r in rows] == ["江苏省总工会"]


def test_procuratorate_cooperation(build: Path) -> None:
    rows = _rows(build, "procuratorate_cooperation")
    assert [(r["unionName"], r["procuratorateName"]) for r in rows] == [
        ("江苏省总工会", "江苏省人民检察院"),
        ("高邮市总工会", "高邮市人民检察院"),
    ]


def test_programs_for_group(build: Path) -> None:
    rows = _rows(build, "programs_for_group", group="外卖骑手")
    assert [(r["programName"], r["runBy"]) for r in rows] == [("服务热线", "扬州市总工会")]
    rows = _rows(build, "programs_for_group", group="快递小哥")  # alias
    assert [(r["programName"], r["runBy"]) for r in rows] == [("暖心驿站", "广东省总工会")]
    assert _rows(build, "programs_for_group", group="不存在的群体") == []


def test_groups_by_province(build: Path) -> None:
    rows = _rows(build, "groups_by_province")
    got = {r["provinceName"]: (r["groups"], set(r["groupNames"].split("、"))) for r in rows}
    # 江苏省总工会 takes part in 暖心驿站 (serves 快递员); 扬州 runs 服务热线 (serves 外卖骑手)
    assert got == {"江苏省": ("2", {"外卖骑手", "快递员"}), "广东省": ("1", {"快递员"})}


def test_evidence(build: Path) -> None:
    rows = _rows(build, "evidence")  # defaults: 江苏省总工会 cooperatesWith 江苏省人民检察院
    assert len(rows) == 1
    row = rows[0]
    assert row["sentence"] == "省总工会与省检察院签订协作意见，联合开展“一函两书”工作。"
    assert row["extractor"] == "cooperation"
    assert row["confidence"] == "0.9"
    assert row["headline"] == "江苏工会动态"
    assert row["date"] == "2025-05-20"
    assert row["file"] == "seeds/jsdoc.txt"
    assert row["trigger"] == "签订"
    # either direction for the symmetric predicate, not for others
    rev = _rows(build, "evidence", s="江苏省人民检察院", o="江苏省总工会")
    assert [r["sentence"] for r in rev] == [row["sentence"]]
    assert _rows(build, "evidence", s="一函两书", p="runs", o="江苏省总工会") == []
    runs = _rows(build, "evidence", s="江苏省总工会", p="runs", o="一函两书")
    assert [r["trigger"] for r in runs] == ["开展"]


def test_union_hierarchy_with_and_without_reasoning(build: Path, tmp_path: Path) -> None:
    expected = [
        ("广东省总工会", "中华全国总工会"),
        ("江苏省总工会", "中华全国总工会"),
        ("高邮市总工会", "扬州市总工会"),
        ("扬州市总工会", "江苏省总工会"),
    ]
    rows = _rows(build, "union_hierarchy")
    assert [(r["childName"], r["parentName"]) for r in rows] == expected
    other = tmp_path / "reasoned"
    write_graphs(to_dataset(make_results()), other)
    reason(other)
    assert open_build(other).has_inferred
    rows = _rows(other, "union_hierarchy")
    assert [(r["childName"], r["parentName"]) for r in rows] == expected


def test_about(build: Path) -> None:
    rows = _rows(build, "about", body="高邮市总工会")
    facts = {
        (r["direction"], r["property"].rsplit("#", 1)[-1], r.get("valueLabel", r["value"]))
        for r in rows
    }
    assert ("out", "cooperatesWith", "高邮市人民检察院") in facts
    assert ("out", "region", "高邮市") in facts
    assert ("out", "level", "county") in facts
    assert all(r["articles"] == "1" for r in rows)


def test_formats(build: Path) -> None:
    table = run(build, "partners", {}, "table")
    assert table.splitlines()[0].split()[:3] == ["body", "partner", "partnerName"]
    assert table.rstrip().endswith("(1 row)")
    data = json.loads(run(build, "partners", {}, "json"))
    assert data["head"]["vars"][:2] == ["body", "partner"]
    binding = data["results"]["bindings"][0]
    assert binding["partnerName"] == {
        "type": "literal",
        "value": "江苏省人民检察院",
        "xml:lang": "zh",
    }
    rows = list(csv.reader(io.StringIO(run(build, "partners", {}, "csv"))))
    assert rows[0][:2] == ["body", "partner"]
    assert rows[1][2] == "江苏省人民检察院"


def test_engines_agree(build: Path) -> None:
    for q in list_named():
        ox = run(build, q.name, {}, "csv")
        rl = run(build, q.name, {}, "csv", engine="rdflib")
        assert sorted(ox.splitlines()) == sorted(rl.splitlines()), q.name


def test_adhoc_sparql_and_file(build: Path, tmp_path: Path) -> None:
    out = run(build, "ASK { ?x a kg:Procuratorate }", {}, "table")
    assert out == "true\n"
    f = tmp_path / "q.rq"
    f.write_text(
        "# title: regions\nSELECT ?code WHERE { ?r kg:adminCode ?code } ORDER BY ?code\n",
        encoding="utf-8",
    )
    rows = select(build, str(f))
    assert [r["code"] for r in rows] == ["320000", "321000", "321084", "440000"]
    # an ad-hoc parameter is bound as a plain literal
    rows = select(build, "SELECT ?code ?r WHERE { ?r kg:adminCode ?code }", {"code": "440000"})
    assert [r["r"] for r in rows] == ["https://w3id.org/union-kg/id/region/440000"]
    # a declared parameter gets its type: here a @zh label
    text = "# param: name (label)\nSELECT ?name ?r WHERE { ?r rdfs:label ?name }"
    rows = select(build, text, {"name": "高邮市"})
    assert [r["r"] for r in rows] == ["https://w3id.org/union-kg/id/region/321084"]
    assert select(build, text.replace("(label)", "(string)"), {"name": "高邮市"}) == []


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("SELECT * WHERE { ?s ?p }", 1, 25),
        ("SELECT ?s\nWHERE {\n  ?s ?p ?o .\n  FILTER(?s = }", 4, 16),
        ("# header\nSELECT * WHERE { ?s nope:p ?o }", 2, None),
    ],
)
def test_malformed_sparql_has_line_and_column(
    build: Path, text: str, line: int, column: int | None
) -> None:
    with pytest.raises(QueryError) as err:
        run(build, text, {}, "table")
    assert err.value.line == line
    assert err.value.column is not None
    if column is not None:
        assert err.value.column == column
    assert f"line {line}" in str(err.value)
    assert "near" in str(err.value)
    assert err.value.exit_code == 4


def test_malformed_sparql_rdflib_engine(build: Path) -> None:
    with pytest.raises(QueryError) as err:
        run(build, "SELECT * WHERE {\n ?s ?p }", {}, "table", engine="rdflib")
    assert err.value.line is not None


@pytest.mark.parametrize(
    "evil",
    [
        '江苏省总工会"@zh } ?x ?y ?z { "',
        '" } UNION { ?b ?p ?o } #',
        "x'} ; DROP ALL ; {'",
        '}}}{{{\\"',
        '江苏省总工会" . ?b rdfs:label ?any . #',
    ],
)
def test_parameter_values_cannot_change_the_query(build: Path, evil: str) -> None:
    # the value is bound as one literal: nothing matches it, so no rows, no error
    assert _rows(build, "partners", body=evil) == []
    assert _rows(build, "evidence", s=evil, o=evil) == []


def test_bad_parameters(build: Path) -> None:
    with pytest.raises(QueryError, match="no parameter nope"):
        run(build, "partners", {"nope": "x"}, "table")
    with pytest.raises(QueryError, match="not a kg: term"):
        run(build, "evidence", {"p": "runs> . ?x ?y <z"}, "table")
    with pytest.raises(QueryError, match="unknown named query"):
        run(build, "no_such_query", {}, "table")
    with pytest.raises(QueryError, match="unknown output format"):
        run(build, "partners", {}, "xml")
    with pytest.raises(QueryError, match="does not exist"):
        run(build, "missing/file.rq", {}, "table")


def test_missing_build_dir(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="kg build"):
        open_build(tmp_path / "nope")
    with pytest.raises(InputError, match=r"graph\.trig is missing"):
        open_build(tmp_path)
    with pytest.raises(InputError):
        run(tmp_path, "partners", {}, "table")
    (tmp_path / "graph.trig").write_text("this is not { trig", encoding="utf-8")
    with pytest.raises(InputError, match="not valid TriG"):
        open_build(tmp_path)


def test_rdflib_dataset_view(build: Path) -> None:
    ds = open_build(build).rdflib_dataset()
    assert len(list(ds.quads((None, None, None, None)))) > 100
