"""Calibrated confidence: the shipped table, its parser, the stage and the script."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from kg.errors import DataError
from kg.extract import extract_document
from kg.extract.calibration import (
    COLUMNS,
    MIN_SAMPLES,
    PRIOR_WEIGHT,
    CalibrationTable,
    Cell,
    calibrate,
    load_calibration,
    parse_table,
)
from kg.model import Article, DocResult, Document, Entity, Evidence, Mention, Relation
from kg.resources import data_path
from kg.text import iter_documents, split_articles

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
HEADER = "\t".join(COLUMNS)


def _table(*rows: str) -> CalibrationTable:
    return parse_table([HEADER, *rows], "test.tsv")


# --- the shipped table -------------------------------------------------------------


def test_shipped_table_parses_and_values_are_probabilities() -> None:
    path = data_path("lexicon", "calibration.tsv")
    lines = path.read_text("utf-8").splitlines()
    table = parse_table(lines, str(path))
    assert len(table) > 0
    for key, cell in table.cells.items():
        assert 0 <= cell.correct <= cell.n, key
        assert 0.0 <= cell.precision <= 1.0, key
        for prior in (0.0, 0.5, 1.0):
            assert 0.0 <= cell.confidence(prior) <= 1.0, key
    rows = [ln for ln in lines if ln and not ln.startswith("#")]
    for row in rows[1:]:
        assert 0.0 <= float(row.split("\t")[-1]) <= 1.0, row
    # written sorted (deterministic), with a header comment saying how it was made
    keys = [tuple(r.split("\t")[:4]) for r in rows[1:]]
    assert keys == sorted(keys)
    assert "python scripts/calibrate.py" in lines[0] + "\n".join(lines[:8])
    # both units are measured, with back-off rows
    units = {k[0] for k in table.cells}
    assert units == {"mention", "evidence"}
    assert any(k[3] == "*" for k in table.cells)


def test_loading_is_lazy_and_cached() -> None:
    code = (
        "import kg, kg.extract, kg.extract.calibration as c\n"
        "assert c.load_calibration.cache_info().currsize == 0\n"
        "t = c.load_calibration(); assert c.load_calibration() is t\n"
    )
    proc = subprocess.run(
        [sys.executable, "-Werror", "-c", code], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr


# --- the parser --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("mention\tProgram\tprogram.head\t*\t10\t5", "7 non-empty"),
        ("entity\tProgram\tprogram.head\t*\t10\t5\t0.5", "not mention or evidence"),
        ("mention\tProgram\tprogram.head\t*\tten\t5\t0.5", "not a whole number"),
        ("mention\tProgram\tprogram.head\t*\t-1\t0\t0", "negative"),
        ("mention\tProgram\tprogram.head\t*\t4\t5\t1.25", "more than n"),
        ("mention\tProgram\tprogram.head\t*\t10\t5\tx", "not a number"),
        ("mention\tProgram\tprogram.head\t*\t10\t5\t1.5", r"outside \[0, 1\]"),
        ("mention\tProgram\tprogram.head\t*\t10\t5\t0.6", "not correct/n"),
    ],
)
def test_broken_rows_are_data_errors_naming_the_line(row: str, message: str) -> None:
    with pytest.raises(DataError, match=message) as info:
        parse_table(["# made by hand", HEADER, row], "cal.tsv")
    assert "cal.tsv:3" in str(info.value)
    assert "scripts/calibrate.py" in str(info.value)  # how to fix it


def test_bad_header_and_repeated_key() -> None:
    with pytest.raises(DataError, match="expected the header"):
        parse_table(["unit\tlabel\tn"], "cal.tsv")
    with pytest.raises(DataError, match="no header"):
        parse_table(["# only a comment"], "cal.tsv")
    row = "evidence\truns\truns\t开展\t10\t7\t0.7000"
    with pytest.raises(DataError, match="appears twice"):
        _table(row, row)


# --- lookup, back-off and smoothing ------------------------------------------------


def test_smoothing_back_off_and_fallback() -> None:
    t = _table(
        "mention\tProgram\tprogram.head\t*\t20\t10\t0.5000",
        "mention\tProgram\tprogram.head\thead\t4\t4\t1.0000",  # too few: the '*' row is used
        "mention\tUnionBody\torg.region\tfederation\t10\t10\t1.0000",
        "evidence\truns\truns\t开展\t30\t21\t0.7000",
        "evidence\truns\truns\t*\t3\t0\t0.0000",  # too few: unchanged
    )
    assert MIN_SAMPLES == 5 and PRIOR_WEIGHT == 2.0
    # (correct + W c) / (n + W)
    assert t.mention_confidence("Program", "program.head", "head", 0.7) == round(11.4 / 22, 3)
    assert t.mention_confidence("UnionBody", "org.region", "federation", 0.9) == round(11.8 / 12, 3)
    assert t.mention_confidence("UnionBody", "org.region", "enterprise", 0.9) == 0.9  # unseen
    assert t.mention_confidence("UnionBody", "org.new", None, 0.42) == 0.42
    assert t.evidence_confidence("runs", "runs", "开展", 0.85) == round((21 + 1.7) / 32, 3)
    assert t.evidence_confidence("runs", "runs", "打造", 0.85) == 0.85  # '*' has 3 < 5
    assert t.evidence_confidence("serves", "serves", None, 0.6) == 0.6
    # a key measured at 100 % stays below 1 when the recogniser's own value is
    assert Cell(50, 50).confidence(0.8) < 1.0
    assert Cell(50, 0).confidence(0.0) == 0.0


def _result() -> DocResult:
    text = "甲市总工会与甲市人民检察院联合开展一函两书。"
    doc = Document("d.txt", "d.txt", text)
    art = Article("d.txt", 0, 0, len(text), "")
    u = Entity("UnionBody", "甲市总工会", kind="federation")
    p = Entity("PartnerAgency", "甲市人民检察院", kind="procuratorate")
    g = Entity("Program", "一函两书", kind="quoted")
    mentions = [
        Mention(u.key, 0, 5, "甲市总工会", 0, 0, confidence=0.95, recogniser="org.region"),
        Mention(p.key, 6, 13, "甲市人民检察院", 0, 0, confidence=0.95, recogniser="org.region"),
        Mention(g.key, 17, 21, "一函两书", 0, 0, confidence=0.5, recogniser="program.new"),
    ]

    def ev(extractor: str, trigger: str | None, conf: float) -> Evidence:
        return Evidence("d.txt", 0, 0, 0, len(text), text, 0, 5, 6, 13, extractor, conf, trigger)

    rels = [
        Relation(u.key, "cooperatesWith", p.key, [ev("cooperation", "联合", 0.85)]),
        Relation(u.key, "runs", g.key, [ev("runs", "开展", 0.85), ev("runs", "打造", 0.7)]),
    ]
    ents = {e.key: e for e in (u, p, g)}
    return DocResult(doc, [art], ents, mentions, rels)


def test_calibrate_changes_confidences_only() -> None:
    t = _table(
        "mention\tUnionBody\torg.region\t*\t10\t10\t1.0000",
        "mention\tPartnerAgency\torg.region\tprocuratorate\t8\t4\t0.5000",
        "evidence\tcooperatesWith\tcooperation\t*\t18\t18\t1.0000",
        "evidence\truns\truns\t开展\t8\t2\t0.2500",
        "evidence\truns\truns\t打造\t8\t8\t1.0000",
    )
    raw = _result()
    before = [(m.entity, m.start, m.end, m.recogniser) for m in raw.mentions]
    triples = [(r.s, r.p, r.o) for r in raw.relations]
    cal = calibrate(raw, t)
    assert cal is raw  # in place
    assert [m.confidence for m in cal.mentions] == [
        round(11.9 / 12, 3),
        round(5.9 / 10, 3),
        0.5,  # a recogniser the table has not seen keeps its confidence
    ]
    assert [(m.entity, m.start, m.end, m.recogniser) for m in cal.mentions] == before
    assert [(r.s, r.p, r.o) for r in cal.relations] == triples
    coop, runs = cal.relations
    assert coop.confidence == round(19.7 / 20, 3)
    # each piece of evidence by its own cue; the relation takes the best
    assert [e.confidence for e in runs.evidence] == [round(3.7 / 10, 3), round(9.4 / 10, 3)]
    assert runs.confidence == round(9.4 / 10, 3)
    empty = _result()
    assert [m.confidence for m in calibrate(empty, CalibrationTable({})).mentions] == [
        0.95,
        0.95,
        0.5,
    ]


def test_an_object_reached_twice_is_calibrated_once() -> None:
    t = _table("evidence\truns\truns\t开展\t8\t2\t0.2500")
    r = _result()
    shared = r.relations[1].evidence[0]
    r.relations.append(Relation(r.relations[1].s, "runs", "Program:别的", [shared]))
    r.mentions.append(r.mentions[0])
    calibrate(r, t)
    assert shared.confidence == round(3.7 / 10, 3)  # not smoothed a second time


def test_extract_document_applies_the_shipped_table_once() -> None:
    docs = list(iter_documents([SEEDS]))[:2]
    table = load_calibration()
    changed = 0
    for doc in docs:
        arts = split_articles(doc)
        raw = extract_document(doc, arts, calibrated=False)
        cal = extract_document(doc, arts)
        assert sorted(cal.entities) == sorted(raw.entities)
        assert [(r.s, r.p, r.o) for r in cal.relations] == [(r.s, r.p, r.o) for r in raw.relations]
        raw_conf = [m.confidence for m in raw.mentions]
        changed += sum(m.confidence != c for m, c in zip(cal.mentions, raw_conf, strict=True))
        expected = calibrate(raw, table)
        assert [m.confidence for m in cal.mentions] == [m.confidence for m in expected.mentions]
        assert [r.confidence for r in cal.relations] == [r.confidence for r in expected.relations]
        for m in cal.mentions:
            assert 0.0 <= m.confidence <= 1.0
    assert changed > 0


# --- the script --------------------------------------------------------------------


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("calibrate_script", ROOT / "scripts/calibrate.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


def test_script_counts_with_the_scorer_and_writes_a_parseable_sorted_table(
    tmp_path: Path,
) -> None:
    gold = ROOT.parent / "shared" / "gold" / "seeds.jsonl"
    if not gold.exists():
        pytest.skip("the seed gold (../shared/gold/seeds.jsonl) is not beside the repository")
    cs = _script()
    ds = cs.DevSet("seeds", SEEDS, gold)
    ds.load()
    report = ds.report(None)
    counts: dict[tuple[str, str, str, str], list[int]] = {}
    cs.count(report, counts)
    # each scored prediction counts once in the '*' row of each of its sources
    ent_any = sum(n for k, (n, _) in counts.items() if k[0] == "mention" and k[3] == "*")
    assert ent_any >= len(report.scored_entities)
    tp = sum(s.correct for s in report.scored_entities)
    assert tp == report.entities["all"].tp
    eces = cs.ece_rows([ds], {"seeds": counts}, ["seeds"])
    text = cs.render([ds], ["seeds"], counts, eces)
    assert text == cs.render([ds], ["seeds"], counts, eces)  # deterministic
    assert "--fit seeds" in text  # the header says how to remake it
    table = parse_table(text.splitlines(), "seeds-only.tsv")
    assert {k: (c.n, c.correct) for k, c in table.cells.items()} == {
        k: tuple(v) for k, v in counts.items()
    }
    # calibrating the seeds with their own table does not make them worse calibrated
    (row,) = eces
    assert row[0] == "seeds" and row[5] == "-"  # no other set to hold out with
    assert float(row[4]) <= float(row[3])
    # a missing set of texts is a clear stop, not a crash deep inside
    with pytest.raises(SystemExit, match="fetch them"):
        cs.DevSet("web", tmp_path / "absent", gold).load()


WEB = Path("/tmp/web-texts")


@pytest.mark.slow
def test_script_check_mode_runs_on_all_sets(tmp_path: Path) -> None:
    if not (WEB.is_dir() and Path("/tmp/web2-texts").is_dir()):
        pytest.skip("the web development texts are not in /tmp (test input, not shipped)")
    if not (ROOT.parent / "shared" / "gold" / "web2" / "gold.jsonl").is_file():
        pytest.skip("the gold files (../shared/gold/) are not beside the repository")
    out = tmp_path / "cal.tsv"
    cs = _script()
    assert cs.main(["--out", str(out)]) == 0
    first = out.read_bytes()
    assert cs.main(["--out", str(out), "--check"]) == 0
    assert out.read_bytes() == first
    parse_table(first.decode("utf-8").splitlines(), str(out))


def test_module_doctests() -> None:
    import doctest

    import kg.extract.calibration

    assert doctest.testmod(kg.extract.calibration).failed == 0
