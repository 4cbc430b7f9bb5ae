"""The RDF stage: IRIs, dataset building with provenance, store, queries, reasoning, SHACL.

Modules (each imported on use; importing :mod:`kg.rdf` loads nothing):

* :mod:`kg.rdf.iri` – deterministic IRIs and the namespaces
* :mod:`kg.rdf.build` – ``DocResult`` -> :class:`rdflib.Dataset`, deterministic TriG/Turtle
* :mod:`kg.rdf.store` – a build directory loaded into pyoxigraph
* :mod:`kg.rdf.query` – named SPARQL questions and ad-hoc queries
* :mod:`kg.rdf.reason` – OWL 2 RL + domain rules as SPARQL updates to a fixpoint
* :mod:`kg.rdf.validate` – SHACL validation with pyshacl
"""

from __future__ import annotations
