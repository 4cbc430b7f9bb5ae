"""Fixtures shared by the CLI test modules."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.cli import main

ROOT = Path(__file__).resolve().parents[1]


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compiled modules that no longer match their sources would test the old code:
    stop before any test runs and say how to fix it (kg.native)."""
    from kg.native import status

    native = status()
    if not native.ok:
        pytest.exit(f"union-kg: {native.describe()}", returncode=4)


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of the seeds (one per test module: tests may not change it)."""
    out = tmp_path_factory.mktemp("seed-build") / "out"
    assert main(["build", str(ROOT / "seeds"), "--out", str(out), "--quiet"]) == 0
    return out
