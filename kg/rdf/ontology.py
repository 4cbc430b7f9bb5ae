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
    kind: dict[str, URIRef]  # kindKey (and keyAlias) -> class
    level: dict[str, URIRef]  # levelKey (and keyAlias) -> class
    level_names: dict[str, str]  # any accepted level spelling -> canonical levelKey
    ancestors: dict[URIRef, frozenset[URIRef]]  # class -> all superclasses (not itself)

    def classes_for(self, type_: str, kind: str | None, level: str | None) -> list[URIRef]:
        """The classes of an entity: its most specific class (if the keys give one) and its base.

        Candidates come from the kind key and the level key; a candidate that is
        not below the type's base class is ignored (a ``county`` level on a court
        names no class of courts), and of two related candidates the more
        specific wins (kind ``federation`` + level ``province`` -> ProvincialUnion).

        >>> m = class_map()
        >>> [c.rsplit("#")[-1] for c in m.classes_for("UnionBody", "federation", "province")]
        ['ProvincialUnion', 'UnionBody']
        >>> [c.rsplit("#")[-1] for c in m.classes_for("PartnerAgency", "court", "county")]
        ['Court', 'PartnerAgency']
        """
        base = self.base.get(type_)
        if base is None:
            raise DataError(
                f"entity type {type_!r} has no class in ontology/kg.ttl",
                hint="add a kg:entityType annotation to its class",
            )
        found: list[URIRef] = []
        for table, key in ((self.kind, kind), (self.level, level)):
            cls = table.get(key) if key else None
            if cls is not None and base in self.ancestors.get(cls, frozenset()):
                found.append(cls)
        if not found:
            return [base]
        best = found[0]
        for cls in found[1:]:
            if best in self.ancestors.get(cls, frozenset()):
                best = cls
        return [best, base]

    def level_name(self, level: str | None) -> str | None:
        """The canonical level key for ``level`` (``None`` when it is not one).

        >>> class_map().level_name("province"), class_map().level_name("galactic")
        ('provincial', None)
        """
        return self.level_names.get(level) if level else None


def _keys(g: Graph, prop: URIRef) -> dict[str, URIRef]:
    out: dict[str, URIRef] = {}
    for s, o in g.subject_objects(prop):
        if isinstance(s, URIRef):
            out[str(o)] = s
            for alias in g.objects(s, KG.keyAlias):
                out.setdefault(str(alias), s)
    return out


@cache
def class_map() -> ClassMap:
    """Read the key annotations of ``ontology/kg.ttl``."""
    g = ontology_graph()
    base = {str(o): s for s, o in g.subject_objects(KG.entityType) if isinstance(s, URIRef)}
    kind = _keys(g, KG.kindKey)
    level = _keys(g, KG.levelKey)
    canonical = {s: str(o) for s, o in g.subject_objects(KG.levelKey) if isinstance(s, URIRef)}
    level_names = {key: canonical[cls] for key, cls in level.items() if cls in canonical}
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
    return ClassMap(base, kind, level, level_names, ancestors)


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
