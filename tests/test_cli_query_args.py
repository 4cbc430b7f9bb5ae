"""kg query: options may stand between the build directory and the query (issue 18 row 13)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "order",
    [
        ["{dir}", "--format", "csv", "partners", "--param", "body=江苏省总工会"],
        ["--format", "csv", "{dir}", "partners", "--param", "body=江苏省总工会"],
        ["{dir}", "partners", "--format", "csv", "--param", "body=江苏省总工会"],
        ["{dir}", "--param", "body=江苏省总工会", "partners", "--format", "csv"],
    ],
)
def test_options_anywhere(
    seed_out: Path, order: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["query", *[a.format(dir=seed_out) for a in order]]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("body,partner")
    assert "江苏省人力资源和社会保障厅" in out


def test_a_word_left_over_is_still_a_usage_error(seed_out: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["query", str(seed_out), "partners", "--format", "csv", "surplus"])
    assert info.value.code == 2
