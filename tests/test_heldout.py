"""Held-out pages (tests/data/heldout): facts from provinces and bodies the seeds never name.

A guard against rules tuned to the seed pages; see tests/data/heldout/README.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.eval import normalise_name
from kg.pipeline import extract_paths

HERE = Path(__file__).resolve().parent / "data" / "heldout"
EXPECTED: dict[str, dict[str, list[list[str]]]] = {
    k: v
    for k, v in json.loads((HERE / "expected.json").read_text(encoding="utf-8")).items()
    if not k.startswith("_")
}


@pytest.fixture(scope="module")
def found() -> dict[str, tuple[set[tuple[str, str]], set[tuple[str, str, str]]]]:
    out = {}
    for res in extract_paths([HERE]):
        names: dict[str, set[str]] = {}
        ents: set[tuple[str, str]] = set()
        for key, ent in res.entities.items():
            forms = {normalise_name(n) for n in {ent.name, *ent.aliases}}
            names[key] = forms
            ents.update((ent.type, f) for f in forms)
        rels: set[tuple[str, str, str]] = set()
        for rel in res.relations:
            for s in names.get(rel.s, set()):
                for o in names.get(rel.o, set()):
                    rels.add((s, rel.p, o))
                    if rel.p == "cooperatesWith":
                        rels.add((o, rel.p, s))
        out[res.doc.doc_id] = (ents, rels)
    return out


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_expected_entities_are_found(page: str, found: dict) -> None:
    ents, _ = found[page]
    missing = [(t, n) for t, n in EXPECTED[page]["entities"] if (t, normalise_name(n)) not in ents]
    assert not missing, missing


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_expected_relations_are_found(page: str, found: dict) -> None:
    _, rels = found[page]
    missing = [
        (s, p, o)
        for s, p, o in EXPECTED[page]["relations"]
        if (normalise_name(s), p, normalise_name(o)) not in rels
    ]
    assert not missing, missing


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_wrong_spans_are_not_entities(page: str, found: dict) -> None:
    ents, _ = found[page]
    names = {n for _, n in ents}
    wrong = [n for n in EXPECTED[page]["absent"] if normalise_name(n) in names]
    assert not wrong, wrong
