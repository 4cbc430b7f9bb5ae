"""union-kg: a knowledge-graph builder for Chinese trade-union news.

The pipeline flows one way::

    files -> Documents -> Articles/Sentences   (kg.text)
          -> mentions -> resolved entities      (kg.extract)
          -> relations with evidence            (kg.extract, registered extractors)
          -> RDF dataset                        (kg.rdf)
          -> networkx view, HTML, query, reasoning (kg.graph, kg.viz, kg.rdf)

Importing :mod:`kg` has no side effects; heavy modules are imported on use.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
