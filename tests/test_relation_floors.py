"""Relation floors on the development set (issue 3): strict F1 >= 0.60, relaxed >= 0.70.

Runs the whole extraction (``kg.pipeline.extract_paths``) over ``seeds/`` and scores
it against the shared hand annotation ``shared/gold/seeds.jsonl`` (skipped when
the shared folder is not beside the repository).  Entity floors are asserted in
``test_extract_entities_seeds.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.eval import EvalReport, evaluate
from kg.jsonl import write_extraction
from kg.pipeline import extract_paths

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "gold" / "seeds.jsonl"

pytestmark = pytest.mark.skipif(not GOLD.exists(), reason="shared gold file not available")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> EvalReport:
    out = tmp_path_factory.mktemp("floors") / "extraction.jsonl"
    write_extraction(extract_paths([ROOT / "seeds"]), out)
    return evaluate(out, GOLD)


def test_strict_relation_floor(report: EvalReport) -> None:
    score = report.relations["all"]
    assert score.f1 >= 0.60, f"strict relation F1 {score.f1:.3f} < 0.60"


def test_relaxed_relation_floor(report: EvalReport) -> None:
    score = report.relations_relaxed
    assert score.f1 >= 0.70, f"relaxed relation F1 {score.f1:.3f} < 0.70"


def test_full_pipeline_entity_floor(report: EvalReport) -> None:
    # the same floor as test_extract_entities_seeds, with the relation extractors on
    assert report.entities["all"].f1 >= 0.85
