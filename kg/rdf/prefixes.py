"""The IRIs every writer and query shares, as plain strings.

Kept apart from :mod:`kg.rdf.iri` (which mints rdflib terms) so that reading a
build (``kg query``) need not import rdflib: a process that answers one query
starts about 60 ms sooner.

>>> PREFIXES["kg"]
'https://w3id.org/union-kg/ontology#'
"""

from __future__ import annotations

ONTOLOGY_IRI = "https://w3id.org/union-kg/ontology"
BASE = "https://w3id.org/union-kg/id/"
#: evidence nodes (one per supporting sentence): kept in their article's graph only,
#: never in the store's default graph (see :func:`in_default_graph`)
EVIDENCE = BASE + "evidence/"

#: prefixes used by every writer and query (order = output order)
PREFIXES: dict[str, str] = {
    "kg": ONTOLOGY_IRI + "#",
    "id": BASE,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
}


def in_default_graph(subject: str) -> bool:
    """Whether a triple with this subject (an IRI) belongs in the store's default graph.

    The default graph is the merged graph that the named queries read: every
    asserted triple once, except the evidence nodes' (the reified statement,
    its sentence, offsets, extractor and confidence), which stay in the graph
    of the article they come from, where the queries about provenance name
    them (``GRAPH ?g { ?evidence … }``).  At 100x seeds evidence is three
    quarters of the merged graph's triples.

    >>> in_default_graph(BASE + "UnionBody/x"), in_default_graph(EVIDENCE + "0a1b")
    (True, False)
    """
    return not subject.startswith(EVIDENCE)
