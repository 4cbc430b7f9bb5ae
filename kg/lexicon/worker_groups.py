"""The SKOS vocabulary of worker groups (``ontology/worker_groups.ttl``).

Each ``skos:Concept`` has one ``skos:prefLabel`` in Chinese (the canonical name),
``skos:altLabel`` s (other surface forms) and an English label.  The file is
parsed (with pyoxigraph) on first use and cached.

>>> vocab = worker_groups()
>>> vocab.canonical("外卖小哥"), vocab.canonical("快递小哥")
('外卖骑手', '快递员')
>>> vocab.canonical("职工") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kg.errors import DataError

__all__ = ["WorkerGroup", "WorkerGroupVocabulary", "worker_groups"]

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@dataclass(frozen=True, slots=True)
class WorkerGroup:
    """One concept of the vocabulary."""

    iri: str
    name: str  # the Chinese prefLabel
    english: str
    labels: tuple[str, ...]  # the Chinese altLabels


@dataclass(frozen=True, slots=True)
class WorkerGroupVocabulary:
    """Surface form -> concept."""

    groups: tuple[WorkerGroup, ...]
    by_surface: dict[str, WorkerGroup]

    def canonical(self, surface: str) -> str | None:
        """The canonical name of the group ``surface`` names, or ``None``."""
        g = self.by_surface.get(surface)
        return g.name if g is not None else None


@cache
def worker_groups() -> WorkerGroupVocabulary:
    """The shipped vocabulary."""
    import pyoxigraph  # (parses in Rust: a tenth of rdflib's import and parse time)

    from kg.resources import data_path

    path = data_path("worker_groups.ttl")
    try:
        triples = list(pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.TURTLE))
    except (SyntaxError, ValueError, OSError) as exc:
        raise DataError(
            f"cannot parse {path}: {exc}", hint="fix the Turtle syntax of the vocabulary"
        ) from exc
    rdf_type = RDF + "type"
    pref_labels: dict[str, list[tuple[str, str]]] = {}  # concept -> (language, label)
    alt_labels: dict[str, list[tuple[str, str]]] = {}
    concepts: set[str] = set()
    for t in triples:
        s, p, o = t.subject, t.predicate.value, t.object
        if not isinstance(s, pyoxigraph.NamedNode):
            continue
        if p == rdf_type and isinstance(o, pyoxigraph.NamedNode) and o.value == SKOS + "Concept":
            concepts.add(s.value)
        elif p in (SKOS + "prefLabel", SKOS + "altLabel") and isinstance(o, pyoxigraph.Literal):
            table = pref_labels if p == SKOS + "prefLabel" else alt_labels
            table.setdefault(s.value, []).append((o.language or "", o.value))
    groups: list[WorkerGroup] = []
    by_surface: dict[str, WorkerGroup] = {}
    for node in sorted(concepts):
        zh = [label for lang, label in pref_labels.get(node, []) if lang == "zh"]
        en = [label for lang, label in pref_labels.get(node, []) if lang == "en"]
        if len(zh) != 1:
            raise DataError(
                f"{path}: concept {node} has {len(zh)} Chinese prefLabels",
                hint='give every concept exactly one skos:prefLabel "…"@zh',
            )
        alts = sorted(label for lang, label in alt_labels.get(node, []) if lang == "zh")
        group = WorkerGroup(node, zh[0], en[0] if en else "", tuple(alts))
        groups.append(group)
        for surface in (group.name, *alts):
            other = by_surface.get(surface)
            if other is not None and other is not group:
                raise DataError(
                    f"{path}: label {surface!r} belongs to both {other.iri} and {group.iri}",
                    hint="a surface form may name only one worker group",
                )
            by_surface[surface] = group
    return WorkerGroupVocabulary(tuple(groups), by_surface)
