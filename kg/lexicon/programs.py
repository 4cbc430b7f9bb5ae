"""Program cue words (``ontology/lexicon/program_cues.tsv``), read once on first use.

>>> cues = program_cues()
>>> "驿站" in cues.heads, "制度" in cues.generic, "小程序" in cues.carriers
(True, True, True)
>>> "开展" in cues.verbs
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kg.errors import DataError
from kg.lexicon.tables import read_tsv

__all__ = ["ProgramCues", "program_cues"]

KINDS = (
    "head",
    "generic",
    "carrier",
    "verb",
    "strong",
    "unquoted_excluded",
    "generic_modifier",
    "place",
    "outcome_verb",
    "metaphor",
    "list_head",
    "document",
    "speech_verb",
    "demonstrative",
    "event_verb",
    "weak_verb",
    "quality",
    "stage",
    "edition",
)


@dataclass(frozen=True, slots=True)
class ProgramCues:
    """The classes of program cue word (see the header of ``program_cues.tsv``)."""

    heads: frozenset[str]
    generic: frozenset[str]
    carriers: frozenset[str]
    verbs: frozenset[str]
    strong: frozenset[str] = frozenset()
    unquoted_excluded: frozenset[str] = frozenset()
    generic_modifiers: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    outcome_verbs: frozenset[str] = frozenset()
    metaphors: frozenset[str] = frozenset()
    list_heads: frozenset[str] = frozenset()
    documents: frozenset[str] = frozenset()
    speech_verbs: frozenset[str] = frozenset()
    demonstratives: frozenset[str] = frozenset()
    event_verbs: frozenset[str] = frozenset()
    weak_verbs: frozenset[str] = frozenset()
    qualities: frozenset[str] = frozenset()
    stages: frozenset[str] = frozenset()
    editions: frozenset[str] = frozenset()
    #: Every word that can end a program name (heads, generic heads, carriers): made
    #: once by :func:`program_cues` (the recognisers test it per quote and per head).
    all_heads: frozenset[str] = frozenset()
    #: Strong heads and carriers together (a service number's head).
    strong_or_carriers: frozenset[str] = frozenset()


@cache
def program_cues() -> ProgramCues:
    """The shipped program cue words."""
    from kg.resources import data_path

    path = data_path("lexicon", "program_cues.tsv")
    by_kind: dict[str, set[str]] = {k: set() for k in KINDS}
    for row in read_tsv(path, ("kind", "word")):
        if row["kind"] not in by_kind:
            raise DataError(
                f"{path}: unknown cue kind {row['kind']!r}",
                hint=f"use one of {', '.join(KINDS)}",
            )
        by_kind[row["kind"]].add(row["word"])
    return ProgramCues(
        frozenset(by_kind["head"]),
        frozenset(by_kind["generic"]),
        frozenset(by_kind["carrier"]),
        frozenset(by_kind["verb"]),
        frozenset(by_kind["strong"]),
        frozenset(by_kind["unquoted_excluded"]),
        frozenset(by_kind["generic_modifier"]),
        frozenset(by_kind["place"]),
        frozenset(by_kind["outcome_verb"]),
        frozenset(by_kind["metaphor"]),
        frozenset(by_kind["list_head"]),
        frozenset(by_kind["document"]),
        frozenset(by_kind["speech_verb"]),
        frozenset(by_kind["demonstrative"]),
        frozenset(by_kind["event_verb"]),
        frozenset(by_kind["weak_verb"]),
        frozenset(by_kind["quality"]),
        frozenset(by_kind["stage"]),
        frozenset(by_kind["edition"]),
        frozenset(by_kind["head"] | by_kind["generic"] | by_kind["carrier"]),
        frozenset(by_kind["strong"] | by_kind["carrier"]),
    )
