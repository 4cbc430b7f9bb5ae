"""The SKOS vocabulary of worker groups (``ontology/worker_groups.ttl``).

Each ``skos:Concept`` has one ``skos:prefLabel`` in Chinese (the canonical name),
``skos:altLabel`` s (other surface forms) and an English label.  The file is
parsed with rdflib on first use and cached.

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
    import rdflib

    from kg.resources import data_path

    path = data_path("worker_groups.ttl")
    graph = rdflib.Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many kinds of parse error
        raise DataError(
            f"cannot parse {path}: {exc}", hint="fix the Turtle syntax of the vocabulary"
        ) from exc
    pref = rdflib.URIRef(SKOS + "prefLabel")
    alt = rdflib.URIRef(SKOS + "altLabel")
    concept = rdflib.URIRef(SKOS + "Concept")
    groups: list[WorkerGroup] = []
    by_surface: dict[str, WorkerGroup] = {}
    for node in sorted(graph.subjects(rdflib.RDF.type, concept), key=str):
        zh = [str(o) for o in graph.objects(node, pref) if getattr(o, "language", None) == "zh"]
        en = [str(o) for o in graph.objects(node, pref) if getattr(o, "language", None) == "en"]
        if len(zh) != 1:
            raise DataError(
                f"{path}: concept {node} has {len(zh)} Chinese prefLabels",
                hint='give every concept exactly one skos:prefLabel "…"@zh',
            )
        alts = sorted(
            str(o) for o in graph.objects(node, alt) if getattr(o, "language", None) == "zh"
        )
        group = WorkerGroup(str(node), zh[0], en[0] if en else "", tuple(alts))
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
