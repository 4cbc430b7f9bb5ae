"""Merging triples into relations keeps each evidence offset with its own end.

Regression: cooperatesWith is stored with its ends in sorted order, and the
evidence's subject/object offsets used to stay as read, so ``s_start`` could
point at the object's mention.
"""

from __future__ import annotations

from pathlib import Path

from kg.extract import merge_triples
from kg.model import Evidence, Triple
from kg.pipeline import extract_paths

ROOT = Path(__file__).resolve().parents[1]


def _ev(s: tuple[int, int], o: tuple[int, int]) -> Evidence:
    return Evidence("d", 0, 0, 0, 20, "甲与乙合作", s[0], s[1], o[0], o[1], "test", 0.9)


def test_swapped_symmetric_relation_swaps_its_offsets() -> None:
    b, a = "UnionBody:乙工会", "PartnerAgency:甲法院"  # a < b, so (b, a) is stored as (a, b)
    [rel] = merge_triples([Triple(b, "cooperatesWith", a, _ev((0, 3), (5, 8)))])
    assert (rel.s, rel.o) == (a, b)
    ev = rel.evidence[0]
    assert (ev.s_start, ev.s_end, ev.o_start, ev.o_end) == (5, 8, 0, 3)


def test_directed_relation_is_never_swapped() -> None:
    [rel] = merge_triples([Triple("UnionBody:乙", "runs", "Program:甲", _ev((0, 1), (2, 3)))])
    assert (rel.s, rel.o) == ("UnionBody:乙", "Program:甲")
    assert (rel.evidence[0].s_start, rel.evidence[0].o_start) == (0, 2)


def test_cooperation_evidence_points_at_mentions_of_its_own_ends() -> None:
    for res in extract_paths([ROOT / "seeds", ROOT / "tests" / "data" / "heldout"]):
        spans: dict[str, set[tuple[int, int]]] = {}
        for m in res.mentions:
            spans.setdefault(m.entity, set()).add((m.start, m.end))
        for rel in res.relations:
            if rel.p != "cooperatesWith":
                continue
            for ev in rel.evidence:
                assert (ev.s_start, ev.s_end) in spans[rel.s], (rel, ev)
                assert (ev.o_start, ev.o_end) in spans[rel.o], (rel, ev)
