"""The ``kg`` command line: help, exit codes, outputs, determinism, atomicity."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main
from kg.errors import EXIT_CODES

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
BUILD_FILES = ["graph.trig", "graph.ttl", "extraction.jsonl", "graph.graphml", "network.html"]
COMMANDS = [
    "build",
    "extract",
    "eval",
    "query",
    "reason",
    "validate",
    "stats",
    "viz",
    "export",
    "serve",
    "push",
]


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / "out"
    assert main(["build", str(SEEDS), "--out", str(out), "--quiet"]) == 0
    return out


def test_top_level_help_lists_every_command_and_exit_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for cmd in COMMANDS:
        assert cmd in out
    for code in EXIT_CODES:
        assert f"{code:>3}  " in out


@pytest.mark.parametrize("cmd", COMMANDS)
def test_every_command_has_help_with_an_example(
    cmd: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main([cmd, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "example:" in out and f"kg {cmd}" in out


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage:" in capsys.readouterr().out


def test_bad_option_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["build", "seeds", "--out", "x", "--workers", "zero"])
    assert exc.value.code == 2


def test_missing_input_is_one_line_and_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["build", str(tmp_path / "nope"), "--out", str(tmp_path / "out")])
    assert code == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kg: error:")
    assert "Traceback" not in err[0]
    assert not (tmp_path / "out").exists()


def test_build_writes_all_outputs(seed_build: Path) -> None:
    for name in BUILD_FILES:
        assert (seed_build / name).stat().st_size > 0, name


def test_build_prints_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEEDS / "004_dda077ff57b881a0.txt", src)
    assert main(["build", str(src), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    for word in ["documents  1", "articles", "entities", "relations", "seconds", "network.html"]:
        assert word in out


def test_rebuild_is_byte_identical(seed_build: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert main(["build", str(SEEDS), "--out", str(again), "--quiet"]) == 0
    for name in BUILD_FILES:
        assert filecmp.cmp(seed_build / name, again / name, shallow=False), name


def test_parallel_build_equals_serial_build(seed_build: Path, tmp_path: Path) -> None:
    par = tmp_path / "par"
    assert main(["build", str(SEEDS), "--out", str(par), "--quiet", "--workers", "2"]) == 0
    for name in BUILD_FILES:
        assert filecmp.cmp(seed_build / name, par / name, shallow=False), name


def test_interrupted_build_leaves_previous_output(
    seed_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    shutil.copytree(seed_build, out)
    before = _contents(out)

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    import kg.rdf.stream

    # (the build writes its graph files with GraphStream.finish)
    monkeypatch.setattr(kg.rdf.stream.GraphStream, "finish", interrupted)
    assert main(["build", str(SEEDS), "--out", str(out), "--quiet"]) == 130
    assert _contents(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def _contents(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (the store's too), by relative path."""
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_build_refuses_a_directory_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "notes"
    out.mkdir()
    (out / "mine.txt").write_text("keep me", encoding="utf-8")
    assert main(["build", str(SEEDS / "000_20dd1265d34bf7f5.txt"), "--out", str(out)]) == 5
    assert (out / "mine.txt").read_text(encoding="utf-8") == "keep me"


def test_strict_build_fails_on_a_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEEDS / "000_20dd1265d34bf7f5.txt", src)
    (src / "blank.txt").write_bytes(b"")
    assert main(["extract", str(src), "--out", str(tmp_path / "a.jsonl"), "--quiet"]) == 0
    assert "blank.txt" in capsys.readouterr().err
    assert main(["extract", str(src), "--out", str(tmp_path / "b.jsonl"), "--strict"]) == 3
    assert not (tmp_path / "b.jsonl").exists()


def test_extract_and_eval_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pred = tmp_path / "pred.jsonl"
    assert main(["extract", str(SEEDS), "--out", str(pred), "--quiet"]) == 0
    assert len(pred.read_text(encoding="utf-8").splitlines()) == 5
    gold = ROOT.parent / "shared" / "gold" / "seeds.jsonl"
    if not gold.exists():
        pytest.skip("shared gold set not beside the checkout")
    assert main(["eval", str(pred), "--gold", str(gold)]) == 0
    out = capsys.readouterr().out
    assert "UnionBody" in out and "cooperatesWith" in out


def test_eval_of_a_broken_file_is_a_data_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc": "x", "entities": [}\n', encoding="utf-8")
    assert main(["eval", str(bad), "--gold", str(bad)]) == 6


def test_malformed_sparql_is_a_query_error(
    seed_build: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["query", str(seed_build), "SELECT ?x WHERE { ?x ?p "]) == 4
    err = capsys.readouterr().err
    assert "line" in err and "column" in err


def test_unknown_named_query_is_a_query_error(seed_build: Path) -> None:
    assert main(["query", str(seed_build), "no-such-question"]) == 4


def test_query_needs_a_build_dir(tmp_path: Path) -> None:
    assert main(["query", str(tmp_path / "nowhere"), "SELECT * WHERE { ?s ?p ?o }"]) in (3, 5)


def test_validate_reason_stats_viz_on_the_seed_build(
    seed_build: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work = tmp_path / "b"
    shutil.copytree(seed_build, work)
    assert main(["validate", str(work)]) == 0
    assert main(["reason", str(work)]) == 0
    assert (work / "inferred.trig").stat().st_size > 0
    assert main(["stats", str(work), "--json"]) == 0
    assert (
        main(
            [
                "viz",
                str(work),
                "--focus",
                "江苏省总工会",
                "--hops",
                "2",
                "--out",
                str(tmp_path / "v.html"),
            ]
        )
        == 0
    )
    assert (tmp_path / "v.html").stat().st_size > 0
    assert main(["export", str(work), "--format", "gexf", "--out", str(tmp_path / "g.gexf")]) == 0


def test_console_script_runs() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "kg.cli", "--version"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0 and proc.stdout.startswith("kg ")
