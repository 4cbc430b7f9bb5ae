"""The text layer: read files, normalise text, split pages into articles and sentences.

Public API
----------
* :func:`expand_paths` -- files, directories and globs -> input files
* :func:`read_documents` -- one file -> :class:`~kg.model.Document` objects
* :func:`iter_documents` -- many paths -> documents, warning about bad files
* :func:`normalize` -- length-preserving traditional->simplified, full->half width
* :func:`split_articles` -- a document -> :class:`~kg.model.Article` objects with
  :class:`~kg.model.Sentence` objects whose views map back to the original text

Importing this package does no work: opencc and the layout cues load on first use.
"""

from __future__ import annotations

from kg.text.layout import byline_names, split_articles
from kg.text.norm import normalize
from kg.text.reading import (
    InputWarning,
    decode_bytes,
    expand_paths,
    iter_documents,
    read_documents,
)
from kg.text.sentences import split_paragraph

__all__ = [
    "InputWarning",
    "byline_names",
    "decode_bytes",
    "expand_paths",
    "iter_documents",
    "normalize",
    "read_documents",
    "split_articles",
    "split_paragraph",
]
