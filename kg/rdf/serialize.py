"""A small deterministic TriG / Turtle writer.

rdflib's serializers do not promise a stable order, so the build writes its own:
prefixes first, then graphs (background first, then articles in document order),
and inside each graph one block per subject, subjects sorted, ``rdf:type``
first, then predicates and objects sorted.  Blank nodes are not produced by the
build; if a graph holds one it is written with its own label.

>>> from rdflib import URIRef, Literal
>>> term_text(Literal('a"b\\n'))
'"a\\\\"b\\\\n"'
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from kg.rdf.iri import BACKGROUND_GRAPH, BASE, PREFIXES

_LOCAL = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_ESC = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESC = re.compile(r'[\\"\x00-\x1f\x7f]')
_TRAILING_INT = re.compile(r"^(.*?)(\d+)$")


def _esc(match: re.Match[str]) -> str:
    ch = match.group(0)
    return _ESC.get(ch) or f"\\u{ord(ch):04X}"


def iri_text(iri: str) -> str:
    """An IRI as a prefixed name when one fits, else ``<...>``.

    >>> iri_text("https://w3id.org/union-kg/ontology#runs")
    'kg:runs'
    >>> iri_text("https://w3id.org/union-kg/id/evidence/0a1b")
    '<https://w3id.org/union-kg/id/evidence/0a1b>'
    """
    # An evidence node's or a figure's IRI is written with its one document only: not
    # worth a cache entry (a cache of them grew with the corpus and pushed the
    # recurring IRIs out).  Every other IRI (entities, articles, the ontology's) recurs.
    if iri.startswith(_ONE_USE) and not _IRI_ESC.search(iri):
        return f"<{iri}>"
    return _iri_text(iri)


_IRI_ESC = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ONE_USE = (BASE + "evidence/", BASE + "fact/")


@lru_cache(maxsize=1 << 15)
def _iri_text(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns) :]):
            return f"{prefix}:{iri[len(ns) :]}"
    return "<" + _IRI_ESC.sub(lambda m: f"\\u{ord(m.group(0)):04X}", iri) + ">"


@lru_cache(maxsize=1 << 12)
def term_text(term: Node) -> str:
    """One RDF term in Turtle syntax."""
    if isinstance(term, URIRef):
        return iri_text(str(term))
    if isinstance(term, Literal):
        text = '"' + _NEEDS_ESC.sub(_esc, str(term)) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and term.datatype != _STRING:
            return f"{text}^^{iri_text(str(term.datatype))}"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"cannot write {term!r}")


_TYPE = URIRef(str(RDF.type))
_STRING = URIRef(str(XSD.string))


def graph_sort_key(name: Node) -> tuple[int, str, int, str]:
    """Background first, then article graphs by document and numeric index."""
    text = str(name)
    if name == BACKGROUND_GRAPH:
        return (0, "", 0, "")
    m = _TRAILING_INT.match(text)
    if m:
        return (1, m.group(1), int(m.group(2)), text)
    return (1, text, -1, text)


def _node_text(term: Node) -> str:
    """Like :func:`term_text`, but keyed on plain strings (rdflib hashing is slow)."""
    if type(term) is URIRef:
        return iri_text(str(term))
    if isinstance(term, Literal):
        text = '"' + _NEEDS_ESC.sub(_esc, str(term)) + '"'
        if term.language:
            return f"{text}@{term.language}"
        datatype = term.datatype
        if datatype is not None and not str.__eq__(datatype, _STRING):
            return f"{text}^^{iri_text(str(datatype))}"
        return text
    return term_text(term)


class Raw(str):
    """Text written as it is in object position (a placeholder of :mod:`kg.rdf.stream`)."""

    __slots__ = ()


#: a subject's predicates: ``(0 for rdf:type else 1, IRI, text)`` -> object texts
Preds = dict[tuple[int, str, str], set[str]]
#: a subject key: ``(0 for an IRI else 1, its string, its text)``
SubjectKey = tuple[int, str, str]


def group(triples: Iterable[tuple[Node, Node, Node]]) -> dict[SubjectKey, Preds]:
    """Triples grouped by subject and predicate, on plain-string keys."""
    # group on plain-string keys: rdflib's term __hash__/__eq__ dominate otherwise
    by_subject: dict[SubjectKey, Preds] = defaultdict(lambda: defaultdict(set))
    type_iri = str(_TYPE)
    last: Node | None = None
    s_key: SubjectKey = (0, "", "")
    for s, p, o in triples:
        if s is not last:  # a subject's triples mostly come one after another
            last = s
            s_key = (0 if isinstance(s, URIRef) else 1, str(s), _node_text(s))
        p_str = str(p)
        p_key = (
            0 if p_str == type_iri else 1,
            p_str,
            "a" if p_str == type_iri else iri_text(p_str),
        )
        by_subject[s_key][p_key].add(o if type(o) is Raw else _node_text(o))
    return by_subject


def block(s_text: str, preds: Preds, indent: str) -> str:
    """The Turtle block of one subject (its predicates sorted, ``a`` first)."""
    lines = [f"{p_key[2]} {', '.join(sorted(preds[p_key]))}" for p_key in sorted(preds)]
    pad = indent + "    "
    return f"{indent}{s_text}\n{pad}" + f" ;\n{pad}".join(lines) + " .\n"


def _blocks(triples: Iterable[tuple[Node, Node, Node]], indent: str) -> Iterator[str]:
    by_subject = group(triples)
    for s_key in sorted(by_subject):
        yield block(s_key[2], by_subject[s_key], indent)


def prefix_header() -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()) + "\n"


def write_turtle(triples: Iterable[tuple[Node, Node, Node]]) -> str:
    """Deterministic Turtle text of ``triples``."""
    return prefix_header() + "\n".join(_blocks(triples, ""))


def write_trig(quads: Iterable[tuple[Node, Node, Node, Node | None]]) -> str:
    """Deterministic TriG text; a ``None`` graph is the default graph."""
    graphs: dict[Node | None, list[tuple[Node, Node, Node]]] = defaultdict(list)
    for s, p, o, g in quads:
        graphs[g].append((s, p, o))
    parts = [prefix_header()]
    if None in graphs:
        parts.append("{\n" + "\n".join(_blocks(graphs.pop(None), "    ")) + "}\n\n")
    for name in sorted(graphs, key=lambda n: graph_sort_key(n) if n is not None else (-1,)):
        body = "\n".join(_blocks(graphs[name], "    "))
        parts.append(f"{term_text(name)} {{\n{body}}}\n\n")
    return "".join(parts).rstrip("\n") + "\n"
