"""SHACL validation of a build with the shapes of ``ontology/shapes.ttl``.

Core constraints run in pyshacl.  SHACL-SPARQL constraints (``sh:sparql`` with
``sh:select``) run on oxigraph instead, once per constraint over the whole
graph rather than once per focus node (pyshacl's rdflib engine took ~9 s for
one such constraint on the seed graph): ``$this`` becomes a variable, and the
rows whose ``?this`` is a target of the shape are the violations.

The shapes check the asserted graph (the union of ``graph.trig``'s graphs);
``inferred.trig`` holds closures (e.g. transitive ``kg:partOf``) that the
shapes do not describe, so it is not validated.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from kg.errors import DataError
from kg.rdf.iri import PREFIXES, SH
from kg.rdf.ontology import shapes_graph
from kg.rdf.store import INFERRED_GRAPH_IRI, check_build_dir, has_store


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL validation result."""

    focus: str
    path: str | None
    message: str
    severity: str  # Violation | Warning | Info
    shape: str | None = None
    value: str | None = None

    def format(self) -> str:
        """One line: severity, focus node, path, message (and the offending value)."""
        where = _short(self.focus) + (f" {_short(self.path)}" if self.path else "")
        value = f" (value {_short(self.value)})" if self.value else ""
        return f"{self.severity}: {where}: {self.message}{value}"


@dataclass
class ValidationReport:
    """The outcome of :func:`validate`; ``conforms`` ignores warnings."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0

    @property
    def errors(self) -> list[Violation]:
        """Results of severity Violation (warnings and infos left out)."""
        return [v for v in self.violations if v.severity == "Violation"]

    def format(self) -> str:
        """Human-readable text: a summary line, then one line per result."""
        n_err = len(self.errors)
        n_warn = len(self.violations) - n_err
        head = (
            f"{'conforms' if self.conforms else 'does not conform'}: "
            f"{n_err} violation(s), {n_warn} warning(s) in {self.triples} triples "
            f"({self.seconds:.2f}s)"
        )
        return "\n".join([head, *(v.format() for v in self.violations)])


def _short(text: str | None) -> str:
    if not text:
        return ""
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns):
            return f"{prefix}:{unquote(text[len(ns) :])}"
    return text


def _text(node: Node | None) -> str | None:
    return None if node is None else str(node)


def _split_sparql(shapes: Graph) -> tuple[Graph, list[tuple[Node, str, str, str]]]:
    """The shapes without ``sh:sparql``, and the SPARQL constraints taken out.

    Each constraint is ``(shape, select query, message, severity)``.
    """
    core = Graph()
    for triple in shapes:
        core.add(triple)
    found = []
    for shape, constraint in list(shapes.subject_objects(SH.sparql)):
        select = shapes.value(constraint, SH.select)
        if select is None:
            continue
        message = shapes.value(constraint, SH.message) or shapes.value(shape, SH.message)
        severity = shapes.value(shape, SH.severity)
        sev = str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"
        found.append((shape, str(select), str(message or "SPARQL constraint not met"), sev))
        core.remove((shape, SH.sparql, constraint))
    return core, found


def _targets(shapes: Graph, shape: Node, data: Graph) -> set[Node]:
    out: set[Node] = set()
    for cls in shapes.objects(shape, SH.targetClass):
        out.update(data.subjects(RDF.type, cls))
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        out.update(data.subjects(prop, None))
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        out.update(data.objects(None, prop))
    out.update(shapes.objects(shape, SH.targetNode))
    return out


def _run_sparql(
    data: Graph, shapes: Graph, constraints: list[tuple[Node, str, str, str]]
) -> list[Violation]:
    if not constraints:
        return []
    import pyoxigraph as ox

    store = ox.Store()
    store.load(data.serialize(format="nt"), format=ox.RdfFormat.N_TRIPLES)
    out = []
    for shape, select, message, severity in constraints:
        targets = {str(t) for t in _targets(shapes, shape, data)}
        answer = store.query(select.replace("$this", "?this"), prefixes=PREFIXES)
        assert isinstance(answer, ox.QuerySolutions)
        focus = sorted({sol["this"].value for sol in answer if sol["this"] is not None})
        out += [Violation(f, None, message, severity, str(shape), f) for f in focus if f in targets]
    return out


def validate_graph(data: Graph, shapes: Graph | None = None) -> ValidationReport:
    """Validate an rdflib graph against the shipped shapes (or ``shapes``)."""
    import pyshacl

    started = time.perf_counter()
    core, sparql = _split_sparql(shapes_graph() if shapes is None else shapes)
    try:
        conforms, results, _ = pyshacl.validate(
            data,
            shacl_graph=core,
            inference="none",
            allow_warnings=True,
            advanced=True,
        )
    except Exception as exc:  # pyshacl raises its own error types for broken shapes
        raise DataError(
            f"SHACL validation could not run: {exc}",
            hint="ontology/shapes.ttl is broken; restore it from the repository",
        ) from exc
    assert isinstance(results, Graph)
    out = []
    for res in results.subjects(RDF.type, SH.ValidationResult):
        sev = results.value(res, SH.resultSeverity)
        out.append(
            Violation(
                focus=str(results.value(res, SH.focusNode)),
                path=_text(results.value(res, SH.resultPath)),
                message=str(results.value(res, SH.resultMessage) or "constraint not met"),
                severity=str(sev).rsplit("#", 1)[-1] if isinstance(sev, URIRef) else "Violation",
                shape=_text(results.value(res, SH.sourceShape)),
                value=_text(results.value(res, SH.value)),
            )
        )
    extra = _run_sparql(data, core, sparql)
    out += extra
    out.sort(key=lambda v: (v.severity != "Violation", v.focus, v.path or "", v.message))
    return ValidationReport(
        conforms=bool(conforms) and not any(v.severity == "Violation" for v in extra),
        violations=out,
        triples=len(data),
        seconds=time.perf_counter() - started,
    )


def load_union(directory: Path) -> Graph:
    """The union of a build's asserted graphs as one rdflib graph.

    Read from the build's store when it has one (as N-Triples, without the
    ontology, the index links and what ``kg reason`` derived), else from ``graph.trig``.
    """
    trig = check_build_dir(directory)
    if has_store(directory):
        import pyoxigraph as ox

        from kg.rdf.store import open_build

        store = open_build(directory).ox
        answer = store.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } "
            f"FILTER(?g != <{INFERRED_GRAPH_IRI}>) }}"
        )
        assert isinstance(answer, ox.QueryTriples)
        data = ox.serialize(answer, format=ox.RdfFormat.N_TRIPLES)
        g = Graph()
        g.parse(data=(data or b"").decode("utf-8"), format="nt")
        return g
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(trig, format="trig")
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def validate(dir: Path) -> ValidationReport:
    """Run the SHACL shapes on the build in ``dir``.

    Raises
    ------
    InputError
        ``dir`` is not a build directory.
    """
    return validate_graph(load_union(Path(dir)))
