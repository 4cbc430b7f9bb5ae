"""The shipped ontology as lookup tables (loaded lazily, once).

The classes for ``Entity.kind`` / ``Entity.level`` keys come from the
``kg:kindKey`` / ``kg:levelKey`` annotations of ``ontology/kg.ttl``; the base
class of each entity type from ``kg:entityType``.  Nothing here is a Python
literal list of kinds.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from kg.errors import DataError
from kg.rdf.iri import KG
from kg.resources import data_path, ontology_dir


def _parse(path: Path) -> Graph:
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many types for bad Turtle
        raise DataError(
            f"shipped ontology file {path} cannot be parsed: {exc}",
            hint="restore the file from the repository",
        ) from exc
    return g


@cache
def ontology_graph() -> Graph:
    """``ontology/kg.ttl`` as an rdflib graph."""
    return _parse(data_path("kg.ttl"))


@cache
def shapes_graph() -> Graph:
    """``ontology/shapes.ttl`` as an rdflib graph."""
    return _parse(data_path("shapes.ttl"))


@dataclass(frozen=True, slots=True)
class ClassMap:
    """Keys -> classes, read from the ontology."""

    base: dict[str, URIRef]  # Entity.type -> base class
    kind: dict[str, URIRef]  # kindKey -> class
    level: dict[str, URIRef]  # levelKey -> class
    ancestors: dict[URIRef, frozenset[URIRef]]  # class -> all superclasses (not itself)

    def classes_for(self, type_: str, kind: str | None, level: str | None) -> list[URIRef]:
        """The classes of an entity: its most specific class (if the keys give one) and its base.

        A kind or level key whose class is not below the type's base class is
        ignored (a ``court`` kind on a ``UnionBody`` would make a contradiction).
        """
        base = self.base.get(type_)
        if base is None:
            raise DataError(
                f"entity type {type_!r} has no class in ontology/kg.ttl",
                hint="add a kg:entityType annotation to its class",
            )
        out = [base]
        for table, key in ((self.kind, kind), (self.level, level)):
            cls = table.get(key) if key else None
            if cls is not None and base in self.ancestors.get(cls, frozenset()):
                out.insert(0, cls)
                break
        return out


@cache
def class_map() -> ClassMap:
    """Read the key annotations of ``ontology/kg.ttl``."""
    g = ontology_graph()
    base = {str(o): s for s, o in g.subject_objects(KG.entityType) if isinstance(s, URIRef)}
    kind = {str(o): s for s, o in g.subject_objects(KG.kindKey) if isinstance(s, URIRef)}
    level = {str(o): s for s, o in g.subject_objects(KG.levelKey) if isinstance(s, URIRef)}
    ancestors: dict[URIRef, frozenset[URIRef]] = {}
    for cls in {s for s in g.subjects(RDFS.subClassOf) if isinstance(s, URIRef)}:
        seen: set[URIRef] = set()
        todo = [cls]
        while todo:
            for sup in g.objects(todo.pop(), RDFS.subClassOf):
                if isinstance(sup, URIRef) and sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        ancestors[cls] = frozenset(seen)
    return ClassMap(base, kind, level, ancestors)


@dataclass(frozen=True, slots=True)
class Concept:
    """A SKOS concept of the worker-group vocabulary."""

    iri: URIRef
    scheme: URIRef | None


@cache
def worker_group_concepts() -> dict[str, Concept]:
    """Label (pref or alt, any language) -> concept, from ``ontology/worker_groups.ttl``.

    Empty when the vocabulary is not shipped.
    """
    path = ontology_dir() / "worker_groups.ttl"
    if not path.exists():
        return {}
    g = _parse(path)
    out: dict[str, Concept] = {}
    for prop in (SKOS.altLabel, SKOS.prefLabel):  # prefLabel wins
        for concept, label in g.subject_objects(prop):
            if isinstance(concept, URIRef) and isinstance(label, Literal):
                scheme = next(
                    (s for s in g.objects(concept, SKOS.inScheme) if isinstance(s, URIRef)), None
                )
                out[str(label)] = Concept(concept, scheme)
    return out
