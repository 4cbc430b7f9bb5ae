"""Fixtures shared by the CLI test modules."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of the seeds (one per test module: tests may not change it)."""
    out = tmp_path_factory.mktemp("seed-build") / "out"
    assert main(["build", str(ROOT / "seeds"), "--out", str(out), "--quiet"]) == 0
    return out
